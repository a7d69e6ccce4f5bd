// Motion blur whose cost does not depend on its length: every pixel becomes the average
// along a straight line of `length` pixels through it at `angleDegrees` (0 = horizontal,
// counter-clockwise). The image is sheared (Catmull-Rom) so those lines run straight across
// its columns (or rows, for steep angles), a running box (fractional ends) slides along
// them, and the shear is undone. The zoom blur is in radial_blur.h.
// Borders: the image continues with its edge pixels repeated.
#pragma once

#include "defocus/image.h"

namespace defocus {

// The longest streak of the directional blurs (motion and radial), in pixels.
constexpr float kMaxDirectionalLength = 8000.0f;

// rows: the rows of the result made (a render's strip keeps its own, not its halo); the
// result holds those only. Default: all.
Result<ImagePlanar> motionBlur(const ImagePlanar& linear, float length, float angleDegrees, RowRange rows = {});
// The angle must be a finite number of degrees.
Status checkMotionAngle(float angleDegrees);
// The same with a length per pixel: lengthMap[i] * lengthScale (width x height values >= 0,
// lengths <= kMaxDirectionalLength). The box at every sample of the sheared lines is read
// from prefix sums along them, so one pass serves any spread of lengths.
Result<ImagePlanar> motionBlurVariable(const ImagePlanar& linear, const float* lengthMap, float lengthScale,
                                       float angleDegrees, RowRange rows = {});

}  // namespace defocus
