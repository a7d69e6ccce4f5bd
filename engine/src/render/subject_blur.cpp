#include "render/subject_blur.h"

#include <algorithm>
#include <cmath>

#include "blur/style_table.h"

namespace defocus {
namespace {

// The matte's box (alpha > 0) grown by `margin`, clamped to the image.
PixelBox subjectBox(const ImagePlanar& matte, int margin) {
  PixelBox b{matte.width, matte.height, -1, -1};
  for (int y = 0; y < matte.height; ++y) {
    const float* row = matte.plane(0) + static_cast<size_t>(y) * matte.width;
    int x0 = 0, x1 = matte.width - 1;
    while (x0 <= x1 && !(row[x0] > 0)) ++x0;
    while (x1 >= x0 && !(row[x1] > 0)) --x1;
    if (x0 > x1) continue;
    b.x0 = std::min(b.x0, x0), b.x1 = std::max(b.x1, x1), b.y0 = std::min(b.y0, y), b.y1 = std::max(b.y1, y);
  }
  if (b.x1 < b.x0) return b;
  return {std::max(0, b.x0 - margin), std::max(0, b.y0 - margin), std::min(matte.width - 1, b.x1 + margin),
          std::min(matte.height - 1, b.y1 + margin)};
}

}  // namespace

Result<ImagePlanar> blurSubject(const ImagePlanar& layer, const ImagePlanar& matte, float radius, const BlurOptions& o,
                                PixelBox* where) {
  // Reach: the Gaussian's 5 sigma (2.5 radius) covers the other styles' discs and streaks,
  // plus a reduced grid's edge support.
  const int margin = static_cast<int>(std::ceil(2.5f * radius)) + 16;
  PixelBox& b = *where = subjectBox(matte, margin);
  Result<ImagePlanar> out = ImagePlanar::create(layer.width, layer.height, layer.channels);
  if (!out.ok()) return out;
  std::fill(out.value().samples.data(), out.value().samples.data() + out.value().samples.size(), 0.0f);
  if (b.x1 < b.x0) return out;  // no subject
  Result<ImagePlanar> crop = cropPlanes(layer, b.x0, b.y0, b.x1 - b.x0 + 1, b.y1 - b.y0 + 1);
  if (!crop.ok()) return crop;
  Result<ImagePlanar> blurred =
      blurLinearAtRadiusInFrame(crop.value(), BlurFrame::crop(b.x0, b.y0, layer.width, layer.height), radius, o);
  if (!blurred.ok()) return blurred;
  pastePlanes(blurred.value(), b.x0, b.y0, out.value());
  return out;
}

}  // namespace defocus
