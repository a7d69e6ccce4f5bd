// Test-only: exact float64 references and measurements for blur tests.
#pragma once

#include <vector>

#include "defocus/image.h"

namespace reference {

// Separable convolution with the sampled, normalised Gaussian exp(-n^2 / 2 sigma^2),
// |n| <= ceil(7 sigma), edge pixels repeated (clamp-to-edge), in double.
std::vector<double> gaussianBlurPlane(const float* plane, int width, int height, double sigma);

// Sum of every sample of every plane, in double.
double totalEnergy(const defocus::ImagePlanar& image);

// The largest difference between two images' samples (same shape), in double.
double maxAbsDifference(const defocus::ImagePlanar& a, const defocus::ImagePlanar& b);

// A plane of pseudo-random values in [0, 1] with hard vertical and horizontal steps.
defocus::ImagePlanar noiseWithEdges(int width, int height, int channels, unsigned seed);

}  // namespace reference
