// Motion's row of the style table (blur/style_table.h): a streak of 2 radii (the disc's
// diameter) along the angle.
#include <cmath>

#include "defocus/motion_blur.h"
#include "blur/streak_map.h"
#include "blur/style_table.h"
#include "core/angles.h"

namespace defocus {
namespace {

Status check(const BlurOptions& o) { return checkMotionAngle(o.angleDegrees); }

Result<ImagePlanar> atRadius(const ImagePlanar& linear, const BlurFrame& frame, double radius, const BlurOptions& o) {
  return motionBlur(linear, static_cast<float>(2 * radius), o.angleDegrees, frame.rows);
}

Result<ImagePlanar> variable(const ImagePlanar& linear, const BlurFrame& frame, const float* radiusMap,
                             const BlurOptions& o, const uint8_t*) {
  double constant = -1;
  Status planned = planStreakMap(linear, radiusMap, &constant);
  if (!planned.ok()) return planned;
  if (constant >= 0) return atRadius(linear, frame, constant, o);
  return motionBlurVariable(linear, radiusMap, 2.0f, o.angleDegrees, frame.rows);
}

// A streak along the angle reaches |sin| of its reach above and below: a horizontal one
// reads no other rows, so its strips need no halo (the render's +32 rows cover the
// shear's interpolation).
double rowReach(const BlurOptions& o) { return 1.25 * std::fabs(std::sin(radians(o.angleDegrees))); }

}  // namespace

// Reach: the radius, as the lens's.
extern const BlurStyleEntry kMotionStyle{BlurStyle::kMotion, "motion", check, atRadius, variable, nullptr, 1.25, true,
                                         rowReach};

}  // namespace defocus
