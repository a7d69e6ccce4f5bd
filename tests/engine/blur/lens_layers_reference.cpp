#include "blur/lens_layers_reference.h"

#include <algorithm>
#include <cmath>
#include <string>

// The engine's own layer plan and highlight boost (internal headers): the reference differs
// from the fast path only in how the layers are blurred and blended.
#include "blur/layers/radius_layers.h"
#include "blur/lens/highlights.h"
#include "blur/lens/lens_plan.h"

namespace reference {
using namespace defocus;
namespace {

constexpr float kLayerRatio = 1.25f;

// Blurs `source` with every layer's radius (lensBlur of the box of pixels using the layer
// plus the disc's reach and the reduced grid's support) and adds it, weighted per pixel by
// the layer's hat, into `out` (zeroed).
Status blendLayers(const ImagePlanar& source, const float* map, const RadiusLayers& layers, const Aperture& aperture,
                   ImagePlanar& out) {
  const int w = source.width, h = source.height;
  for (size_t k = 0; k < layers.size(); ++k) {
    if (!layers.used(k)) continue;
    const float radius = layers.radius(k);
    const RadiusLayers::Box& b = layers.box(k);
    const int m = static_cast<int>(std::ceil(1.2f * radius)) + 2 * planLens(w, h, radius, aperture).factor + 8;
    const int x0 = std::max(0, b.x0 - m), y0 = std::max(0, b.y0 - m);
    const int x1 = std::min(w - 1, b.x1 + m), y1 = std::min(h - 1, b.y1 + m);
    const int cw = x1 - x0 + 1;
    Result<ImagePlanar> crop = cropPlanes(source, x0, y0, cw, y1 - y0 + 1);
    if (!crop.ok()) return crop.status();
    Result<ImagePlanar> blurred = radius <= 0 ? copyPlanes(crop.value()) : defocus::lensBlur(crop.value(), radius, aperture);
    if (!blurred.ok()) return blurred.status();
    const RadiusLayers::Hat weight = layers.hat(k);
    for (int c = 0; c < source.channels; ++c) {
      for (int y = b.y0; y <= b.y1; ++y) {
        const float* src = blurred.value().plane(c) + static_cast<size_t>(y - y0) * cw - x0;
        float* dst = out.plane(c) + static_cast<size_t>(y) * w;
        const float* r = map + static_cast<size_t>(y) * w;
        for (int x = b.x0; x <= b.x1; ++x) dst[x] += weight(r[x]) * src[x];
      }
    }
  }
  return Status::success();
}

}  // namespace

Result<ImagePlanar> lensBlurVariable(const ImagePlanar& linear, const float* radiusMap, const Aperture& aperture,
                                     const Highlights& highlights) {
  RadiusLayers layers;
  std::string reason;
  if (!layers.plan(radiusMap, linear.width, linear.height, kMaxLensRadius, kLayerRatio, &reason)) {
    return invalidArgument(reason);
  }
  if (layers.constant()) return defocus::lensBlur(linear, layers.radius(0), aperture, highlights);
  Result<ImagePlanar> source = copyPlanes(linear);
  if (!source.ok()) return source;
  ImagePlanar& s = source.value();
  if (s.channels >= 3) {
    boostHighlightsRow(s.plane(0), s.plane(1), s.plane(2), s.planeSize(), highlights, s.channels == 4 ? s.plane(3) : nullptr);
  }
  Result<ImagePlanar> out = ImagePlanar::create(linear.width, linear.height, linear.channels);
  if (!out.ok()) return out;
  std::fill(out.value().samples.data(), out.value().samples.data() + out.value().samples.size(), 0.0f);
  Status blended = blendLayers(s, radiusMap, layers, aperture, out.value());
  if (!blended.ok()) return blended;
  return out;
}

}  // namespace reference
