// Test-only: measuring the blur of a single point light (radius, flatness, corners).
#pragma once

#include <vector>

namespace spot {

struct Disc {
  double centerX = 0, centerY = 0;
  double radius = 0;         // sqrt(area / pi) of the pixels above half the plateau
  double plateau = 0;        // median value near the centre
  double interiorCv = 0;     // std / mean inside 0.8 radius
  std::vector<double> rim;   // outline radius for 360 directions (1 degree apart)
};

Disc measure(const float* plane, int width, int height);

// Prominent maxima of the outline radius (polygon corners); 0 for a circle.
int countCorners(const std::vector<double>& rim);

}  // namespace spot
