#include "blur_reference.h"

#include <algorithm>
#include <cmath>

namespace reference {

std::vector<double> gaussianBlurPlane(const float* plane, int width, int height, double sigma) {
  const int radius = static_cast<int>(std::ceil(7 * sigma));
  std::vector<double> kernel(2 * radius + 1);
  double sum = 0;
  for (int n = -radius; n <= radius; ++n) sum += kernel[n + radius] = std::exp(-n * double(n) / (2 * sigma * sigma));
  for (double& k : kernel) k /= sum;
  std::vector<double> rows(static_cast<size_t>(width) * height), out(rows.size());
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      double acc = 0;
      for (int n = -radius; n <= radius; ++n) {
        acc += kernel[n + radius] * plane[static_cast<size_t>(y) * width + std::clamp(x + n, 0, width - 1)];
      }
      rows[static_cast<size_t>(y) * width + x] = acc;
    }
  }
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      double acc = 0;
      for (int n = -radius; n <= radius; ++n) {
        acc += kernel[n + radius] * rows[static_cast<size_t>(std::clamp(y + n, 0, height - 1)) * width + x];
      }
      out[static_cast<size_t>(y) * width + x] = acc;
    }
  }
  return out;
}

double totalEnergy(const defocus::ImagePlanar& image) {
  double sum = 0;
  for (size_t i = 0; i < image.samples.size(); ++i) sum += image.samples[i];
  return sum;
}

defocus::ImagePlanar noiseWithEdges(int width, int height, int channels, unsigned seed) {
  auto image = defocus::ImagePlanar::create(width, height, channels).take();
  unsigned state = seed | 1;
  for (int c = 0; c < channels; ++c) {
    float* p = image.plane(c);
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        state = state * 1664525u + 1013904223u;
        const float noise = (state >> 8) * (1.0f / 16777216.0f);
        // Quadrants of black and white with noise in one of them: steps in both directions.
        const bool right = x >= width / 3, bottom = y >= height / 2;
        p[static_cast<size_t>(y) * width + x] = right && bottom ? noise : (right != bottom ? 1.0f : 0.0f);
      }
    }
  }
  return image;
}

double maxAbsDifference(const defocus::ImagePlanar& a, const defocus::ImagePlanar& b) {
  double worst = 0;
  for (size_t i = 0; i < a.samples.size(); ++i) worst = std::max(worst, std::fabs(double(a.samples[i]) - b.samples[i]));
  return worst;
}

}  // namespace reference
