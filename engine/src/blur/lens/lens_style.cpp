// The lens's row of the style table (blur/style_table.h): a disc (or polygon) of the radius.
#include "defocus/lens_blur.h"
#include "blur/lens/lens_plan.h"
#include "blur/rgba_stages.h"
#include "blur/style_table.h"

namespace defocus {
namespace {

Status check(const BlurOptions& o) {
  Status s = checkAperture(o.aperture);
  return s.ok() ? checkHighlights(o.highlights) : s;
}

Result<ImagePlanar> atRadius(const ImagePlanar& linear, const BlurFrame& frame, double radius, const BlurOptions& o) {
  return lensBlur(linear, static_cast<float>(radius), o.aperture, o.highlights, frame.rows);
}

Result<ImagePlanar> variable(const ImagePlanar& linear, const BlurFrame& frame, const float* radiusMap,
                             const BlurOptions& o, const uint8_t* needed) {
  VariableLensTuning tuning;
  tuning.layerTop = frame.radiusTop;
  return lensBlurVariable(linear, radiusMap, o.aperture, o.highlights, tuning, needed, frame.rows);
}

// Area reduction (with the highlight boost) straight from the bytes, the gather on the
// reduced grid, Catmull-Rom back to bytes.
bool onReducedGrid(const ImageRGBA8& image, double radius, const BlurOptions& o, int channels, Result<ImageRGBA8>* out) {
  const int w = image.width, h = image.height;
  const LensPlan plan = planLens(w, h, radius, o.aperture);
  if (plan.factor == 1) return false;
  Result<ImagePlanar> coarse = boxReduceRgba8(image, plan.grid, channels, o.highlights);
  if (!coarse.ok()) return *out = coarse.status(), true;
  Result<ImagePlanar> blurred = gatherPlanes(coarse.value(), plan.kernel);
  if (!blurred.ok()) return *out = blurred.status(), true;
  *out = expandToRgba8(blurred.value(), plan.grid, w, h);
  return true;
}

}  // namespace

// Reach: the radius, 1.25 of it for the variable blur's layers.
extern const BlurStyleEntry kLensStyle{BlurStyle::kLens, "lens", check, atRadius, variable, onReducedGrid, 1.25, false,
                                       nullptr};

}  // namespace defocus
