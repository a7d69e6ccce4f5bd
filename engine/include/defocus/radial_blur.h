// Radial (zoom) blur whose cost does not depend on its length: every pixel becomes the
// average along the ray from the centre through it, over a length proportional to its
// distance from the centre (`length` pixels at the farthest corner). Each of the four cones
// around the centre is resampled so its rays become columns, where those segments are boxes
// read from prefix sums; the centre pixel itself is left unchanged, and streaks shorter than
// a pixel fade into the unblurred image.
// Borders: the image continues with its edge pixels repeated.
#pragma once

#include <cmath>

#include "defocus/image.h"
#include "defocus/motion_blur.h"  // kMaxDirectionalLength: motion and zoom streaks share it

namespace defocus {

// centerX, centerY: the zoom centre as fractions of width and height (0..1).
Result<ImagePlanar> radialBlur(const ImagePlanar& linear, float length, float centerX, float centerY);
// The zoom centre must lie in the photo: fractions of the width and height in 0..1.
Status checkRadialCentre(float centerX, float centerY);
// The zoom centre's pixel along an axis of `size` pixels (streaks are measured from it).
inline int radialCentrePixel(float centre, int size) { return static_cast<int>(std::lround(centre * (size - 1))); }
// radialBlur of a fullWidth x fullHeight image, computed on a crop of it only (its top left
// at x0, y0): the same streaks there, where the crop holds all they reach (a pixel's streak
// reaches its distance from the centre times length / the distance to the farthest corner;
// the crop need not hold the centre). rows: the crop's rows made (default all); the result
// holds those only.
Result<ImagePlanar> radialBlurOfCrop(const ImagePlanar& crop, int x0, int y0, int fullWidth, int fullHeight, float length,
                                     float centerX, float centerY, RowRange rows = {});
// The same with a length map (one value per crop pixel), as radialBlurVariable.
Result<ImagePlanar> radialBlurVariableOfCrop(const ImagePlanar& crop, int x0, int y0, int fullWidth, int fullHeight,
                                             const float* lengthMap, float lengthScale, float centerX, float centerY,
                                             RowRange rows = {});
// The same with a length per pixel: lengthMap[i] * lengthScale (width x height values >= 0,
// lengths <= kMaxDirectionalLength); one pass at any spread of lengths.
Result<ImagePlanar> radialBlurVariable(const ImagePlanar& linear, const float* lengthMap, float lengthScale,
                                       float centerX, float centerY);

}  // namespace defocus
