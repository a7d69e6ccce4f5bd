#include "defocus/grain.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <vector>

namespace defocus {
namespace {

// Counter-based hash (a 32-bit avalanche mix): uniform bits from (seed, index, stream).
uint32_t mix(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

float uniform(uint32_t seed, uint32_t index, uint32_t stream) {
  return (mix(seed ^ mix(index * 3 + stream + 0x9e3779b9U)) >> 8) * (1.0f / 16777216.0f) + (0.5f / 16777216.0f);
}

}  // namespace

NoiseLevel estimateNoise(const ImageRGBA8& photo, const AlphaRows& mask) {
  NoiseLevel level;
  const int w = photo.width, h = photo.height;
  if (w < 2 || h < 2) return level;
  bool useMask = false;
  if (mask.width() == w && mask.height() == h) {
    size_t inside = 0;
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) inside += mask.at(x, y) >= 0.5f;
    }
    useMask = inside >= 4096;  // enough pixels for a stable median
  }
  // |Haar diagonal detail| takes the values k / 2 (k = 0..510): a histogram, and its
  // median read as a grouped median (interpolated within the median's bin), so the
  // estimate is not stuck on steps of 0.5 / 0.6745 codes.
  std::vector<size_t> histogram(511);
  for (int c = 0; c < 3; ++c) {
    std::fill(histogram.begin(), histogram.end(), 0);
    size_t count = 0;
    for (int y = 0; y + 1 < h; y += 2) {
      const uint8_t* r0 = photo.row(y);
      const uint8_t* r1 = photo.row(y + 1);
      for (int x = 0; x + 1 < w; x += 2) {
        if (useMask && mask.at(x, y) < 0.5f) continue;
        // For independent noise of deviation s, the detail's deviation is s too.
        const int twice = std::abs(int(r0[4 * x + c]) - r0[4 * (x + 1) + c] - r1[4 * x + c] + r1[4 * (x + 1) + c]);
        ++histogram[twice];
        ++count;
      }
    }
    if (!count) continue;
    size_t below = 0;
    int k = 0;
    while (below + histogram[k] < count / 2.0) below += histogram[k++];
    const double lower = k == 0 ? 0.0 : k * 0.5 - 0.25, width = k == 0 ? 0.25 : 0.5;
    const double median = lower + (count / 2.0 - below) / histogram[k] * width;
    level.sigma[c] = median / 0.6745;
  }
  return level;
}

void addGrainToRows(ImageRGBA8& image, int y0, int y1, const float* weight, const NoiseLevel& level, uint32_t seed) {
  const size_t first = static_cast<size_t>(y0) * image.width, n = static_cast<size_t>(y1 - y0) * image.width;
  for (size_t j = 0; j < n; ++j) {
    const float k = std::clamp(weight[j], 0.0f, 1.0f);
    if (k <= 0) continue;
    const size_t i = first + j;
    // Box-Muller: two uniforms -> two independent normals; a third pair for blue.
    const uint32_t index = static_cast<uint32_t>(i);
    const float r1 = std::sqrt(-2 * std::log(uniform(seed, index, 0))), t1 = 6.2831853f * uniform(seed, index, 1);
    const float r2 = std::sqrt(-2 * std::log(uniform(seed, index, 2)));
    const float normals[3] = {r1 * std::cos(t1), r1 * std::sin(t1), r2 * std::cos(6.2831853f * uniform(seed, index + 1, 2))};
    for (int c = 0; c < 3; ++c) {
      const float v = image.pixels[4 * i + c] + k * static_cast<float>(level.sigma[c]) * normals[c];
      image.pixels[4 * i + c] = static_cast<uint8_t>(std::clamp(std::lround(v), 0L, 255L));
    }
  }
}

Status addGrain(ImageRGBA8& image, const ImagePlanar& weight, const NoiseLevel& level, uint32_t seed) {
  if (weight.width != image.width || weight.height != image.height || weight.samples.empty()) {
    return {ErrorCode::kInvalidArgument, "grain weight must be one plane of the image's size"};
  }
  addGrainToRows(image, 0, image.height, weight.plane(0), level, seed);
  return Status::success();
}

}  // namespace defocus
