// Internal: the motion blur in two steps. prepare() puts a plane in line order (transposed
// for shallow directions) and shears it, so the direction runs straight across the lines;
// blur() (one length) or blurVariable() (a length per pixel) then box along the sheared
// lines and unshear.
#pragma once

#include "defocus/buffer.h"
#include "defocus/image.h"
#include "defocus/status.h"

namespace defocus {

class MotionShear {
 public:
  // `in` (width x height) must stay alive and unchanged until the next prepare().
  Status prepare(const float* in, int width, int height, float angleDegrees);
  // Motion blur of `length` pixels (1..kMaxDirectionalLength) of the prepared plane into
  // out: rows [rows.from, rows.end) of it (width x that many rows; all by default). Edges
  // continue with their edge pixels.
  Status blur(float length, float* out, RowRange rows = {});
  // Motion blur with a length per sample: `lengths` is a plane of lengths (pixels, times
  // lengthScale) prepared by another MotionShear with the same size and angle, so it is
  // sheared like this plane. Each sample's box is read from prefix sums along the lines,
  // so one pass serves any spread of lengths. Writes the rows of out as blur() does; the
  // prepared plane is used up (it becomes its prefix sums).
  Status blurVariable(const float* lengths, float lengthScale, float* out, RowRange rows = {});
  const float* sheared() const { return sheared_.data(); }

 private:
  const float* in_ = nullptr;
  int width_ = 0, height_ = 0;
  bool steep_ = false;             // lines are the image's rows (else its columns)
  int lines_ = 0, across_ = 0;     // the plane in line order: lines_ x across_
  int canvas_ = 0;                 // samples per sheared line
  double slope_ = 0, offset_ = 0;  // sheared(r, i) = line r at i - offset_ + r * slope_
  double lineScale_ = 1;           // line spacing per pixel of streak length
  Buffer<float> sheared_, sum_, boxed_, scratch_;
  Buffer<float> mean_, edgeRows_;  // blurVariable's line mean and prefix rows past the ends

  // Image rows [from, to) of out from the boxed line r of each line (boxLine(r, b0, b1,
  // boxed) fills samples b0..b1): the shear undone, and the transposition for shallow
  // directions.
  template <typename BoxLine>
  Status unshear(float* out, int from, int to, BoxLine&& boxLine);
};

}  // namespace defocus
