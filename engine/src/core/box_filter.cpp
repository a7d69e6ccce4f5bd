#include "core/box_filter.h"

#include <algorithm>

namespace defocus {

bool BoxMean::allocate() { return columns_.resize(width_) && prefix_.resize(static_cast<size_t>(width_) + 1); }

void BoxMean::run(const float* in, float* out) {
  const size_t w = static_cast<size_t>(width_);
  double* columns = columns_.data();
  double* prefix = prefix_.data();
  std::fill(columns, columns + w, 0.0);
  // Window rows [y - r, y + r] clamped to the image: start with rows 0..r - 1.
  for (int y = 0; y < std::min(radius_, height_); ++y) {
    const float* row = in + y * w;
    for (size_t x = 0; x < w; ++x) columns[x] += row[x];
  }
  for (int y = 0; y < height_; ++y) {
    const int add = y + radius_, drop = y - radius_ - 1;
    if (add < height_) {
      const float* row = in + add * w;
      for (size_t x = 0; x < w; ++x) columns[x] += row[x];
    }
    if (drop >= 0) {
      const float* row = in + drop * w;
      for (size_t x = 0; x < w; ++x) columns[x] -= row[x];
    }
    const int rows = std::min(height_ - 1, y + radius_) - std::max(0, y - radius_) + 1;
    prefix[0] = 0;
    for (size_t x = 0; x < w; ++x) prefix[x + 1] = prefix[x] + columns[x];
    float* dst = out + y * w;
    for (int x = 0; x < width_; ++x) {
      const int x0 = std::max(0, x - radius_), x1 = std::min(width_ - 1, x + radius_);
      dst[x] = static_cast<float>((prefix[x1 + 1] - prefix[x0]) / (double(rows) * (x1 - x0 + 1)));
    }
  }
}

}  // namespace defocus
