#include "defocus/background_fill.h"

#include <algorithm>
#include <cstring>

namespace defocus {
namespace {

constexpr float kTrustedAlpha = 0.25f;  // from this alpha on, a pixel's colour is not used

using Level = BackgroundFill::Level;

// Only what is nearly pure background is trusted: edge pixels mix in the subject.
inline float trustOf(float alpha) {
  // Written so a NaN alpha (a caller's matte) gets no trust, like the subject: every
  // comparison below must agree with it, or a row skips its fill and a pixel still asks for one.
  if (!(alpha < kTrustedAlpha)) return 0.0f;
  const float trust = std::clamp(1.0f - alpha / kTrustedAlpha, 0.0f, 1.0f);
  return trust * trust;
}

bool allocate(Level& level, int width, int height, int channels) {
  level.width = width;
  level.height = height;
  const size_t n = static_cast<size_t>(width) * height;
  return level.weighted.resize(n * channels) && level.weight.resize(n);
}

float* planeOf(Level& l, int c) { return l.weighted.data() + static_cast<size_t>(c) * l.width * l.height; }
const float* planeOf(const Level& l, int c) {
  return l.weighted.data() + static_cast<size_t>(c) * l.width * l.height;
}

// Columns [x0, x1) of one row of the 2x2 box sum of a finer level (edge pixels of odd
// sizes are repeated).
void sumRow(const float* r0, const float* r1, int fineWidth, int coarseWidth, int x0, int x1, float* d) {
  const int pairs = std::min(x1, fineWidth / 2);  // columns 2x, 2x + 1 both inside: a straight loop
  for (int x = x0; x < pairs; ++x) d[x] = 0.25f * (r0[2 * x] + r0[2 * x + 1] + r1[2 * x] + r1[2 * x + 1]);
  if (fineWidth / 2 < coarseWidth && x1 == coarseWidth) d[x1 - 1] = 0.5f * (r0[fineWidth - 1] + r1[fineWidth - 1]);
}
void sumRow(const float* r0, const float* r1, int fineWidth, int coarseWidth, float* d) {
  sumRow(r0, r1, fineWidth, coarseWidth, 0, coarseWidth, d);
}

// Columns [x0, x1) of row j of the half-size level before it is filled (colour times trust,
// and the trust), from full rows 2j and 2j + 1 of the source: base holds 2 x channels rows
// of width floats, baseWeight 2 rows, alphaRow one (a 16-bit matte's row as floats). Returns
// whether any pixel of those rows is trusted.
bool makeHalfRow(int j, int x0, int x1, int width, int height, int channels, const BackgroundFill::RowSource& source,
                 const AlphaRows& matte, float* base, float* baseWeight, float* alphaRow, int halfWidth, float* const* out,
                 float* weight) {
  float* planes[2][16];
  for (int k = 0; k < 2; ++k) {
    for (int c = 0; c < channels; ++c) planes[k][c] = base + (static_cast<size_t>(k) * channels + c) * width;
  }
  bool any = false;
  const int from[2] = {2 * j, std::min(2 * j + 1, height - 1)};
  const int fx0 = 2 * x0, fx1 = std::min(width, 2 * x1);  // the full-size columns they sum
  for (int k = 0; k < 2; ++k) {
    if (k == 1 && from[1] == from[0]) break;
    source(from[k], fx0, fx1, planes[k]);
    const float* alpha = matte.row(from[k], alphaRow, fx0, fx1);
    float* w = baseWeight + static_cast<size_t>(k) * width;
    for (int x = fx0; x < fx1; ++x) {
      w[x] = trustOf(alpha[x]);
      any |= w[x] > 0;
    }
    for (int c = 0; c < channels; ++c) {
      for (int x = fx0; x < fx1; ++x) planes[k][c][x] *= w[x];
    }
  }
  const int second = from[1] == from[0] ? 0 : 1;
  sumRow(baseWeight, baseWeight + static_cast<size_t>(second) * width, width, halfWidth, x0, x1, weight);
  for (int c = 0; c < channels; ++c) sumRow(planes[0][c], planes[second][c], width, halfWidth, x0, x1, out[c]);
  return any;
}

bool push(const Level& fine, int channels, Level& coarse) {
  if (!allocate(coarse, (fine.width + 1) / 2, (fine.height + 1) / 2, channels)) return false;
  auto sum = [&](const float* src, float* dst) {
    for (int y = 0; y < coarse.height; ++y) {
      const float* r0 = src + static_cast<size_t>(2 * y) * fine.width;
      const float* r1 = src + static_cast<size_t>(std::min(2 * y + 1, fine.height - 1)) * fine.width;
      sumRow(r0, r1, fine.width, coarse.width, dst + static_cast<size_t>(y) * coarse.width);
    }
  };
  sum(fine.weight.data(), coarse.weight.data());
  for (int c = 0; c < channels; ++c) sum(planeOf(fine, c), planeOf(coarse, c));
  return true;
}

// Bilinear sampling of a coarser level at fine row y (centres aligned, edges clamped).
struct CoarseRow {
  int j0, j1;
  float fy;
  CoarseRow(int y, int coarseHeight) {
    const float v = std::clamp((y + 0.5f) / 2 - 0.5f, 0.0f, coarseHeight - 1.0f);
    j0 = static_cast<int>(v), j1 = std::min(j0 + 1, coarseHeight - 1);
    fy = v - j0;
  }
};

// Where fine column x falls on the coarser level (centres aligned, edges clamped): it is
// interpolated between columns int(u) and the next.
inline float coarseAt(int x, int coarseWidth) { return std::clamp((x + 0.5f) / 2 - 0.5f, 0.0f, coarseWidth - 1.0f); }

inline float sampleCoarse(const float* p, int coarseWidth, const CoarseRow& r, int x) {
  const float u = coarseAt(x, coarseWidth);
  const int i0 = static_cast<int>(u), i1 = std::min(i0 + 1, coarseWidth - 1);
  const float fx = u - i0;
  const float top = p[r.j0 * coarseWidth + i0] + fx * (p[r.j0 * coarseWidth + i1] - p[r.j0 * coarseWidth + i0]);
  const float bottom = p[r.j1 * coarseWidth + i0] + fx * (p[r.j1 * coarseWidth + i1] - p[r.j1 * coarseWidth + i0]);
  return top + r.fy * (bottom - top);
}

// sampleCoarse with the two rows given directly (same arithmetic).
inline float sampleRows(const float* top, const float* bottom, int coarseWidth, float fy, int x) {
  const float u = coarseAt(x, coarseWidth);
  const int i0 = static_cast<int>(u), i1 = std::min(i0 + 1, coarseWidth - 1);
  const float fx = u - i0;
  const float t = top[i0] + fx * (top[i1] - top[i0]);
  const float b = bottom[i0] + fx * (bottom[i1] - bottom[i0]);
  return t + fy * (b - t);
}

// Fills the finer level: where its confidence w is below 1, blend in the coarser level's
// (already filled) colour, bilinearly upsampled, by 1 - w.
void pull(Level& fine, const Level& coarse, int channels) {
  for (int y = 0; y < fine.height; ++y) {
    const CoarseRow r(y, coarse.height);
    for (int x = 0; x < fine.width; ++x) {
      const size_t i = static_cast<size_t>(y) * fine.width + x;
      const float w = fine.weight[i];
      if (w >= 1.0f) continue;
      // Own colour where confident, the coarser estimate where not: for premultiplied
      // values, weighted + (1 - w) * below is both at once.
      for (int c = 0; c < channels; ++c) planeOf(fine, c)[i] += (1 - w) * sampleCoarse(planeOf(coarse, c), coarse.width, r, x);
      fine.weight[i] = 1.0f;
    }
  }
}

}  // namespace

Result<BackgroundFill> BackgroundFill::build(int width, int height, int channels, const RowSource& source,
                                             const AlphaRows& matte) {
  if (width < 1 || height < 1 || channels < 1 || matte.width() != width || matte.height() != height) {
    return Status{ErrorCode::kInvalidArgument, "matte must be one plane of the image's size"};
  }
  BackgroundFill fill;
  fill.width_ = width, fill.height_ = height, fill.channels_ = channels;
  if (width == 1 && height == 1) return fill;  // nothing to fill from or into
  if (channels > 16) return Status{ErrorCode::kInvalidArgument, "background fill takes at most 16 planes"};
  // The half-size level straight from the caller's rows, and from two of its rows at a time
  // the quarter-size level: neither the full-size level (colour times trust) nor the
  // half-size one is stored (the half-size one was 4 bytes a pixel while the fill was built,
  // and the hole it left took the output's place in wasm's heap). Its rows are made again,
  // filled, when the render asks for them (halfRow). A 1 x 1 half level is the top: stored.
  const int hw = (width + 1) / 2, hh = (height + 1) / 2;
  const bool halfIsTop = hw == 1 && hh == 1;
  fill.levels_.emplace_back();
  Level& first = fill.levels_.back();
  Buffer<float> base, baseWeight, alphaRow, halfRows;
  if (!allocate(first, halfIsTop ? hw : (hw + 1) / 2, halfIsTop ? hh : (hh + 1) / 2, channels) ||
      !base.resize(2 * static_cast<size_t>(channels) * width) || !baseWeight.resize(2 * static_cast<size_t>(width)) ||
      !alphaRow.resize(static_cast<size_t>(width)) ||
      !halfRows.resize(2 * static_cast<size_t>(channels + 1) * hw)) {
    return outOfMemory("filling the background");
  }
  // Half row k of the pair: channels planes, then the weight.
  const auto halfPlane = [&](int k, int c) { return halfRows.data() + (static_cast<size_t>(k) * (channels + 1) + c) * hw; };
  for (int q = 0; q < first.height; ++q) {
    const int rows[2] = {halfIsTop ? 0 : 2 * q, halfIsTop ? 0 : std::min(2 * q + 1, hh - 1)};
    for (int k = 0; k < 2; ++k) {
      if (k == 1 && rows[1] == rows[0]) break;
      float* out[16];
      for (int c = 0; c < channels; ++c) out[c] = halfPlane(k, c);
      fill.anyBackground_ |= makeHalfRow(rows[k], 0, hw, width, height, channels, source, matte, base.data(),
                                         baseWeight.data(), alphaRow.data(), hw, out, halfPlane(k, channels));
    }
    const size_t at = static_cast<size_t>(q) * first.width;
    if (halfIsTop) {
      first.weight[at] = halfPlane(0, channels)[0];
      for (int c = 0; c < channels; ++c) planeOf(first, c)[at] = halfPlane(0, c)[0];
      continue;
    }
    const int second = rows[1] == rows[0] ? 0 : 1;  // push()'s 2 x 2 sum, row by row
    sumRow(halfPlane(0, channels), halfPlane(second, channels), hw, first.width, first.weight.data() + at);
    for (int c = 0; c < channels; ++c) sumRow(halfPlane(0, c), halfPlane(second, c), hw, first.width, planeOf(first, c) + at);
  }
  if (!fill.anyBackground_) {  // nothing to fill from: the image is all subject
    fill.levels_.clear();
    return fill;
  }
  while (fill.levels_.back().width > 1 || fill.levels_.back().height > 1) {
    Level coarse;
    if (!push(fill.levels_.back(), channels, coarse)) return outOfMemory("filling the background");
    fill.levels_.push_back(std::move(coarse));
  }
  // The 1x1 top is the confidence-weighted mean colour: normalise it.
  Level& top = fill.levels_.back();
  for (int c = 0; c < channels; ++c) planeOf(top, c)[0] = top.weight[0] > 0 ? planeOf(top, c)[0] / top.weight[0] : 0;
  top.weight[0] = 1;
  for (size_t l = fill.levels_.size() - 1; l > 0; --l) pull(fill.levels_[l - 1], fill.levels_[l], channels);
  // The rows need the half-size level filled. Kept: the quarter-size level (under a byte a
  // pixel), or the 1 x 1 half level.
  const bool keepHalf = halfIsTop;
  fill.levels_.erase(fill.levels_.begin() + 1, fill.levels_.end());
  fill.levels_[0].weight = Buffer<float>();
  fill.halfStored_ = keepHalf;
  fill.halfWidth_ = (width + 1) / 2, fill.halfHeight_ = (height + 1) / 2;
  fill.source_ = source;
  fill.matte_ = matte;
  Result<HalfRows> half = fill.halfRows();
  if (!half.ok()) return half.status();
  *fill.cache_ = half.take();
  return fill;
}

Result<BackgroundFill::HalfRows> BackgroundFill::halfRows() const {
  HalfRows half;
  if (!half.alpha.resize(2 * static_cast<size_t>(width_)) || !half.trust.resize(static_cast<size_t>(width_))) {
    return outOfMemory("filling the background");
  }
  if (halfStored_ || levels_.empty()) return half;  // rows() reads the stored level, or copies
  const size_t halfRow = static_cast<size_t>(halfWidth_);
  if (!half.rows.resize(2 * (channels_ + 1) * halfRow) || !half.base.resize(2 * static_cast<size_t>(channels_) * width_) ||
      !half.baseWeight.resize(2 * static_cast<size_t>(width_))) {
    return outOfMemory("filling the background");
  }
  return half;
}

// Columns [x0, x1) (at least) of row j of the half-size level, filled (what pull() made of
// it during build), into a slot.
const float* BackgroundFill::halfRow(int j, int channel, int x0, int x1, HalfRows& cache) const {
  const size_t halfRow = static_cast<size_t>(halfWidth_);
  int slot = 1 - cache.lastUsed;  // the row used last (the other one a pixel needs) stays
  for (int k = 0; k < 2; ++k) {
    if (cache.row[k] != j) continue;
    if (cache.from[k] <= x0 && x1 <= cache.to[k]) {
      cache.lastUsed = k;
      return cache.rows.data() + (static_cast<size_t>(k) * (channels_ + 1) + channel) * halfRow;
    }
    // Made narrower for an earlier row: made again over both ranges, in its own slot.
    slot = k, x0 = std::min(x0, cache.from[k]), x1 = std::max(x1, cache.to[k]);
  }
  cache.lastUsed = slot;
  cache.row[slot] = j, cache.from[slot] = x0, cache.to[slot] = x1;
  float* out = cache.rows.data() + static_cast<size_t>(slot) * (channels_ + 1) * halfRow;
  float* weight = out + static_cast<size_t>(channels_) * halfRow;
  float* planes[16];
  for (int c = 0; c < channels_; ++c) planes[c] = out + c * halfRow;
  makeHalfRow(j, x0, x1, width_, height_, channels_, source_, matte_, cache.base.data(), cache.baseWeight.data(),
              cache.alpha.data() + width_, halfWidth_, planes, weight);
  // pull(): where the half-size confidence is below 1, the quarter-size colour blends in.
  const Level& quarter = levels_[0];
  const CoarseRow r(j, quarter.height);
  for (int x = x0; x < x1; ++x) {
    const float w = weight[x];
    if (w >= 1.0f) continue;
    for (int c = 0; c < channels_; ++c) out[c * halfRow + x] += (1 - w) * sampleCoarse(planeOf(quarter, c), quarter.width, r, x);
  }
  return out + static_cast<size_t>(channel) * halfRow;
}

void BackgroundFill::rows(int y0, int y1, const AlphaRows& matte, const float* const* linear, float* const* out) const {
  rows(y0, y1, matte, linear, out, *cache_);
}

void BackgroundFill::rows(int y0, int y1, const AlphaRows& matte, const float* const* linear, float* const* out,
                          HalfRows& half) const {
  const size_t n = static_cast<size_t>(y1 - y0) * width_;
  if (levels_.empty()) {  // no background anywhere (or one pixel): the photo as it is
    for (int c = 0; c < channels_; ++c) {
      if (out[c] != linear[c]) std::memcpy(out[c], linear[c], n * sizeof(float));
    }
    return;
  }
  float* trust = half.trust.data();
  for (int y = y0; y < y1; ++y) {
    const CoarseRow r(y, halfHeight_);
    const size_t row = static_cast<size_t>(y - y0) * width_;
    // Fully trusted pixels keep their colour: at full size that is most of the photo, and
    // in place (the render's strips) they are not written at all. (12 MP render, one
    // thread, perf: the fill's rows 8.0% -> 6.2% of the samples.)
    const auto keep = [&](int x0, int x1) {
      for (int c = 0; c < channels_; ++c) {
        if (out[c] != linear[c]) std::memcpy(out[c] + row + x0, linear[c] + row + x0, (x1 - x0) * sizeof(float));
      }
    };
    // The columns to fill: from the first untrusted to the last. Outside the matte's
    // covered span alpha is 0 or below, so the trust is 1: a row clear of the subject is
    // kept without reading its alpha as floats (a 12 MP photo's rows, once per render).
    int fillFrom, fillTo;
    matte.coveredSpan(y, &fillFrom, &fillTo);
    const float* alpha = matte.row(y, half.alpha.data(), fillFrom, fillTo);
    for (int x = fillFrom; x < fillTo; ++x) trust[x] = trustOf(alpha[x]);
    while (fillFrom < fillTo && trust[fillFrom] >= 1.0f) ++fillFrom;
    while (fillTo > fillFrom && trust[fillTo - 1] >= 1.0f) --fillTo;
    if (fillFrom == fillTo) {
      keep(0, width_);
      continue;
    }
    // The half-size rows are made only for rows that need them, and only the columns
    // sampleRows reads for those columns.
    const int halfFrom = static_cast<int>(coarseAt(fillFrom, halfWidth_));
    const int halfTo = std::min(static_cast<int>(coarseAt(fillTo - 1, halfWidth_)) + 1, halfWidth_ - 1) + 1;
    const float* top[16];
    const float* bottom[16];
    for (int c = 0; c < channels_; ++c) {
      if (halfStored_) {
        top[c] = planeOf(levels_[0], c) + static_cast<size_t>(r.j0) * halfWidth_;
        bottom[c] = planeOf(levels_[0], c) + static_cast<size_t>(r.j1) * halfWidth_;
      } else {
        top[c] = halfRow(r.j0, c, halfFrom, halfTo, half);
        bottom[c] = halfRow(r.j1, c, halfFrom, halfTo, half);  // evicts neither j0 (used last) nor itself
      }
    }
    keep(0, fillFrom);
    keep(fillTo, width_);
    for (int x = fillFrom; x < fillTo;) {
      const int kept = x;
      while (x < fillTo && trust[x] >= 1.0f) ++x;
      keep(kept, x);
      const int x0 = x;
      while (x < fillTo && trust[x] < 1.0f) ++x;
      for (int c = 0; c < channels_; ++c) {
        for (int i = x0; i < x; ++i) {
          const float w = trust[i];
          out[c][row + i] = linear[c][row + i] * w + (1 - w) * sampleRows(top[c], bottom[c], halfWidth_, r.fy, i);
        }
      }
    }
  }
}

Result<ImagePlanar> fillBackground(const ImagePlanar& linear, const ImagePlanar& matte) {
  if (linear.samples.empty() || matte.width != linear.width || matte.height != linear.height || matte.channels < 1) {
    return Status{ErrorCode::kInvalidArgument, "matte must be one plane of the image's size"};
  }
  const int w = linear.width, channels = linear.channels;
  Result<BackgroundFill> fill = BackgroundFill::build(
      w, linear.height, channels,
      [&](int y, int x0, int x1, float* const* planes) {
        for (int c = 0; c < channels; ++c) {
          std::memcpy(planes[c] + x0, linear.plane(c) + static_cast<size_t>(y) * w + x0, (x1 - x0) * sizeof(float));
        }
      },
      matte);
  if (!fill.ok()) return fill.status();
  Result<ImagePlanar> out = ImagePlanar::create(w, linear.height, channels);
  if (!out.ok()) return out;
  const float* in[16];
  float* to[16];
  for (int c = 0; c < channels; ++c) in[c] = linear.plane(c), to[c] = out.value().plane(c);
  fill.value().rows(0, linear.height, matte, in, to);
  return out;
}

}  // namespace defocus
