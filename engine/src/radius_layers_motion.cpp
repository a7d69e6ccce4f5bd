// The variable-radius motion blur on grouped layers (radius_layers_grouped.h). A layer of
// radius r is a streak of 2 r; from r = 8 on it runs on a grid reduced by the largest power
// of two f <= r / 4 (a streak of at least 8 coarse pixels, so the f pixels the grid adds
// across it stay small beside its length). The radial (zoom) blur stays on per-layer
// full-resolution blends: measured on a reduced grid it drifts to 40 dB from the reference.
#include <algorithm>
#include <cmath>

#include "defocus/blur.h"
#include "defocus/motion_blur.h"
#include "radius_layers_grouped.h"

namespace defocus {
namespace {

int powerOfTwoAtMost(float value) {
  int f = 1;
  while (2 * f <= value) f *= 2;
  return f;
}

// One plane as a 1-plane image (the blurs take images).
Result<ImagePlanar> planeImage(const float* in, int width, int y0, int y1) {
  Result<ImagePlanar> image = ImagePlanar::create(width, y1 - y0 + 1, 1);
  if (image.ok()) std::copy_n(in + static_cast<size_t>(y0) * width, image.value().planeSize(), image.value().plane(0));
  return image;
}

void copyRows(const ImagePlanar& from, int fromY0, const LayerRanges& r, int width, float* out) {
  for (int y = r.y0; y <= r.y1; ++y) {
    std::copy_n(from.plane(0) + static_cast<size_t>(y - fromY0) * width, width, out + static_cast<size_t>(y) * width);
  }
}

class MotionLayers : public GroupedLayerStyle {
 public:
  explicit MotionLayers(float angle) : angle_(angle) {}
  int factor(float radius) override { return powerOfTwoAtMost(radius / 4); }
  Status blurPlane(const float* in, int width, int height, float radius, int f, const LayerRanges& r,
                   float* out) override {
    const float length = 2 * radius / f;
    const int margin = static_cast<int>(std::ceil(length)) + 8;  // the streak's reach
    const int y0 = std::max(0, r.y0 - margin), y1 = std::min(height - 1, r.y1 + margin);
    Result<ImagePlanar> crop = planeImage(in, width, y0, y1);
    if (!crop.ok()) return crop.status();
    Result<ImagePlanar> blurred = motionBlur(crop.value(), length, angle_);
    if (!blurred.ok()) return blurred.status();
    copyRows(blurred.value(), y0, r, width, out);
    return Status::success();
  }

 private:
  float angle_;
};

}  // namespace

Result<ImagePlanar> motionBlurVariable(const ImagePlanar& linear, const float* map, const BlurOptions& o) {
  RadiusLayers layers;
  std::string reason;
  if (!layers.plan(map, linear.width, linear.height, kMaxLensRadius, kMotionLayerRatio, &reason)) {
    return Status{ErrorCode::kInvalidArgument, reason};
  }
  if (layers.constant()) return blurLinearAtRadius(linear, layers.radius(0), o);
  Result<ImagePlanar> out = ImagePlanar::create(linear.width, linear.height, linear.channels);
  if (!out.ok()) return out;
  std::fill(out.value().samples.data(), out.value().samples.data() + out.value().samples.size(), 0.0f);
  MotionLayers style(o.angleDegrees);
  Status blended = blendGroupedLayers(linear, map, layers, style, out.value());
  if (!blended.ok()) return blended;
  return out;
}

}  // namespace defocus
