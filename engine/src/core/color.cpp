#include "defocus/color.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "defocus packs RGBA8 pixels as 32-bit little-endian words"
#endif

namespace defocus {
namespace {

double srgbToLinearExact(double e) {
  return e <= 0.04045 ? e / 12.92 : std::pow((e + 0.055) / 1.055, 2.4);
}

// Linear values from 2^-14 up to 1 are split into buckets by their float exponent and the
// top kBucketBits bits of the mantissa; each bucket is narrower than the gap between two
// 8-bit decision thresholds, so it holds at most one of them (checked when the table is
// built): the 8-bit code is the bucket's first code, plus one past that threshold.
constexpr int kBucketBits = 8;
constexpr uint32_t kFirstExponent = 127 - 14;  // 2^-14: below the first threshold (1.5e-4)
constexpr int kBuckets = (127 - kFirstExponent) << kBucketBits;

struct Tables {
  std::array<float, 256> toLinear;
  // thresholds[k] = linear value where the 8-bit code switches from k to k+1,
  // i.e. srgbToLinear((k + 0.5) / 255); index 255 is +inf as a sentinel.
  std::array<float, 256> thresholds;
  std::array<uint8_t, kBuckets> bucketCode;
  Tables() {
    for (int k = 0; k < 256; ++k) {
      toLinear[k] = static_cast<float>(srgbToLinearExact(k / 255.0));
      thresholds[k] = k < 255 ? static_cast<float>(srgbToLinearExact((k + 0.5) / 255.0)) : INFINITY;
    }
    for (int b = 0; b < kBuckets; ++b) {
      const uint32_t bits = (kFirstExponent << 23) + (static_cast<uint32_t>(b) << (23 - kBucketBits));
      float start;
      std::memcpy(&start, &bits, sizeof start);
      int code = 0;
      while (code < 255 && thresholds[code] <= start) ++code;
      bucketCode[b] = static_cast<uint8_t>(code);
    }
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

}  // namespace

float srgbToLinear(float encoded) {
  return static_cast<float>(srgbToLinearExact(std::clamp(encoded, 0.0f, 1.0f)));
}

float linearToSrgb(float linear) {
  const float v = std::clamp(linear, 0.0f, 1.0f);
  return v <= 0.0031308f ? v * 12.92f : 1.055f * std::pow(v, 1.0f / 2.4f) - 0.055f;
}

float srgb8ToLinear(uint8_t value) { return tables().toLinear[value]; }

const float* srgb8ToLinearTable() { return tables().toLinear.data(); }

namespace {

// sRGB code (unrounded, 0..255) by a least-squares fit of 255 (1.055 s^(5/6) - 0.055),
// s = sqrt(v), on the power-law part v >= 0.0031308 (max error 0.124 codes); below it
// the curve is linear (12.92 v). Plain compares and no calls, so loops over it vectorise.
inline float approxCode(float linear) {
  constexpr float c0 = -0.0406126333f * 255, c1 = 1.54090327f * 255, c2 = -1.65506805f * 255,
                  c3 = 3.11089824f * 255, c4 = -3.74045338f * 255, c5 = 2.43615462f * 255,
                  c6 = -0.651981458f * 255;
  float v = linear > 0.0f ? linear : 0.0f;  // NaN -> 0
  v = v < 1.0f ? v : 1.0f;
  const float s = std::sqrt(v);
  const float curve = c0 + s * (c1 + s * (c2 + s * (c3 + s * (c4 + s * (c5 + s * c6)))));
  return v < 0.0031308f ? v * (12.92f * 255) : curve;
}

// Adding 2^23 rounds a float in [0, 2^22) to an integer held in the low mantissa bits.
constexpr float kRoundToMantissa = 8388608.0f;

}  // namespace

void linearToSrgb8Approx(const float* __restrict linear, float* __restrict codes, size_t count) {
  for (size_t i = 0; i < count; ++i) codes[i] = (approxCode(linear[i]) + kRoundToMantissa) - kRoundToMantissa;
}

void linearToSrgbCodesApprox(const float* __restrict linear, float* __restrict codes, size_t count) {
  for (size_t i = 0; i < count; ++i) codes[i] = approxCode(linear[i]);
}

// Bits of approxCode(v) + 2^23: the rounded code sits in the low byte.
static void encodeBits(const float* __restrict linear, uint32_t* __restrict bits, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    const float biased = approxCode(linear[i]) + kRoundToMantissa;
    std::memcpy(&bits[i], &biased, sizeof biased);
  }
}

void packRowToRgba8Approx(const float* r, const float* g, const float* b, const float* alpha, size_t count,
                          uint32_t* __restrict rgba) {
  // In chunks: each loop below is simple enough for the compiler to vectorise.
  constexpr size_t kChunk = 256;
  uint32_t rb[kChunk], gb[kChunk], bb[kChunk], ab[kChunk];
  for (size_t start = 0; start < count; start += kChunk) {
    const size_t n = std::min(kChunk, count - start);
    encodeBits(r + start, rb, n);
    encodeBits(g + start, gb, n);
    encodeBits(b + start, bb, n);
    if (alpha) {
      for (size_t i = 0; i < n; ++i) {
        float a = alpha[start + i] * 255.0f;
        a = (a > 0.0f ? (a < 255.0f ? a : 255.0f) : 0.0f) + kRoundToMantissa;
        std::memcpy(&ab[i], &a, sizeof a);
      }
    } else {
      for (size_t i = 0; i < n; ++i) ab[i] = 255;
    }
    uint32_t* out = rgba + start;
    for (size_t i = 0; i < n; ++i) {
      out[i] = (rb[i] & 0xFF) | (gb[i] & 0xFF) << 8 | (bb[i] & 0xFF) << 16 | (ab[i] & 0xFF) << 24;
    }
  }
}

uint8_t linearToSrgb8(float linear) {
  const Tables& t = tables();
  uint32_t bits;
  std::memcpy(&bits, &linear, sizeof bits);
  if (bits < (kFirstExponent << 23)) return 0;  // zero or below the first threshold
  if (bits >= (127u << 23)) return bits >= 0x80000000u || linear != linear ? 0 : 255;  // >= 1, negative, NaN
  const uint8_t code = t.bucketCode[(bits >> (23 - kBucketBits)) - (kFirstExponent << kBucketBits)];
  return static_cast<uint8_t>(code + (linear >= t.thresholds[code]));
}

void srgb8ToLinear(const uint8_t* encoded, float* linear, size_t count) {
  const float* lut = tables().toLinear.data();
  for (size_t i = 0; i < count; ++i) linear[i] = lut[encoded[i]];
}

void linearToSrgb8(const float* linear, uint8_t* encoded, size_t count) {
  for (size_t i = 0; i < count; ++i) encoded[i] = linearToSrgb8(linear[i]);
}

void rgba8RowThroughTable(const uint8_t* rgba, size_t count, const float* table, float* r, float* g, float* b) {
  for (size_t i = 0; i < count; ++i) {
    r[i] = table[rgba[4 * i]];
    g[i] = table[rgba[4 * i + 1]];
    b[i] = table[rgba[4 * i + 2]];
  }
}

void rgba8RowToLinear(const uint8_t* rgba, size_t count, float* r, float* g, float* b) {
  rgba8RowThroughTable(rgba, count, tables().toLinear.data(), r, g, b);
}

Result<ImagePlanar> rgba8ToLinear(const ImageRGBA8& image, int channels) {
  if (channels != 3 && channels != 4) return Status{ErrorCode::kInvalidArgument, "rgba8ToLinear makes 3 or 4 planes"};
  Result<ImagePlanar> out = ImagePlanar::create(image.width, image.height, channels);
  if (!out.ok()) return out;
  ImagePlanar& p = out.value();
  const uint8_t* px = image.pixels.data();
  const size_t n = p.planeSize();
  rgba8RowToLinear(px, n, p.plane(0), p.plane(1), p.plane(2));
  if (channels == 4) {
    float* a = p.plane(3);
    for (size_t i = 0; i < n; ++i) a[i] = px[4 * i + 3] * (1.0f / 255.0f);
  }
  return out;
}

Result<ImageRGBA8> linearToRgba8(const ImagePlanar& image) {
  if (image.channels != 3 && image.channels != 4) {
    return Status{ErrorCode::kInvalidArgument, "linearToRgba8 needs 3 or 4 channels"};
  }
  Result<ImageRGBA8> out = ImageRGBA8::create(image.width, image.height);
  if (!out.ok()) return out;
  uint8_t* px = out.value().pixels.data();
  const size_t n = image.planeSize();
  const float* r = image.plane(0);
  const float* g = image.plane(1);
  const float* b = image.plane(2);
  const float* a = image.channels == 4 ? image.plane(3) : nullptr;
  for (size_t i = 0; i < n; ++i) {
    px[4 * i] = linearToSrgb8(r[i]);
    px[4 * i + 1] = linearToSrgb8(g[i]);
    px[4 * i + 2] = linearToSrgb8(b[i]);
    px[4 * i + 3] = a ? static_cast<uint8_t>(std::lround(std::clamp(a[i], 0.0f, 1.0f) * 255.0f)) : 255;
  }
  return out;
}

void premultiplyAlpha(ImagePlanar& image) {
  if (image.channels < 4) return;
  const float* a = image.plane(3);
  const size_t n = image.planeSize();
  for (int c = 0; c < 3; ++c) {
    float* p = image.plane(c);
    for (size_t i = 0; i < n; ++i) p[i] *= a[i];
  }
}

void unpremultiplyAlpha(ImagePlanar& image) {
  if (image.channels < 4) return;
  const float* a = image.plane(3);
  const size_t n = image.planeSize();
  for (int c = 0; c < 3; ++c) {
    float* p = image.plane(c);
    for (size_t i = 0; i < n; ++i) p[i] = a[i] > 0.0f ? p[i] / a[i] : 0.0f;
  }
}

}  // namespace defocus
