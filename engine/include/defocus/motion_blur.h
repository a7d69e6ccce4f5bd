// Directional blurs whose cost does not depend on their length.
//  - motion: every pixel becomes the average along a straight line of `length` pixels
//    through it at `angleDegrees` (0 = horizontal, counter-clockwise). The image is sheared
//    (Catmull-Rom) so those lines run straight across its columns (or rows, for steep
//    angles), a running box (fractional ends) slides along them, and the shear is undone.
//  - radial (zoom): every pixel becomes the average along the ray from the centre through
//    it, over a length proportional to its distance from the centre (`length` pixels at
//    the farthest corner). Done in polar coordinates, where those segments are running
//    boxes along each ray; the centre pixel itself is left unchanged.
// Borders: the image continues with its edge pixels repeated.
#pragma once

#include "defocus/image.h"

namespace defocus {

constexpr float kMaxDirectionalLength = 8000.0f;

Result<ImagePlanar> motionBlur(const ImagePlanar& linear, float length, float angleDegrees);

// centreX, centreY: the zoom centre as fractions of width and height (0..1).
Result<ImagePlanar> radialBlur(const ImagePlanar& linear, float length, float centreX, float centreY);

}  // namespace defocus
