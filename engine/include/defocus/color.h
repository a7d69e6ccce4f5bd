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
const float* srgb8ToLinearTable();  // the table itself, for loops over interleaved pixels

// Fast 8-bit out for blurred pixels: a polynomial in sqrt(linear) that vectorises, within
// 0.13 of a code of the exact value, so the result is the exact code or one off near a
// rounding boundary. Writes codes as floats 0..255 (rounded). The arrays must not overlap
// (an in-place call would lose the vectorisation to the compiler's alias check).
void linearToSrgb8Approx(const float* __restrict linear, float* __restrict codes, size_t count);
// The same codes unrounded (0..255 as floats), for stages that resample in code space.
void linearToSrgbCodesApprox(const float* __restrict linear, float* __restrict codes, size_t count);

// The same fast encoder for a row of linear planes, packed into RGBA8 (little-endian
// 32-bit pixels, alpha from `alpha` in 0..1 or 255 when null). Vectorises end to end.
void packRowToRgba8Approx(const float* r, const float* g, const float* b, const float* alpha, size_t count,
                          uint32_t* __restrict rgba);
// 8-bit out: round(255 * linearToSrgb(v)) computed exactly by comparing v against the
// 255 decision thresholds, so srgb8 -> linear -> srgb8 is the identity for all 256 values.
uint8_t linearToSrgb8(float linear);

// The same, over arrays of `count` values.
void srgb8ToLinear(const uint8_t* encoded, float* linear, size_t count);
// `count` interleaved RGBA8 pixels' colour as three linear rows (alpha not read).
void rgba8RowToLinear(const uint8_t* rgba, size_t count, float* r, float* g, float* b);
// The same through any 256-entry table (codes / 255, or srgb8ToLinearTable()).
void rgba8RowThroughTable(const uint8_t* rgba, size_t count, const float* table, float* r, float* g, float* b);
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
