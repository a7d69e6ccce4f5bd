// Gaussian blur in O(1) per pixel for any sigma.
//  - sigma <= kDirectSigmaMax: Deriche's 4th-order recursive filter (1993), causal +
//    anti-causal, along columns and (via transposition) rows;
//  - larger sigma: the same filter at 1/f resolution (box decimation with an edge margin,
//    sigma corrected for the box's variance, Catmull-Rom back), so the recursion stays
//    well conditioned in float and the cost stops growing.
// Borders: the image continues with its edge pixels repeated (clamp-to-edge), exactly.
#pragma once

#include "defocus/image.h"

namespace defocus {

constexpr float kMinGaussianSigma = 0.5f;
constexpr float kMaxGaussianSigma = 2000.0f;

// Blurs every plane; sigma in pixels within [kMinGaussianSigma, kMaxGaussianSigma].
Result<ImagePlanar> gaussianBlur(const ImagePlanar& image, float sigma);

}  // namespace defocus
