// Gaussian blur in O(1) per pixel for any sigma.
//  - small sigma: Deriche's 4th-order recursive filter (1993), causal + anti-causal, along
//    columns and rows, at full resolution;
//  - larger sigma: binomial pyramid levels (edge margin), the same filter on the coarsest
//    with the sigma that is left, a cubic B-spline back (its variance is part of the budget)
//    to the coarsest level where Catmull-Rom is accurate, and Catmull-Rom to full size; see
//    engine/src/gaussian_pyramid.h. Max error 0.47/255 against float64 (tests).
// Borders: the image continues with its edge pixels repeated (clamp-to-edge), exactly.
#pragma once

#include "defocus/image.h"

namespace defocus {

constexpr float kMinGaussianSigma = 0.5f;
constexpr float kMaxGaussianSigma = 2000.0f;

// Blurs every plane; sigma in pixels within [kMinGaussianSigma, kMaxGaussianSigma].
Result<ImagePlanar> gaussianBlur(const ImagePlanar& image, float sigma);

}  // namespace defocus
