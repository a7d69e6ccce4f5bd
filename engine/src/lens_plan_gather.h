// Internal: the lens kernel's span sums around every pixel of one plane, from per-row
// prefix sums. The sums are float (4 lanes of wasm SIMD instead of 2 for double) of the row
// minus its mean, so they stay small: a row of 4000 pixels half 0 and half 1 peaks at
// 1000, where a float step is 6e-5, about 1e-5 after the kernel's normalisation. The mean
// comes back as one constant per kernel span.
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

  // Room for every row (run); runRanges allocates what its rows need by itself.
  bool allocate() { return reserveRows(height_); }

  // rowNeeded (optional): only rows with a non-zero flag are written.
  void run(const float* in, float* out, const uint8_t* rowNeeded = nullptr) {
    buildPrefix(in, 0, height_ - 1);
    for (int y = 0; y < height_; ++y) {
      const int whole[2] = {0, width_ - 1};
      if (!rowNeeded || rowNeeded[y]) gatherRow(y, out + static_cast<size_t>(y) * width_, whole, 1);
    }
  }

  // Only the column runs of rows y0..y1 of out (a whole plane) are written: row y's runs
  // are the (first, last) pairs runs[2 start[y]] .. before runs[2 start[y + 1]]. Prefix sums
  // are built for the rows they reach only. False when out of memory.
  bool runRuns(const float* in, float* out, const int* start, const int* runs, int y0, int y1) {
    if (y0 > y1) return true;
    const int p0 = std::max(0, y0 - kernel_.reach), p1 = std::min(height_ - 1, y1 + kernel_.reach);
    if (!reserveRows(p1 - p0 + 1)) return false;
    buildPrefix(in, p0, p1);
    for (int y = y0; y <= y1; ++y) {
      if (start[y] < start[y + 1]) {
        gatherRow(y, out + static_cast<size_t>(y) * width_, runs + 2 * start[y], start[y + 1] - start[y]);
      }
    }
    return true;
  }

 private:
  size_t padded() const { return static_cast<size_t>(width_) + 2 * pad_; }

  bool reserveRows(int rows) {
    return values_.resize(padded() * rows) && prefix_.resize((padded() + 1) * rows) && means_.resize(rows) &&
           acc_.resize(width_);
  }

  void buildPrefix(const float* in, int p0, int p1) {
    first_ = p0, last_ = p1;
    const size_t n = padded();
    for (int y = p0; y <= p1; ++y) {
      const float* src = in + static_cast<size_t>(y) * width_;
      float* v = values_.data() + (y - p0) * n;
      float* s = prefix_.data() + (y - p0) * (n + 1);
      double total = 0;
      for (int x = 0; x < width_; ++x) total += src[x];
      const float mean = static_cast<float>(total / width_);
      means_[y - p0] = mean;
      for (int i = 0; i < pad_; ++i) v[i] = src[0] - mean;
      for (int x = 0; x < width_; ++x) v[pad_ + x] = src[x] - mean;
      for (int i = 0; i < pad_; ++i) v[pad_ + width_ + i] = src[width_ - 1] - mean;
      s[0] = 0;
      for (size_t i = 0; i < n; ++i) s[i + 1] = s[i] + v[i];
    }
  }

  // acc[x] += w * (integral of the row over [x + left, x + right]) for x in x0..x1. Not
  // inlined, with restrict pointers: inlined, GCC may interchange it with the loop over the
  // spans, which then runs scalar and 5x slower.
  __attribute__((noinline)) static void accumulateSpan(float* __restrict acc, const float* __restrict sL, const float* __restrict sR,
                             const float* __restrict vL, const float* __restrict vR, float w, float fL, float fR,
                             int x0, int x1) {
    for (int x = x0; x <= x1; ++x) acc[x] += w * ((sR[x] - sL[x]) + (fR * vR[x] - fL * vL[x]));
  }

  // Row y on `count` column runs (first, last pairs).
  void gatherRow(int y, float* dst, const int* runs, int count) {
    const size_t n = padded();
    float* acc = acc_.data();
    for (int k = 0; k < count; ++k) std::fill(acc + runs[2 * k], acc + runs[2 * k + 1] + 1, 0.0f);
    double constant = 0;  // the spans' integrals of their rows' means
    for (const KernelSpan& span : kernel_.spans) {
      // Rows past the image repeat its edge rows; the prefix covers [first_, last_].
      const int row = std::clamp(std::clamp(y + span.dy, 0, height_ - 1), first_, last_) - first_;
      const float* v = values_.data() + row * n;
      const float* s = prefix_.data() + row * (n + 1);
      // Integral up to u (pixel i covers [i - 0.5, i + 0.5)) = s[a] + frac * v[a].
      const double uLeft = pad_ + span.left + 0.5, uRight = pad_ + span.right + 0.5;
      const int aL = static_cast<int>(std::floor(uLeft)), aR = static_cast<int>(std::floor(uRight));
      const float fL = static_cast<float>(uLeft - aL), fR = static_cast<float>(uRight - aR);
      const float w = static_cast<float>(span.weight);
      constant += span.weight * (span.right - span.left) * means_[row];
      for (int k = 0; k < count; ++k) accumulateSpan(acc, s + aL, s + aR, v + aL, v + aR, w, fL, fR, runs[2 * k], runs[2 * k + 1]);
    }
    const float norm = static_cast<float>(1.0 / kernel_.area);
    const float offset = static_cast<float>(constant / kernel_.area);
    for (int k = 0; k < count; ++k) {
      for (int x = runs[2 * k]; x <= runs[2 * k + 1]; ++x) dst[x] = acc[x] * norm + offset;
    }
  }

  const ApertureKernel& kernel_;
  int width_, height_, pad_;
  int first_ = 0, last_ = 0;  // rows the prefix sums hold
  Buffer<float> values_, prefix_, means_, acc_;
};

}  // namespace defocus
