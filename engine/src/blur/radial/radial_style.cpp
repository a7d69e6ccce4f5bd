// Radial's row of the style table (blur/style_table.h): a streak of 2 radii at the farthest
// corner, shorter towards the zoom centre. Streaks are measured from the centre, so a crop
// of the photo (BlurFrame) is blurred as its place in the photo says (it need not hold the
// centre).
#include "defocus/radial_blur.h"
#include "blur/streak_map.h"
#include "blur/style_table.h"

namespace defocus {
namespace {

Status check(const BlurOptions& o) { return checkRadialCentre(o.centerX, o.centerY); }

Result<ImagePlanar> atRadius(const ImagePlanar& linear, const BlurFrame& frame, double radius, const BlurOptions& o) {
  const float length = static_cast<float>(2 * radius);
  if (!frame.isCrop()) return radialBlur(linear, length, o.centerX, o.centerY);
  return radialBlurOfCrop(linear, frame.x0, frame.y0, frame.photoWidth, frame.photoHeight, length, o.centerX, o.centerY,
                          frame.rows);
}

Result<ImagePlanar> variable(const ImagePlanar& linear, const BlurFrame& frame, const float* radiusMap,
                             const BlurOptions& o, const uint8_t*) {
  // A crop (the render's strips) takes its map as it is: the render's own depth, checked
  // by the streaks' length check.
  if (frame.isCrop()) {
    return radialBlurVariableOfCrop(linear, frame.x0, frame.y0, frame.photoWidth, frame.photoHeight, radiusMap, 2.0f,
                                    o.centerX, o.centerY, frame.rows);
  }
  double constant = -1;
  Status planned = planStreakMap(linear, radiusMap, &constant);
  if (!planned.ok()) return planned;
  if (constant >= 0) return atRadius(linear, frame, constant, o);
  return radialBlurVariable(linear, radiusMap, 2.0f, o.centerX, o.centerY);
}

}  // namespace

// Reach: the radius, as the lens's (a pixel's streak reaches its distance from the centre
// times the radius over the farthest corner's distance: at most the radius).
extern const BlurStyleEntry kRadialStyle{BlurStyle::kRadial, "radial", check, atRadius, variable, nullptr, 1.25, false,
                                         nullptr};

}  // namespace defocus
