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
#include <vector>

#include "blur/lens/aperture_kernel.h"
#include "defocus/buffer.h"

namespace defocus {

class SpanGather {
 public:
  SpanGather(const ApertureKernel& kernel, int width, int height)
      : kernel_(kernel), width_(width), height_(height), pad_(kernel.reach + 1) {}

  // Room for every row (run); runRanges allocates what its rows need by itself.
  bool allocate() { return reserveRows(height_); }

  // Every row of out.
  void run(const float* in, float* out) {
    segments_.assign(height_, Segment{0, width_ - 1});
    buildPrefix(in, 0, height_ - 1);
    const int whole[2] = {0, width_ - 1};
    for (int y = 0; y < height_; ++y) gatherRow(y, out + static_cast<size_t>(y) * width_, whole, 1);
  }

  // Only the column runs of rows y0..y1 of out (a whole plane) are written: row y's runs
  // are the (first, last) pairs runs[2 start[y]] .. before runs[2 start[y + 1]]. Prefix sums
  // are built for the rows and columns they reach only. False when out of memory.
  bool runRuns(const float* in, float* out, const int* start, const int* runs, int y0, int y1) {
    if (y0 > y1) return true;
    const int p0 = std::max(0, y0 - kernel_.reach), p1 = std::min(height_ - 1, y1 + kernel_.reach);
    if (!reserveRows(p1 - p0 + 1)) return false;
    // Prefix row y' is read by the output rows within reach of it (and, clamped, by those
    // past the image's edge rows): it covers the columns of all their runs.
    segments_.assign(p1 - p0 + 1, Segment{width_, -1});
    for (int y = y0; y <= y1; ++y) {
      if (start[y] == start[y + 1]) continue;
      const int x0 = runs[2 * start[y]], x1 = runs[2 * start[y + 1] - 1];
      const int r0 = std::clamp(y - kernel_.reach, p0, p1), r1 = std::clamp(y + kernel_.reach, p0, p1);
      for (int r = r0; r <= r1; ++r) {
        Segment& g = segments_[r - p0];
        g.x0 = std::min(g.x0, x0), g.x1 = std::max(g.x1, x1);
      }
    }
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

  // Prefix sums of rows p0..p1, each over the padded positions its segment's runs read
  // (columns x0 .. x1 + 2 pad): the sum starts at 0 there, as only differences are read.
  void buildPrefix(const float* in, int p0, int p1) {
    first_ = p0, last_ = p1;
    const size_t n = padded();
    for (int y = p0; y <= p1; ++y) {
      const Segment g = segments_[y - p0];
      if (g.x1 < g.x0) continue;  // no output row reads this one
      const int lo = g.x0, hi = g.x1 + 2 * pad_;  // padded positions
      const float* src = in + static_cast<size_t>(y) * width_;
      float* v = values_.data() + (y - p0) * n;
      float* s = prefix_.data() + (y - p0) * (n + 1);
      // Padded position i is pixel i - pad, edge pixels repeated.
      const int in0 = std::max(lo, pad_), in1 = std::min(hi, pad_ + width_ - 1);
      for (int i = lo; i < in0; ++i) v[i] = src[0];
      std::memcpy(v + in0, src + (in0 - pad_), static_cast<size_t>(in1 - in0 + 1) * sizeof(float));
      for (int i = in1 + 1; i <= hi; ++i) v[i] = src[width_ - 1];
      const float mean = meanOf(v + lo, hi - lo + 1);
      means_[y - p0] = mean;
      for (int i = lo; i <= hi; ++i) v[i] -= mean;
      prefixSums(v + lo, hi - lo + 1, s + lo);
    }
  }

  // The mean in 8 partial sums: a float sum in one chain neither vectorises (no
  // reassociation) nor runs faster than one add's latency per value.
  static float meanOf(const float* v, int count) {
    float part[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int i = 0;
    for (; i + 8 <= count; i += 8) {
      for (int k = 0; k < 8; ++k) part[k] += v[i + k];
    }
    float total = 0;
    for (; i < count; ++i) total += v[i];
    for (float p : part) total += p;
    return total / static_cast<float>(count);
  }

  // s[0] = 0, s[i + 1] = s[i] + v[i]: as four quarters summed side by side (four
  // independent chains keep the adder busy), then each quarter offset by those before it.
  static void prefixSums(const float* v, int count, float* s) {
    const int q = count / 4;
    s[0] = 0;
    if (q < 16) {
      for (int i = 0; i < count; ++i) s[i + 1] = s[i] + v[i];
      return;
    }
    float a = 0, b = 0, c = 0, d = 0;
    for (int i = 0; i < q; ++i) {
      s[i + 1] = a += v[i];
      s[q + i + 1] = b += v[q + i];
      s[2 * q + i + 1] = c += v[2 * q + i];
      s[3 * q + i + 1] = d += v[3 * q + i];
    }
    for (int i = 4 * q; i < count; ++i) s[i + 1] = (d += v[i]);
    // Quarters 2..4 (and the tail, summed on from quarter 4) were summed from 0.
    const float offsets[3] = {a, a + b, a + b + c};
    for (int k = 1; k <= 3; ++k) {
      float* seg = s + k * q + 1;
      const int len = k == 3 ? count - 3 * q : q;
      for (int i = 0; i < len; ++i) seg[i] += offsets[k - 1];
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

  struct Segment {
    int x0, x1;  // the columns of the runs that read a prefix row (x1 < x0: none)
  };

  const ApertureKernel& kernel_;
  int width_, height_, pad_;
  std::vector<Segment> segments_;  // per prefix row
  int first_ = 0, last_ = 0;  // rows the prefix sums hold
  Buffer<float> values_, prefix_, means_, acc_;
};

}  // namespace defocus
