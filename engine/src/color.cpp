#include "defocus/color.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace defocus {
namespace {

double srgbToLinearExact(double e) {
  return e <= 0.04045 ? e / 12.92 : std::pow((e + 0.055) / 1.055, 2.4);
}

struct Tables {
  std::array<float, 256> toLinear;
  // thresholds[k] = linear value where the 8-bit code switches from k to k+1,
  // i.e. srgbToLinear((k + 0.5) / 255); index 255 is +inf as a sentinel.
  std::array<float, 256> thresholds;
  Tables() {
    for (int k = 0; k < 256; ++k) {
      toLinear[k] = static_cast<float>(srgbToLinearExact(k / 255.0));
      thresholds[k] = k < 255 ? static_cast<float>(srgbToLinearExact((k + 0.5) / 255.0)) : INFINITY;
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

uint8_t linearToSrgb8(float linear) {
  // Branch-free binary search for the number of thresholds <= linear (NaN -> 0).
  const float* t = tables().thresholds.data();
  int k = 0;
  for (int step = 128; step > 0; step >>= 1) {
    if (linear >= t[k + step - 1]) k += step;
  }
  return static_cast<uint8_t>(k);
}

void srgb8ToLinear(const uint8_t* encoded, float* linear, size_t count) {
  const float* lut = tables().toLinear.data();
  for (size_t i = 0; i < count; ++i) linear[i] = lut[encoded[i]];
}

void linearToSrgb8(const float* linear, uint8_t* encoded, size_t count) {
  for (size_t i = 0; i < count; ++i) encoded[i] = linearToSrgb8(linear[i]);
}

Result<ImagePlanar> rgba8ToLinear(const ImageRGBA8& image, int channels) {
  if (channels != 3 && channels != 4) return Status{ErrorCode::kInvalidArgument, "rgba8ToLinear makes 3 or 4 planes"};
  Result<ImagePlanar> out = ImagePlanar::create(image.width, image.height, channels);
  if (!out.ok()) return out;
  ImagePlanar& p = out.value();
  const float* lut = tables().toLinear.data();
  float* r = p.plane(0);
  float* g = p.plane(1);
  float* b = p.plane(2);
  const uint8_t* px = image.pixels.data();
  const size_t n = p.planeSize();
  for (size_t i = 0; i < n; ++i) {
    r[i] = lut[px[4 * i]];
    g[i] = lut[px[4 * i + 1]];
    b[i] = lut[px[4 * i + 2]];
  }
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
