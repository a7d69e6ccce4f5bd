// Grain matching: a blurred background loses the sensor noise the sharp subject still
// has, which gives fake bokeh away. Measure the photo's noise and add the same amount of
// deterministic grain where the image was blurred.
#pragma once

#include <cstdint>

#include "defocus/alpha16.h"
#include "defocus/image.h"

namespace defocus {

struct NoiseLevel {
  double sigma[3] = {0, 0, 0};  // per channel, in 8-bit code units
};

// Robust estimate (median absolute diagonal detail / 0.6745, Donoho): edges barely move it.
// Measured where mask >= 0.5 when a mask of the photo's size is given and covers enough
// pixels, else everywhere.
NoiseLevel estimateNoise(const ImageRGBA8& photo, const AlphaRows& mask = AlphaRows());

// Adds Gaussian grain of `level` scaled by weight (0..1 per pixel, e.g. 1 - alpha) to the
// colour channels. The grain of a pixel depends only on (seed, x, y): reproducible.
Status addGrain(ImageRGBA8& image, const ImagePlanar& weight, const NoiseLevel& level, uint32_t seed);

// The same on rows [y0, y1) of image only, with weight given for those rows (width each):
// the grain of every pixel is the one addGrain gives it.
void addGrainToRows(ImageRGBA8& image, int y0, int y1, const float* weight, const NoiseLevel& level, uint32_t seed);

}  // namespace defocus
