#include "blur/rgba_stages.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <vector>

#include "defocus/color.h"
#include "blur/lens/highlights.h"
#include "core/simd4.h"

namespace defocus {
namespace {

// RGBA8 row y as `channels` linear planar rows of out (premultiplied when there are 4),
// with highlights boosted.
void linearRow(const ImageRGBA8& image, int y, int channels, const Highlights& highlights, float* out) {
  const int w = image.width;
  const uint8_t* px = image.row(y);
  float* r = out;
  float* g = out + w;
  float* b = out + 2 * w;
  rgba8RowToLinear(px, w, r, g, b);
  boostHighlightsRow(r, g, b, w, highlights);
  if (channels == 4) {
    float* a = out + 3 * w;
    for (int x = 0; x < w; ++x) {
      a[x] = px[4 * x + 3] * (1.0f / 255.0f);
      r[x] *= a[x];
      g[x] *= a[x];
      b[x] *= a[x];
    }
  }
}

// The last `size` rows a pass reads, each `channels` planes of `width` samples, made by
// fill(y, planes) once while it stays in the ring; rows past 0..last repeat the edge rows.
// The passes walk down the rows, so each row is made once and stays in cache.
class RowRing {
 public:
  RowRing(int size, int channels, int width, int last, std::function<void(int, float*)> fill)
      : size_(size), channels_(channels), width_(width), last_(last), fill_(std::move(fill)), rowIn_(size, -1) {}
  bool allocate() { return storage_.resize(static_cast<size_t>(size_) * channels_ * width_); }
  const float* row(int y, int c) {
    y = std::clamp(y, 0, last_);
    const int slot = y % size_;
    float* planes = storage_.data() + static_cast<size_t>(slot) * channels_ * width_;
    if (rowIn_[slot] != y) fill_(y, planes), rowIn_[slot] = y;
    return planes + static_cast<size_t>(c) * width_;
  }
  // Rows centre - 2 .. centre + 2 of plane c: a binomial level's vertical taps.
  void fiveAround(int centre, int c, const float* rows[5]) {
    for (int k = 0; k < 5; ++k) rows[k] = row(centre - 2 + k, c);
  }

 private:
  int size_, channels_, width_, last_;
  std::function<void(int, float*)> fill_;
  std::vector<int> rowIn_;
  Buffer<float> storage_;
};

// One RGBA8 row, converted to linear light (premultiplied when there are 4 channels) and
// split into even/odd halves of its edge-padded continuation: padded sample k is pixel
// clamp(k - offset); even[c][k] = padded[2k], odd[c][k] = padded[2k + 1]. Writing the
// halves straight from the bytes saves a pass over a full-width float row.
void splitLinearRow(const uint8_t* px, int w, int offset, int channels, int halves, float* const* even,
                    float* const* odd) {
  const float* lut = srgb8ToLinearTable();
  auto put = [&](int k, int x) {
    const uint8_t* p = px + 4 * x;
    float* dst[4];
    for (int c = 0; c < channels; ++c) dst[c] = (k & 1 ? odd[c] : even[c]) + (k >> 1);
    const float a = channels == 4 ? p[3] * (1.0f / 255.0f) : 1.0f;
    for (int c = 0; c < 3; ++c) *dst[c] = lut[p[c]] * a;
    if (channels == 4) *dst[3] = a;
  };
  const int total = 2 * halves;
  for (int k = 0; k < std::min(offset, total); ++k) put(k, 0);
  for (int k = std::max(offset + w, 0); k < total; ++k) put(k, w - 1);
  // Interior in pairs: pixel 2i goes to A[i], pixel 2i + 1 to B[i] (A, B by offset parity).
  const int pairs = std::min(w, total - offset) / 2;
  const int a0 = offset & 1 ? (offset - 1) / 2 : offset / 2;
  const int b0 = offset & 1 ? (offset + 1) / 2 : offset / 2;
  for (int c = 0; c < channels; ++c) {
    float* A = (offset & 1 ? odd[c] : even[c]) + a0;
    float* B = (offset & 1 ? even[c] : odd[c]) + b0;
    if (c < 3 && channels == 3) {
      for (int i = 0; i < pairs; ++i) A[i] = lut[px[8 * i + c]], B[i] = lut[px[8 * i + 4 + c]];
    } else if (c < 3) {
      for (int i = 0; i < pairs; ++i) {
        A[i] = lut[px[8 * i + c]] * (px[8 * i + 3] * (1.0f / 255.0f));
        B[i] = lut[px[8 * i + 4 + c]] * (px[8 * i + 7] * (1.0f / 255.0f));
      }
    } else {
      for (int i = 0; i < pairs; ++i) A[i] = px[8 * i + 3] * (1.0f / 255.0f), B[i] = px[8 * i + 7] * (1.0f / 255.0f);
    }
  }
  for (int x = 2 * pairs; x < std::min(w, total - offset); ++x) put(offset + x, x);
}

}  // namespace

Result<ImagePlanar> halveRgba8(const ImageRGBA8& image, int margin, int channels, int levels) {
  if (levels != 1 && levels != 2) return Status{ErrorCode::kInvalidArgument, "halveRgba8 makes 1 or 2 levels"};
  int ow, oh, ow2, oh2;
  halveSize(image.width, image.height, margin, &ow, &oh);
  halveSize(ow, oh, 0, &ow2, &oh2);
  Result<ImagePlanar> out = levels == 1 ? ImagePlanar::create(ow, oh, channels) : ImagePlanar::create(ow2, oh2, channels);
  if (!out.ok()) return out;
  const int w = image.width, h = image.height;
  // Horizontal first, on each input row once (straight from its bytes), into a ring of
  // 5 half-width rows; then the vertical taps on half-width rows. Output j reads padded
  // samples 2j .. 2j + 4, i.e. pixels 2j - margin - 2 .. 2j - margin + 2.
  const int halves = ow + 2;
  Buffer<float> split;
  if (!split.resize(static_cast<size_t>(2 * halves) * channels)) return outOfMemory("for the blur");
  float* even[4];
  float* odd[4];
  for (int c = 0; c < channels; ++c) {
    even[c] = split.data() + static_cast<size_t>(2 * c) * halves;
    odd[c] = even[c] + halves;
  }
  RowRing halfRows(5, channels, ow, h - 1, [&](int y, float* planes) {
    splitLinearRow(image.row(y), w, margin + 2, channels, halves, even, odd);
    for (int p = 0; p < channels; ++p) binomialFromSplit(even[p], odd[p], planes + static_cast<size_t>(p) * ow, ow);
  });
  if (!halfRows.allocate()) return outOfMemory("for the blur");
  // Level-1 row i of plane c (vertical taps on the half-width rows) into d.
  auto level1Row = [&](int i, int c, float* d) {
    const float* r[5];
    halfRows.fiveAround(2 * i - margin, c, r);
    binomialAcrossRows(r, d, ow);
  };
  if (levels == 1) {
    for (int i = 0; i < oh; ++i) {
      for (int c = 0; c < channels; ++c) level1Row(i, c, out.value().plane(c) + static_cast<size_t>(i) * ow);
    }
    return out;
  }
  // Two levels: each level-1 row is halved along x as it is made, into a second ring of 5,
  // so level 1 never exists as whole planes (no pass writing and re-reading them).
  Buffer<float> row1, split2;
  if (!row1.resize(ow) || !split2.resize(ow + 2)) return outOfMemory("for the blur");
  RowRing quarterRows(5, channels, ow2, oh - 1, [&](int i, float* planes) {
    for (int p = 0; p < channels; ++p) {
      level1Row(i, p, row1.data());
      binomialHalveRow(row1.data(), ow, 0, planes + static_cast<size_t>(p) * ow2, ow2, split2.data());
    }
  });
  if (!quarterRows.allocate()) return outOfMemory("for the blur");
  for (int i = 0; i < oh2; ++i) {
    for (int c = 0; c < channels; ++c) {
      const float* r[5];
      quarterRows.fiveAround(2 * i, c, r);
      binomialAcrossRows(r, out.value().plane(c) + static_cast<size_t>(i) * ow2, ow2);
    }
  }
  return out;
}

Result<ImagePlanar> boxReduceRgba8(const ImageRGBA8& image, const CoarseGrid& g, int channels,
                                   const Highlights& highlights) {
  Result<ImagePlanar> out = ImagePlanar::create(g.width, g.height, channels);
  if (!out.ok()) return out;
  const int f = g.step, w = image.width;
  const int margin = static_cast<int>(std::lround((f - 1) * 0.5 - g.originX));
  const int padded = g.width * f;
  RowRing rows(1, channels, w, image.height - 1,
               [&](int y, float* planes) { linearRow(image, y, channels, highlights, planes); });
  Buffer<float> sums;
  if (!rows.allocate() || !sums.resize(static_cast<size_t>(padded) * channels)) return outOfMemory("for the blur");
  const float scale = 1.0f / (static_cast<float>(f) * f);
  for (int j = 0; j < g.height; ++j) {
    std::fill(sums.data(), sums.data() + sums.size(), 0.0f);
    for (int k = 0; k < f; ++k) {
      for (int c = 0; c < channels; ++c) {
        const float* src = rows.row(j * f - margin + k, c);
        float* s = sums.data() + static_cast<size_t>(c) * padded;
        const int left = std::min(margin, padded);
        const int inside = std::min(w, padded - left);
        for (int x = 0; x < left; ++x) s[x] += src[0];
        for (int x = 0; x < inside; ++x) s[left + x] += src[x];
        for (int x = left + inside; x < padded; ++x) s[x] += src[w - 1];
      }
    }
    for (int c = 0; c < channels; ++c) {
      const float* s = sums.data() + static_cast<size_t>(c) * padded;
      float* d = out.value().plane(c) + static_cast<size_t>(j) * g.width;
      for (int i = 0; i < g.width; ++i) {
        float acc = 0;
        for (int k = 0; k < f; ++k) acc += s[i * f + k];
        d[i] = acc * scale;
      }
    }
  }
  return out;
}

// Premultiplied colour and alpha of one row -> straight colour and alpha clamped to 0..1
// (zero alpha gives black). Output may be the input.
namespace {
void unpremultiplyRow(const float* r, const float* g, const float* b, const float* a, float* rOut, float* gOut,
                      float* bOut, float* aOut, int width) {
  for (int x = 0; x < width; ++x) {
    const float alpha = a[x] > 0.0f ? (a[x] < 1.0f ? a[x] : 1.0f) : 0.0f;
    const float inv = alpha > 0.0f ? 1.0f / alpha : 0.0f;
    rOut[x] = r[x] * inv, gOut[x] = g[x] * inv, bOut[x] = b[x] * inv, aOut[x] = alpha;
  }
}

// Coarse planes brought to full size one output row at a time: each coarse row is
// interpolated along x on demand into a ring of 4; every output row blends 4 of them with
// its own y weights.
class ExpandRows {
 public:
  ExpandRows(const ImagePlanar& source, const CoarseGrid& g, int width, int height)
      : across_(g, width), first_(height), weights_(static_cast<size_t>(height) * 4),
        wide_(4, source.channels, width, g.height - 1, [this, &source, &g, width](int j, float* planes) {
          for (int p = 0; p < source.channels; ++p) {
            across_.run(source.plane(p) + static_cast<size_t>(j) * g.width, planes + static_cast<size_t>(p) * width);
          }
        }) {
    cubicWeights(g.kernel, height, g.originY, g.step, first_.data(), weights_.data());
  }
  bool allocate() { return wide_.allocate(); }
  // The 4 y weights of output row y.
  const float* weights(int y) const { return &weights_[4 * static_cast<size_t>(y)]; }
  // The 4 x-interpolated coarse rows of plane c that output row y blends.
  void taps(int y, int c, const float* rows[4]) {
    for (int k = 0; k < 4; ++k) rows[k] = wide_.row(first_[y] + k, c);
  }

 private:
  RowInterpolator across_;
  std::vector<int> first_;
  std::vector<float> weights_;
  RowRing wide_;
};
}  // namespace

Result<ImageRGBA8> expandToRgba8(const ImagePlanar& coarse, const CoarseGrid& g, int width, int height) {
  Result<ImageRGBA8> out = ImageRGBA8::create(width, height);
  if (!out.ok()) return out;
  const int channels = coarse.channels;
  ExpandRows rows(coarse, g, width, height);
  Buffer<float> line;
  Buffer<uint32_t> packed;
  if (!rows.allocate() || !line.resize(static_cast<size_t>(4) * width) || !packed.resize(width)) {
    return Status{ErrorCode::kOutOfMemory, "out of memory for the blur"};
  }
  for (int y = 0; y < height; ++y) {
    const float* w4 = rows.weights(y);
    for (int c = 0; c < channels; ++c) {
      const float* r[4];
      rows.taps(y, c, r);
      float* d = line.data() + static_cast<size_t>(c) * width;
      for (int x = 0; x < width; ++x) d[x] = w4[0] * r[0][x] + w4[1] * r[1][x] + w4[2] * r[2][x] + w4[3] * r[3][x];
    }
    if (channels == 4) {  // unpremultiply the colour planes of this row, in place
      float* r = line.data();
      unpremultiplyRow(r, r + width, r + 2 * width, r + 3 * width, r, r + width, r + 2 * width, r + 3 * width, width);
    }
    // Blurred pixels take the fast encoder (within one code of exact): it vectorises.
    const float* rr = line.data();
    packRowToRgba8Approx(rr, rr + width, rr + 2 * width, channels == 4 ? rr + 3 * width : nullptr, width,
                         packed.data());
    std::memcpy(out.value().row(y), packed.data(), static_cast<size_t>(width) * 4);
  }
  return out;
}

Result<ImageRGBA8> blurredPlanesToRgba8(const ImagePlanar& planes) {
  const int w = planes.width, channels = planes.channels;
  Result<ImageRGBA8> out = ImageRGBA8::create(w, planes.height);
  Buffer<float> line;
  Buffer<uint32_t> packed;
  if (!out.ok() || !line.resize(static_cast<size_t>(4) * w) || !packed.resize(w)) return outOfMemory("for the blur");
  for (int y = 0; y < planes.height; ++y) {
    const size_t at = static_cast<size_t>(y) * w;
    const float *r = planes.plane(0) + at, *g = planes.plane(1) + at, *b = planes.plane(2) + at;
    const float* a = channels == 4 ? planes.plane(3) + at : nullptr;
    if (a) {  // unpremultiply into the line
      float *rr = line.data(), *gg = rr + w, *bb = gg + w, *aa = bb + w;
      unpremultiplyRow(r, g, b, a, rr, gg, bb, aa, w);
      r = rr, g = gg, b = bb, a = aa;
    }
    packRowToRgba8Approx(r, g, b, a, w, packed.data());
    std::memcpy(out.value().row(y), packed.data(), static_cast<size_t>(w) * 4);
  }
  return out;
}

Result<ImageRGBA8> expandSmoothOpaqueToRgba8(const ImagePlanar& coarse, const CoarseGrid& g, int width, int height) {
  if (coarse.channels != 3) return Status{ErrorCode::kInvalidArgument, "expandSmoothOpaqueToRgba8 takes 3 planes"};
  Result<ImageRGBA8> out = ImageRGBA8::create(width, height);
  if (!out.ok()) return out;
  // Codes of the coarse samples (few), then every coarse row interpolated along x (ring of
  // 4 per plane, as in expandToRgba8).
  Result<ImagePlanar> codes = ImagePlanar::create(g.width, g.height, 3);
  if (!codes.ok()) return outOfMemory("for the blur");
  ExpandRows rows(codes.value(), g, width, height);
  if (!rows.allocate()) return outOfMemory("for the blur");
  linearToSrgbCodesApprox(coarse.samples.data(), codes.value().samples.data(), coarse.samples.size());
  constexpr float kRound = 8388608.0f;  // + 2^23: the rounded code lands in the low mantissa bits
  for (int y = 0; y < height; ++y) {
    const float* w = rows.weights(y);
    const float w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3];
    const float* r[3][4];
    for (int c = 0; c < 3; ++c) rows.taps(y, c, r[c]);
    // Four pixels at a time: the 4-tap sum per plane, clamped and rounded (+ 2^23 leaves the
    // code in the low mantissa byte), the three bytes and 255 packed into one 16-byte store.
    uint8_t* dst = out.value().row(y);
    const bool onCoarseRow = w0 == 0 && w1 == 1 && w2 == 0 && w3 == 0;
    const F32x4 W0 = splat4(w0), W1 = splat4(w1), W2 = splat4(w2), W3 = splat4(w3), round = splat4(kRound);
    auto code = [&](int c, int x) {
      const F32x4 v = onCoarseRow ? load4(r[c][1] + x)
                                  : W0 * load4(r[c][0] + x) + W1 * load4(r[c][1] + x) + W2 * load4(r[c][2] + x) +
                                        W3 * load4(r[c][3] + x);
      return (U32x4)(clamp4(v, 255.0f) + round) & 0xFFu;
    };
    int x = 0;
    for (; x + 4 <= width; x += 4) {
      const U32x4 pixel = code(0, x) | code(1, x) << 8 | code(2, x) << 16 | 0xFF000000u;
      std::memcpy(dst + 4 * static_cast<size_t>(x), &pixel, sizeof pixel);
    }
    for (; x < width; ++x) {
      uint32_t pixel = 0xFF000000u;
      for (int c = 0; c < 3; ++c) {
        float v = w0 * r[c][0][x] + w1 * r[c][1][x] + w2 * r[c][2][x] + w3 * r[c][3][x];
        v = (v > 0.0f ? (v < 255.0f ? v : 255.0f) : 0.0f) + kRound;
        uint32_t bits;
        std::memcpy(&bits, &v, sizeof bits);
        pixel |= (bits & 0xFFu) << (8 * c);
      }
      std::memcpy(dst + 4 * static_cast<size_t>(x), &pixel, sizeof pixel);
    }
  }
  return out;
}

}  // namespace defocus
