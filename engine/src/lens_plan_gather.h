// Internal: the lens kernel's span sums around every pixel of one plane, from per-row
// prefix sums (double: rows of thousands of pixels would lose precision in float).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "aperture_kernel.h"
#include "defocus/buffer.h"

namespace defocus {

class SpanGather {
 public:
  SpanGather(const ApertureKernel& kernel, int width, int height)
      : kernel_(kernel), width_(width), height_(height), pad_(kernel.reach + 1) {}

  // Room for every row (run); runRows allocates what its rows need by itself.
  bool allocate() { return reserveRows(height_); }

  // rowNeeded (optional): only rows with a non-zero flag are written.
  void run(const float* in, float* out, const uint8_t* rowNeeded = nullptr) {
    buildPrefix(in, 0, height_ - 1);
    for (int y = 0; y < height_; ++y) {
      if (!rowNeeded || rowNeeded[y]) gatherRow(y, out + static_cast<size_t>(y) * width_);
    }
  }

  // Only rows y0..y1 of out (a whole plane) are written; prefix sums are built for the rows
  // they reach only. False when out of memory.
  bool runRows(const float* in, float* out, int y0, int y1) {
    const int p0 = std::max(0, y0 - kernel_.reach), p1 = std::min(height_ - 1, y1 + kernel_.reach);
    if (!reserveRows(p1 - p0 + 1)) return false;
    buildPrefix(in, p0, p1);
    for (int y = y0; y <= y1; ++y) gatherRow(y, out + static_cast<size_t>(y) * width_);
    return true;
  }

 private:
  size_t padded() const { return static_cast<size_t>(width_) + 2 * pad_; }

  bool reserveRows(int rows) {
    return values_.resize(padded() * rows) && prefix_.resize((padded() + 1) * rows) && acc_.resize(width_);
  }

  void buildPrefix(const float* in, int p0, int p1) {
    first_ = p0, last_ = p1;
    const size_t n = padded();
    for (int y = p0; y <= p1; ++y) {
      const float* src = in + static_cast<size_t>(y) * width_;
      float* v = values_.data() + (y - p0) * n;
      double* s = prefix_.data() + (y - p0) * (n + 1);
      for (int i = 0; i < pad_; ++i) v[i] = src[0];
      std::memcpy(v + pad_, src, sizeof(float) * width_);
      for (int i = 0; i < pad_; ++i) v[pad_ + width_ + i] = src[width_ - 1];
      s[0] = 0;
      for (size_t i = 0; i < n; ++i) s[i + 1] = s[i] + v[i];
    }
  }

  void gatherRow(int y, float* dst) {
    const size_t n = padded();
    double* acc = acc_.data();
    std::fill(acc, acc + width_, 0.0);
    for (const KernelSpan& span : kernel_.spans) {
      // Rows past the image repeat its edge rows; the prefix covers [first_, last_].
      const int row = std::clamp(std::clamp(y + span.dy, 0, height_ - 1), first_, last_) - first_;
      const float* v = values_.data() + row * n;
      const double* s = prefix_.data() + row * (n + 1);
      // Integral up to u (pixel i covers [i - 0.5, i + 0.5)) = s[a] + frac * v[a].
      const double uLeft = pad_ + span.left + 0.5, uRight = pad_ + span.right + 0.5;
      const int aL = static_cast<int>(std::floor(uLeft)), aR = static_cast<int>(std::floor(uRight));
      const double fL = uLeft - aL, fR = uRight - aR, w = span.weight;
      for (int x = 0; x < width_; ++x) {
        acc[x] += w * ((s[x + aR] + fR * v[x + aR]) - (s[x + aL] + fL * v[x + aL]));
      }
    }
    const double norm = 1.0 / kernel_.area;
    for (int x = 0; x < width_; ++x) dst[x] = static_cast<float>(acc[x] * norm);
  }

  const ApertureKernel& kernel_;
  int width_, height_, pad_;
  int first_ = 0, last_ = 0;  // rows the prefix sums hold
  Buffer<float> values_;
  Buffer<double> prefix_;
  Buffer<double> acc_;
};

}  // namespace defocus
