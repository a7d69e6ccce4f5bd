// sRGB transfer function (IEC 61966-2-1), exact in both directions for 8-bit values.
// All blurs and resampling happen on linear light; these are the only gates in and out.
#pragma once

#include <cstdint>

#include "defocus/image.h"

namespace defocus {

// Continuous transfer functions on [0, 1] (values outside are clamped).
float srgbToLinear(float encoded);
float linearToSrgb(float linear);

// 8-bit in: a 256-entry table of the exact linear values (computed in double).
float srgb8ToLinear(uint8_t value);
// 8-bit out: round(255 * linearToSrgb(v)) computed exactly by comparing v against the
// 255 decision thresholds, so srgb8 -> linear -> srgb8 is the identity for all 256 values.
uint8_t linearToSrgb8(float linear);

// The same, over arrays of `count` values.
void srgb8ToLinear(const uint8_t* encoded, float* linear, size_t count);
void linearToSrgb8(const float* linear, uint8_t* encoded, size_t count);

// RGBA8 (sRGB, straight alpha) -> linear planes: 4 with alpha kept straight (a / 255),
// or 3 when the caller knows the image is opaque.
Result<ImagePlanar> rgba8ToLinear(const ImageRGBA8& image, int channels = 4);
// 3 or 4 linear planes -> RGBA8 (alpha 255 when there are 3 planes).
Result<ImageRGBA8> linearToRgba8(const ImagePlanar& image);

// Premultiply / unpremultiply colour planes 0..2 by plane 3 (no-op without alpha),
// so resampling does not drag the colour of transparent pixels into visible ones.
void premultiplyAlpha(ImagePlanar& image);
void unpremultiplyAlpha(ImagePlanar& image);

}  // namespace defocus
