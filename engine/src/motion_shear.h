// Internal: the motion blur split in two, so that blurs of several lengths at one angle
// share the costly part. prepare() puts a plane in line order (transposed for shallow
// directions) and shears it; blur() then only boxes along the sheared lines and unshears,
// for the rows asked for. The variable-radius motion blur runs all its layers of one
// grid on one prepared plane.
#pragma once

#include "defocus/buffer.h"
#include "defocus/status.h"

namespace defocus {

class MotionShear {
 public:
  // `in` (width x height) must stay alive and unchanged until the next prepare().
  Status prepare(const float* in, int width, int height, float angleDegrees);
  // Motion blur of `length` pixels (0..kMaxDirectionalLength) of the prepared plane; writes
  // rows y0..y1 of out (width x height). Edges continue with their edge pixels.
  Status blur(float length, int y0, int y1, float* out);

 private:
  const float* in_ = nullptr;
  int width_ = 0, height_ = 0;
  bool steep_ = false;             // lines are the image's rows (else its columns)
  int lines_ = 0, across_ = 0;     // the plane in line order: lines_ x across_
  int canvas_ = 0;                 // samples per sheared line
  double slope_ = 0, offset_ = 0;  // sheared(r, i) = line r at i - offset_ + r * slope_
  double lineScale_ = 1;           // line spacing per pixel of streak length
  Buffer<float> sheared_, sum_, boxed_, scratch_;
};

}  // namespace defocus
