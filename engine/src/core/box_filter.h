// Internal: mean over a (2r+1) x (2r+1) window, normalised by the part of the window
// inside the image (so borders are not darkened). O(1) per pixel whatever the radius.
#pragma once

#include "defocus/buffer.h"

namespace defocus {

class BoxMean {
 public:
  BoxMean(int width, int height, int radius) : width_(width), height_(height), radius_(radius) {}
  bool allocate();
  // out must not alias in; both are width x height.
  void run(const float* in, float* out);

 private:
  int width_, height_, radius_;
  Buffer<double> columns_;  // per column: sum over the rows inside the window
  Buffer<double> prefix_;   // prefix sums of columns_ along the row
};

}  // namespace defocus
