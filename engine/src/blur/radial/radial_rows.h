// Internal: the rows of a radial cone (radial_cone.h) as contiguous runs along x, read
// and written in increasing row order. Cones that run down or up the image use the planes
// directly; cones that run left or right would step a whole image row per sample, so
// they go through a small slab of rows copied out (or written back) a block at a time.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdlib>

#include "defocus/buffer.h"
#include "blur/radial/radial_cone.h"
#include "core/simd4.h"

namespace defocus {

constexpr int kRadialSlabRows = 32;


class ConeRows {
 public:
  // `planes` (count of them) hold the samples; rows vFirst..vLimit of the cone exist.
  ConeRows(const RadialCone& cone, const float* const* planes, int count)
      : cone_(cone), planes_(planes), count_(count), span_(cone.xMax - cone.xMin + 1) {}

  bool direct() const { return cone_.xStep == 1; }
  bool init() { return direct() || slab_.resize(static_cast<size_t>(count_) * kRadialSlabRows * span_); }
  void restart() { first_ = end_ = 0; }

  // p[x - xMin] is sample (row, x) of plane i, for x in xFrom..xTo (within xMin..xMax);
  // rows past vLimit (or before vFirst) repeat it.
  const float* row(int i, int row, int xFrom, int xTo) {
    row = std::clamp(row, cone_.vFirst, cone_.vLimit);
    if (direct()) return planes_[i] + (cone_.origin + row * cone_.vStep + cone_.xMin);
    if (row < first_ || row >= end_ || xFrom < lo_ || xTo > hi_) load(row, xFrom, xTo);
    return slab_.data() + (static_cast<size_t>(i) * kRadialSlabRows + (row - first_)) * span_;
  }

 private:
  void load(int row, int xFrom, int xTo) {
    first_ = row;
    end_ = std::min(cone_.vLimit + 1, row + kRadialSlabRows);
    // Callers' runs widen by about a pixel a row (the cone): cover the slab's later rows too.
    lo_ = std::max(cone_.xMin, xFrom - kRadialSlabRows - 2);
    hi_ = std::min(cone_.xMax, xTo + kRadialSlabRows + 2);
    const int n = end_ - first_;
    // In blocks of kBlock image rows: a block's rows stay cached (lines and pages) while
    // each slab row takes its run of them, which keeps both the reads and the writes local.
    const ptrdiff_t xStep = cone_.xStep, vStep = cone_.vStep;
    for (int i = 0; i < count_; ++i) {
      float* slab = slab_.data() + static_cast<size_t>(i) * kRadialSlabRows * span_;
      const float* src = planes_[i] + (cone_.origin + cone_.xMin * xStep + first_ * vStep);
      for (int q0 = lo_ - cone_.xMin; q0 <= hi_ - cone_.xMin; q0 += kBlock) {
        const int q1 = std::min(hi_ - cone_.xMin + 1, q0 + kBlock);
        int t = 0;
        for (; t + 4 <= n; t += 4) {  // 4 slab rows at a time, in 4x4 tiles
          float* d = slab + static_cast<size_t>(t) * span_;
          int q = q0;
          for (; q + 4 <= q1; q += 4) transposeTile4(src + q * xStep + t * vStep, xStep, vStep, d + q, span_, 1);
          for (; q < q1; ++q) {
            for (int m = 0; m < 4; ++m) d[m * span_ + q] = src[q * xStep + (t + m) * vStep];
          }
        }
        for (; t < n; ++t) {
          const float* s = src + t * vStep + q0 * xStep;
          float* d = slab + static_cast<size_t>(t) * span_;
          for (int q = q0; q < q1; ++q, s += xStep) d[q] = *s;
        }
      }
    }
  }

  static constexpr int kBlock = 64;
  const RadialCone& cone_;
  const float* const* planes_;
  const int count_, span_;
  Buffer<float> slab_;
  int first_ = 0, end_ = 0, lo_ = 0, hi_ = -1;
};

class ConeSink {
 public:
  ConeSink(const RadialCone& cone, float* const* planes, int count)
      : cone_(cone), planes_(planes), count_(count), span_(cone.xMax - cone.xMin + 1) {}

  bool direct() const { return cone_.xStep == 1; }
  bool init() { return direct() || slab_.resize(static_cast<size_t>(count_) * kRadialSlabRows * span_); }

  // q[x - xMin] receives sample (row, x) of plane i; rows come in increasing order and
  // each covers |x| <= row - 1 + diagonal (within the image), as the cone does.
  float* row(int i, int row) {
    if (direct()) return planes_[i] + (cone_.origin + row * cone_.vStep + cone_.xMin);
    if (row < first_ || row >= first_ + kRadialSlabRows) {
      flush();
      first_ = row, end_ = row + 1;
    }
    end_ = std::max(end_, row + 1);
    return slab_.data() + (static_cast<size_t>(i) * kRadialSlabRows + (row - first_)) * span_;
  }

  // Writes the slab back, a cone row (an image column) at a time.
  void flush() {
    if (direct() || end_ <= first_) return;
    const ptrdiff_t xStep = cone_.xStep, vStep = cone_.vStep;
    for (int i = 0; i < count_; ++i) {
      const float* slab = slab_.data() + static_cast<size_t>(i) * kRadialSlabRows * span_;
      // (Offsets summed before they meet the pointer: the origin may lie outside the planes.)
      const ptrdiff_t at = cone_.origin + cone_.xMin * xStep;
      float* const plane = planes_[i];
      for (int q0 = 0; q0 < span_; q0 += kBlock) {
        const int q1 = std::min(span_, q0 + kBlock);
        // Row v holds x when |x| <= v - 1 + diagonal; later rows hold more.
        const auto range = [&](int v, int* from, int* to) {
          const int reach = v - 1 + cone_.diagonal;
          *from = std::max(q0, -reach - cone_.xMin), *to = std::min(q1, reach - cone_.xMin + 1);
        };
        const auto copy = [&](int v, int from, int to) {
          const float* s = slab + static_cast<size_t>(v - first_) * span_;
          float* d = plane + (at + v * vStep + from * xStep);
          for (int q = from; q < to; ++q, d += xStep) *d = s[q];
        };
        int v = first_;
        for (; v + 4 <= end_; v += 4) {  // 4 rows at a time: 4x4 tiles where all 4 hold the pixels
          int from, to;
          range(v, &from, &to);
          int q = from;
          for (; q + 4 <= to; q += 4) {
            transposeTile4(slab + static_cast<size_t>(v - first_) * span_ + q, span_, 1, plane + (at + q * xStep + v * vStep),
                           xStep, vStep);
          }
          for (int k = 0; k < 4; ++k) {
            int rowFrom, rowTo;
            range(v + k, &rowFrom, &rowTo);
            copy(v + k, rowFrom, std::min(rowTo, from));
            copy(v + k, std::max(rowFrom, q), rowTo);
          }
        }
        for (; v < end_; ++v) {
          int from, to;
          range(v, &from, &to);
          copy(v, from, to);
        }
      }
    }
    end_ = first_;
  }

 private:
  static constexpr int kBlock = 64;
  const RadialCone& cone_;
  float* const* planes_;
  const int count_, span_;
  Buffer<float> slab_;
  int first_ = 0, end_ = 0;
};

}  // namespace defocus
