// Internal: an aperture shape of a given radius as a stack of horizontal spans.
#pragma once

#include <vector>

#include "defocus/lens_blur.h"

namespace defocus {

struct KernelSpan {
  int dy;        // row offset from the centre
  double left;   // span [left, right] in pixels relative to the centre pixel's centre
  double right;
  double weight; // fraction of the row strip the shape covers vertically
};

struct ApertureKernel {
  std::vector<KernelSpan> spans;
  double area = 0;  // sum of weight * (right - left): the normaliser
  int reach = 0;    // largest |offset| any span touches, in whole pixels
};

// Boundary of the aperture (circumradius `radius`, centred at 0) sampled as a polygon.
std::vector<std::pair<double, double>> apertureOutline(const Aperture& aperture, double radius, int samples = 720);

ApertureKernel makeApertureKernel(const Aperture& aperture, double radius);

}  // namespace defocus
