#include "rgba_stages.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "defocus/color.h"
#include "highlights.h"

namespace defocus {
namespace {

Status outOfMemory() { return {ErrorCode::kOutOfMemory, "out of memory for the blur"}; }

// Converts RGBA8 rows to linear planar rows, one row at a time, with a small cache so
// overlapping filter windows convert each row once.
class LinearRows {
 public:
  LinearRows(const ImageRGBA8& image, int channels, const Highlights& highlights, int cacheRows)
      : image_(image), channels_(channels), highlights_(highlights), cacheRows_(cacheRows) {}

  bool allocate() {
    rowOf_.assign(cacheRows_, -1);
    return rows_.resize(static_cast<size_t>(cacheRows_) * channels_ * image_.width);
  }

  // Plane c of image row y (clamped into the image), as linear floats.
  const float* row(int y, int c) {
    y = std::clamp(y, 0, image_.height - 1);
    const int slot = y % cacheRows_;
    float* base = rows_.data() + static_cast<size_t>(slot) * channels_ * image_.width;
    if (rowOf_[slot] != y) {
      convert(y, base);
      rowOf_[slot] = y;
    }
    return base + static_cast<size_t>(c) * image_.width;
  }

 private:
  void convert(int y, float* out) const {
    const int w = image_.width;
    const uint8_t* px = image_.row(y);
    const float* lut = srgb8ToLinearTable();
    float* r = out;
    float* g = out + w;
    float* b = out + 2 * w;
    for (int x = 0; x < w; ++x) {
      r[x] = lut[px[4 * x]];
      g[x] = lut[px[4 * x + 1]];
      b[x] = lut[px[4 * x + 2]];
    }
    boostHighlightsRow(r, g, b, w, highlights_);
    if (channels_ == 4) {
      float* a = out + 3 * w;
      for (int x = 0; x < w; ++x) {
        a[x] = px[4 * x + 3] * (1.0f / 255.0f);
        r[x] *= a[x];
        g[x] *= a[x];
        b[x] *= a[x];
      }
    }
  }

  const ImageRGBA8& image_;
  int channels_;
  Highlights highlights_;
  int cacheRows_;
  Buffer<float> rows_;
  std::vector<int> rowOf_;
};

}  // namespace

Result<ImagePlanar> halveRgba8(const ImageRGBA8& image, int margin, int channels) {
  int ow, oh;
  halveSize(image.width, image.height, margin, &ow, &oh);
  Result<ImagePlanar> out = ImagePlanar::create(ow, oh, channels);
  if (!out.ok()) return out;
  const int w = image.width;
  LinearRows rows(image, channels, Highlights{}, 8);
  Buffer<float> column, split;
  if (!rows.allocate() || !column.resize(w) || !split.resize(static_cast<size_t>(w) + 2)) return outOfMemory();
  constexpr float b0 = 1.0f / 16, b1 = 4.0f / 16, b2 = 6.0f / 16;
  for (int j = 0; j < oh; ++j) {
    const int centre = 2 * j - margin;
    for (int c = 0; c < channels; ++c) {
      const float* r0 = rows.row(centre - 2, c);
      const float* r1 = rows.row(centre - 1, c);
      const float* r2 = rows.row(centre, c);
      const float* r3 = rows.row(centre + 1, c);
      const float* r4 = rows.row(centre + 2, c);
      float* v = column.data();
      for (int x = 0; x < w; ++x) v[x] = b0 * (r0[x] + r4[x]) + b1 * (r1[x] + r3[x]) + b2 * r2[x];
      binomialHalveRow(v, w, margin, out.value().plane(c) + static_cast<size_t>(j) * ow, ow, split.data());
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
  LinearRows rows(image, channels, highlights, 1);
  Buffer<float> sums;
  if (!rows.allocate() || !sums.resize(static_cast<size_t>(padded) * channels)) return outOfMemory();
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

Result<ImageRGBA8> expandToRgba8(const ImagePlanar& coarse, const CoarseGrid& g, int width, int height) {
  Result<ImageRGBA8> out = ImageRGBA8::create(width, height);
  if (!out.ok()) return out;
  const int channels = coarse.channels;
  // Coarse rows interpolated along x on demand into a ring of 4 per plane: output rows
  // walk down the coarse rows, so each is interpolated once and stays in cache.
  constexpr int kRing = 4;
  Buffer<float> ring, line;
  Buffer<uint32_t> packed;
  if (!ring.resize(static_cast<size_t>(channels) * kRing * width) || !line.resize(static_cast<size_t>(4) * width) ||
      !packed.resize(width)) {
    return Status{ErrorCode::kOutOfMemory, "out of memory for the blur"};
  }
  std::vector<int> ringRow(kRing, -1);
  RowInterpolator interpolator(g, width);
  auto wideRow = [&](int c, int j) {
    j = std::clamp(j, 0, g.height - 1);
    const int slot = j % kRing;
    if (ringRow[slot] != j) {
      for (int p = 0; p < channels; ++p) {
        interpolator.run(coarse.plane(p) + static_cast<size_t>(j) * g.width,
                         ring.data() + (static_cast<size_t>(p) * kRing + slot) * width);
      }
      ringRow[slot] = j;
    }
    return ring.data() + (static_cast<size_t>(c) * kRing + slot) * width;
  };
  std::vector<int> first(height);
  std::vector<float> weights(static_cast<size_t>(height) * 4);
  catmullRomWeights(height, g.originY, g.step, first.data(), weights.data());
  for (int y = 0; y < height; ++y) {
    const float* w4 = &weights[4 * static_cast<size_t>(y)];
    for (int c = 0; c < channels; ++c) {
      const float* r[4];
      for (int k = 0; k < 4; ++k) r[k] = wideRow(c, first[y] + k);
      float* d = line.data() + static_cast<size_t>(c) * width;
      for (int x = 0; x < width; ++x) d[x] = w4[0] * r[0][x] + w4[1] * r[1][x] + w4[2] * r[2][x] + w4[3] * r[3][x];
    }
    if (channels == 4) {  // unpremultiply the colour planes of this row
      float* r = line.data();
      float* gg = r + width;
      float* b = gg + width;
      float* a = b + width;
      for (int x = 0; x < width; ++x) {
        const float alpha = a[x] > 0.0f ? (a[x] < 1.0f ? a[x] : 1.0f) : 0.0f;
        const float inv = alpha > 0.0f ? 1.0f / alpha : 0.0f;
        a[x] = alpha;
        r[x] *= inv;
        gg[x] *= inv;
        b[x] *= inv;
      }
    }
    // Blurred pixels take the fast encoder (within one code of exact): it vectorises.
    const float* rr = line.data();
    packRowToRgba8Approx(rr, rr + width, rr + 2 * width, channels == 4 ? rr + 3 * width : nullptr, width,
                         packed.data());
    std::memcpy(out.value().row(y), packed.data(), static_cast<size_t>(width) * 4);
  }
  return out;
}

}  // namespace defocus
