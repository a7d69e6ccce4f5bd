// Connected regions of a thresholded plane (8-connected): what the subject finder reasons
// about ("this blob is a person", "that object touches them").
#pragma once

#include <cstdint>
#include <vector>

#include "defocus/image.h"

namespace defocus {

struct Region {
  int area = 0;          // pixels
  double sum = 0;        // sum of the plane's values over the region (mean = sum / area)
  int left = 0, top = 0, right = -1, bottom = -1;  // bounding box, inclusive
  float mean() const { return area ? static_cast<float>(sum / area) : 0.0f; }
};

struct Regions {
  std::vector<int32_t> label;  // per pixel: index into `regions`, or -1 (below threshold)
  std::vector<Region> regions;
};

// Regions of plane(0) >= threshold.
Regions findRegions(const ImagePlanar& plane, float threshold);

// A mask (1 = inside) grown by `radius` pixels (square neighbourhood, two separable passes).
std::vector<uint8_t> dilateMask(const std::vector<uint8_t>& mask, int width, int height, int radius);

}  // namespace defocus
