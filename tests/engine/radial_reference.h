// Test-only: a zoom blur computed the slow, obvious way, to check the fast one against.
#pragma once

#include <vector>

#include "defocus/image.h"

namespace reference {

// Every pixel at distance d from the centre (a pixel centre: round(fraction * (size - 1)))
// averages the image along its ray over [d (1 - k), d (1 + k)], k = length / (2 reach),
// reach = the distance to the farthest corner. The ray is integrated with at least 4
// midpoint samples per pixel of its length, each sampled bilinearly with edge pixels
// repeated. lengthMap (optional) gives each pixel its own length; else `length` is used.
std::vector<double> radialBlurPlane(const float* plane, int width, int height, double length,
                                    const float* lengthMap, double centerX, double centerY);

// PSNR of a float plane against a reference, peak 1.
double psnr(const float* plane, const std::vector<double>& truth);

}  // namespace reference
