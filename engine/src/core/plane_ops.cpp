#include "core/plane_ops.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/simd4.h"

namespace defocus {

void transposePlane(const float* in, float* out, int width, int height) {
  // Cache blocks of 32 x 32; inside them 4 x 4 tiles transposed in registers with vector
  // shuffles (scalar stores down a column cost ~2 ns each in WebAssembly).
  constexpr int kBlock = 32;
  for (int y0 = 0; y0 < height; y0 += kBlock) {
    const int y1 = std::min(height, y0 + kBlock);
    for (int x0 = 0; x0 < width; x0 += kBlock) {
      const int x1 = std::min(width, x0 + kBlock);
      int y = y0;
      for (; y + 4 <= y1; y += 4) {
        const float* r0 = in + static_cast<size_t>(y) * width;
        const float *r1 = r0 + width, *r2 = r1 + width, *r3 = r2 + width;
        int x = x0;
        for (; x + 4 <= x1; x += 4) transposeTile4(r0 + x, width, 1, out + static_cast<size_t>(x) * height + y, height, 1);
        for (; x < x1; ++x) {
          float* o = out + static_cast<size_t>(x) * height + y;
          o[0] = r0[x], o[1] = r1[x], o[2] = r2[x], o[3] = r3[x];
        }
      }
      for (; y < y1; ++y) {
        const float* src = in + static_cast<size_t>(y) * width;
        for (int x = x0; x < x1; ++x) out[static_cast<size_t>(x) * height + y] = src[x];
      }
    }
  }
}

// ---- box reduction ---------------------------------------------------------------

CoarseGrid boxReduceGrid(int fullWidth, int fullHeight, int factor, int margin) {
  CoarseGrid g;
  g.step = factor;
  g.width = (fullWidth + 2 * margin + factor - 1) / factor;
  g.height = (fullHeight + 2 * margin + factor - 1) / factor;
  // Block j covers full pixels [j f - margin, j f - margin + f): centre at + (f - 1) / 2.
  g.originX = g.originY = -margin + (factor - 1) * 0.5;
  return g;
}

size_t boxReduceScratch(int fullWidth, const CoarseGrid& grid) {
  return static_cast<size_t>(std::max(grid.width * grid.step, fullWidth));
}

namespace {

// dst[i] = scale * (sum of row[i f .. i f + f - 1]), the sum taken in that order. With F
// fixed the loop unrolls and the compiler can vectorise its strided loads; a loop over a
// run-time f was most of a 12 MP auto-depth boxReduce (factors 2-7 occur; perf).
template <int F>
void sumCellsOf(const float* row, int cells, float scale, float* dst) {
  for (int i = 0; i < cells; ++i) {
    float sum = 0;
    for (int k = 0; k < F; ++k) sum += row[i * F + k];
    dst[i] = sum * scale;
  }
}

void sumCells(const float* row, int f, int cells, float scale, float* dst) {
  switch (f) {
    case 1: return sumCellsOf<1>(row, cells, scale, dst);
    case 2: return sumCellsOf<2>(row, cells, scale, dst);
    case 3: return sumCellsOf<3>(row, cells, scale, dst);
    case 4: return sumCellsOf<4>(row, cells, scale, dst);
    case 5: return sumCellsOf<5>(row, cells, scale, dst);
    case 6: return sumCellsOf<6>(row, cells, scale, dst);
    case 7: return sumCellsOf<7>(row, cells, scale, dst);
    case 8: return sumCellsOf<8>(row, cells, scale, dst);
    default:
      for (int i = 0; i < cells; ++i) {
        float sum = 0;
        for (int k = 0; k < f; ++k) sum += row[i * f + k];
        dst[i] = sum * scale;
      }
  }
}

}  // namespace

void boxReduce(const float* in, int fullWidth, int fullHeight, const CoarseGrid& g, float* out, float* scratch) {
  const int f = g.step;
  const int margin = static_cast<int>(std::lround((f - 1) * 0.5 - g.originX));
  const float scale = 1.0f / (static_cast<float>(f) * f);
  const int padded = g.width * f;
  for (int j = 0; j < g.height; ++j) {
    std::fill(scratch, scratch + padded, 0.0f);
    for (int k = 0; k < f; ++k) {
      const float* src = in + static_cast<size_t>(std::clamp(j * f - margin + k, 0, fullHeight - 1)) * fullWidth;
      // Left padding, the row itself, right padding: no clamping in the long middle loop.
      const int left = std::min(margin, padded), inside = std::min(fullWidth, padded - left);
      for (int x = 0; x < left; ++x) scratch[x] += src[0];
      for (int x = 0; x < inside; ++x) scratch[left + x] += src[x];
      for (int x = left + inside; x < padded; ++x) scratch[x] += src[fullWidth - 1];
    }
    sumCells(scratch, f, g.width, scale, out + static_cast<size_t>(j) * g.width);
  }
}

void boxHalve(const float* in, const CoarseGrid& from, const CoarseGrid& to, float* out) {
  // Cell j of `to` covers full pixels [2 f j - 4 f, 2 f j - 2 f): cells 2 j - 2 and 2 j - 1 of `from`.
  const int fw = from.width, fh = from.height;
  std::vector<int> left(to.width), right(to.width);
  for (int i = 0; i < to.width; ++i) left[i] = std::clamp(2 * i - 2, 0, fw - 1), right[i] = std::clamp(2 * i - 1, 0, fw - 1);
  for (int j = 0; j < to.height; ++j) {
    const float* r0 = in + static_cast<size_t>(std::clamp(2 * j - 2, 0, fh - 1)) * fw;
    const float* r1 = in + static_cast<size_t>(std::clamp(2 * j - 1, 0, fh - 1)) * fw;
    float* dst = out + static_cast<size_t>(j) * to.width;
    for (int i = 0; i < to.width; ++i) dst[i] = 0.25f * ((r0[left[i]] + r0[right[i]]) + (r1[left[i]] + r1[right[i]]));
  }
}

// ---- binomial pyramid level --------------------------------------------------------

void halveSize(int width, int height, int margin, int* outWidth, int* outHeight) {
  // Output centres 2 j - margin must reach width - 1 + margin.
  *outWidth = (width - 1 + 2 * margin) / 2 + 1;
  *outHeight = (height - 1 + 2 * margin) / 2 + 1;
}

size_t binomialHalveScratch(int width, int height, int margin) {
  int ow, oh;
  halveSize(width, height, margin, &ow, &oh);
  return static_cast<size_t>(width) * oh + width + 2;
}

namespace {
constexpr float b0 = 1.0f / 16, b1 = 4.0f / 16, b2 = 6.0f / 16;
}  // namespace

void binomialAcrossRows(const float* const r[5], float* d, int n) {
  for (int i = 0; i < n; ++i) d[i] = b0 * (r[0][i] + r[4][i]) + b1 * (r[1][i] + r[3][i]) + b2 * r[2][i];
}

void binomialFromSplit(const float* even, const float* odd, float* d, int n) {
  for (int j = 0; j < n; ++j) d[j] = b0 * (even[j] + even[j + 2]) + b1 * (odd[j] + odd[j + 1]) + b2 * even[j + 1];
}

void binomialHalveRow(const float* v, int width, int margin, float* d, int ow, float* scratch) {
  // Output j is centred on input c = 2 j - margin, whose parity p is the margin's. With
  // even[k] = v[2k + p] and odd[k] = v[2k + p + 1], centre c = 2k + p has its taps at
  // even[k - 1], odd[k - 1], even[k], odd[k], even[k + 1], k = j - (margin + p) / 2.
  const int p = margin & 1;
  const int halves = (width - p) / 2;
  float* even = scratch;
  float* odd = scratch + halves + 1;
  for (int k = 0; k < halves; ++k) even[k] = v[2 * k + p], odd[k] = v[2 * k + p + 1];
  const int shift = (margin + p) / 2;
  const int lo = std::max(0, 1 + shift), hi = std::min(ow - 1, halves - 2 + shift);  // 1 <= k <= halves - 2
  if (hi >= lo) binomialFromSplit(even + lo - shift - 1, odd + lo - shift - 1, d + lo, hi - lo + 1);
  // Near the ends, taps are clamped into the row.
  auto at = [&](int x) { return v[std::clamp(x, 0, width - 1)]; };
  for (int j = 0; j < ow; ++j) {
    if (j >= lo && j <= hi) continue;
    const int c = 2 * j - margin;
    d[j] = b0 * (at(c - 2) + at(c + 2)) + b1 * (at(c - 1) + at(c + 1)) + b2 * at(c);
  }
}

void binomialHalve(const float* in, int width, int height, int margin, float* out, float* scratch) {
  int ow, oh;
  halveSize(width, height, margin, &ow, &oh);
  float* rowScratch = scratch + static_cast<size_t>(width) * oh;
  // Vertical first, on whole rows (vectorises): oh rows of the full input width.
  for (int j = 0; j < oh; ++j) {
    const int c = 2 * j - margin;
    const float* r[5];
    for (int k = 0; k < 5; ++k) r[k] = in + static_cast<size_t>(std::clamp(c - 2 + k, 0, height - 1)) * width;
    binomialAcrossRows(r, scratch + static_cast<size_t>(j) * width, width);
  }
  // Horizontal on the halved row count.
  for (int y = 0; y < oh; ++y) {
    binomialHalveRow(scratch + static_cast<size_t>(y) * width, width, margin, out + static_cast<size_t>(y) * ow, ow,
                     rowScratch);
  }
}

// ---- interpolation back to full resolution ------------------------------------------

void cubicWeights(Reconstruction kernel, int fullSize, double origin, int step, int* first, float* weights) {
  for (int x = 0; x < fullSize; ++x) {
    const double u = (x - origin) / step;
    const int j = static_cast<int>(std::floor(u));
    const double s = u - j, t = 1 - s;
    double w[4];
    if (kernel == Reconstruction::kCatmullRom) {
      catmullRomTaps(s, w);
    } else {
      w[0] = t * t * t / 6;
      w[1] = (3 * s * s * s - 6 * s * s + 4) / 6;
      w[2] = (3 * t * t * t - 6 * t * t + 4) / 6;
      w[3] = s * s * s / 6;
    }
    first[x] = j - 1;
    for (int k = 0; k < 4; ++k) weights[4 * x + k] = static_cast<float>(w[k]);
  }
}

RowInterpolator::RowInterpolator(const CoarseGrid& grid, int fullWidth)
    : step_(grid.step), coarseWidth_(grid.width), fullWidth_(fullWidth) {
  // Full position x sits at phase (x - origin) mod step between coarse pixels, and every
  // position of one phase has the same 4 weights while its first tap advances by one per
  // step. So each phase is a unit-stride weighted sum over the row (vectorises), and the
  // phases are then interleaved.
  base_ = static_cast<int>(std::floor(-grid.originX / step_)) - 1;
  count_ = static_cast<int>(std::ceil((fullWidth - 1 - grid.originX) / step_)) - base_ + 2;
  std::vector<int> first(fullWidth);
  std::vector<float> weights(static_cast<size_t>(fullWidth) * 4);
  cubicWeights(grid.kernel, fullWidth, grid.originX, step_, first.data(), weights.data());
  const int phases = std::min(step_, fullWidth);
  offsets_.resize(phases);
  weights_.assign(weights.begin(), weights.begin() + 4 * static_cast<size_t>(phases));
  for (int x = 0; x < phases; ++x) offsets_[x] = first[x] - (base_ - 1);
  padded_.resize(static_cast<size_t>(count_) + 4);
  phase_.resize(static_cast<size_t>(phases) * count_);
}

void RowInterpolator::run(const float* src, float* dst) {
  // The coarse row from index base - 1 on, edge-clamped, so every phase reads in range.
  const int n = count_ + 4, lo = std::clamp(1 - base_, 0, n), hi = std::clamp(coarseWidth_ + 1 - base_, lo, n);
  std::fill(padded_.begin(), padded_.begin() + lo, src[0]);
  std::copy(src + (base_ - 1 + lo), src + (base_ - 1 + hi), padded_.begin() + lo);
  std::fill(padded_.begin() + hi, padded_.begin() + n, src[coarseWidth_ - 1]);
  const int phases = static_cast<int>(offsets_.size());
  const float* phase[2];
  for (int x0 = 0; x0 < phases; ++x0) {
    const float* w = &weights_[4 * static_cast<size_t>(x0)];
    const float* t = padded_.data() + offsets_[x0];
    if (x0 < 2) phase[x0] = t + 1;
    // A phase on the coarse samples themselves (Catmull-Rom at offset 0) is a copy.
    if (w[0] == 0 && w[1] == 1 && w[2] == 0 && w[3] == 0 && phases == 2) continue;
    float* __restrict p = &phase_[static_cast<size_t>(x0) * count_];
    const int n = (fullWidth_ - 1 - x0) / step_ + 1;
    const float w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3];  // locals: p cannot alias them
    for (int k = 0; k < n; ++k) p[k] = w0 * t[k] + w1 * t[k + 1] + w2 * t[k + 2] + w3 * t[k + 3];
    if (x0 < 2) phase[x0] = p;
  }
  if (phases == 2) {  // both phases in one pass, with vector shuffles
    const int pairs = fullWidth_ / 2;
    interleave2(phase[0], phase[1], dst, pairs);
    if (fullWidth_ & 1) dst[fullWidth_ - 1] = phase[0][pairs];
    return;
  }
  for (int x0 = 0; x0 < phases; ++x0) {  // interleave: no division per pixel
    const float* p = &phase_[static_cast<size_t>(x0) * count_];
    for (int k = 0, x = x0; x < fullWidth_; ++k, x += step_) dst[x] = p[k];
  }
}

void interpolateRowsHorizontally(const float* coarse, const CoarseGrid& g, float* out, int fullWidth) {
  RowInterpolator interpolator(g, fullWidth);
  for (int y = 0; y < g.height; ++y) {
    interpolator.run(coarse + static_cast<size_t>(y) * g.width, out + static_cast<size_t>(y) * fullWidth);
  }
}

size_t interpolateScratch(const CoarseGrid& grid, int fullWidth) {
  return static_cast<size_t>(grid.height) * fullWidth;
}

void interpolate(const float* coarse, const CoarseGrid& g, float* out, int fullWidth, int fullHeight,
                 float* scratch) {
  interpolateRows(coarse, g, out, fullWidth, fullHeight, 0, fullHeight, scratch);
}

void interpolateRows(const float* coarse, const CoarseGrid& g, float* out, int fullWidth, int fullHeight, int from,
                     int to, float* scratch) {
  // Horizontal first, on the few coarse rows (gathers do not vectorise), then vertical
  // as weighted sums of whole rows (vectorised) for every full-resolution row.
  interpolateRowsHorizontally(coarse, g, scratch, fullWidth);
  std::vector<int> first(fullHeight);
  std::vector<float> weights(static_cast<size_t>(fullHeight) * 4);
  cubicWeights(g.kernel, fullHeight, g.originY, g.step, first.data(), weights.data());
  for (int y = from; y < to; ++y) {
    float* dst = out + static_cast<size_t>(y - from) * fullWidth;
    const float* w = &weights[4 * static_cast<size_t>(y)];
    const float* r[4];
    for (int k = 0; k < 4; ++k) {
      r[k] = scratch + static_cast<size_t>(std::clamp(first[y] + k, 0, g.height - 1)) * fullWidth;
    }
    for (int x = 0; x < fullWidth; ++x) dst[x] = w[0] * r[0][x] + w[1] * r[1][x] + w[2] * r[2][x] + w[3] * r[3][x];
  }
}

}  // namespace defocus
