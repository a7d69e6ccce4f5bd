// The variable-radius motion blur on grouped layers (radius_layers_grouped.h). A layer of
// radius r is a streak of 2 r; from r = 8 on it runs on a grid reduced by the largest power
// of two f <= r / 4 (a streak of at least 8 coarse pixels, so the f pixels the grid adds
// across it stay small beside its length).
#include <algorithm>
#include <cmath>

#include "defocus/blur.h"
#include "defocus/motion_blur.h"
#include "motion_shear.h"
#include "radius_layers_grouped.h"

namespace defocus {
namespace {

class MotionLayers : public GroupedLayerStyle {
 public:
  explicit MotionLayers(float angle) : angle_(angle) {}
  int factor(float radius) override { return powerOfTwoAtMost(radius / 4); }
  // The transpose and shear depend on the angle alone: once per plane, not per layer.
  Status preparePlane(const float* in, int width, int height) override {
    return shear_.prepare(in, width, height, angle_);
  }
  Status blurPlane(const float*, int, int, float radius, int f, const LayerRanges& r, float* out) override {
    return shear_.blur(2 * radius / f, r.y0, r.y1, out);
  }

 private:
  float angle_;
  MotionShear shear_;
};

}  // namespace

Result<ImagePlanar> motionBlurVariable(const ImagePlanar& linear, const float* map, const BlurOptions& o,
                                       const uint8_t* needed) {
  MotionLayers style(o.angleDegrees);
  return blurVariableOnGroupedLayers(linear, map, o, kMotionLayerRatio, style, needed);
}

}  // namespace defocus
