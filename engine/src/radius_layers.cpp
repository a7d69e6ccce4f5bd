#include "radius_layers.h"

#include <algorithm>
#include <cmath>

namespace defocus {

bool RadiusLayers::plan(const float* map, size_t count, float maxRadius, float ratio, std::string* reason) {
  float lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < count; ++i) {
    const float r = map[i];
    if (!(r >= 0 && r <= maxRadius)) {
      *reason = "radius map values must be in 0.." + std::to_string(static_cast<int>(maxRadius)) +
                " pixels (found " + std::to_string(r) + ")";
      return false;
    }
    lo = std::min(lo, r);
    hi = std::max(hi, r);
  }
  radii_.clear();
  if (lo == hi) {
    radii_ = {lo};
  } else {
    const float first = std::max(lo, 0.5f);
    if (lo < first) radii_.push_back(0.0f);
    if (hi <= first) {
      radii_ = {0.0f, hi};
    } else {
      const int steps = std::max(1, static_cast<int>(std::ceil(std::log(hi / first) / std::log(ratio))));
      for (int k = 0; k <= steps; ++k) radii_.push_back(k == steps ? hi : first * std::pow(hi / first, float(k) / steps));
    }
  }
  used_.assign(radii_.size(), radii_.size() == 1);
  for (size_t i = 0; i < count && radii_.size() > 1; ++i) {
    // The two layers around this radius.
    const size_t upper = std::lower_bound(radii_.begin(), radii_.end(), map[i]) - radii_.begin();
    if (upper < radii_.size()) used_[upper] = true;
    if (upper > 0) used_[upper - 1] = true;
  }
  return true;
}

float RadiusLayers::weight(size_t k, float r) const {
  const std::vector<float>& L = radii_;
  if (k > 0 && r < L[k]) return r <= L[k - 1] ? 0.0f : (r - L[k - 1]) / (L[k] - L[k - 1]);
  if (k + 1 < L.size() && r > L[k]) return r >= L[k + 1] ? 0.0f : (L[k + 1] - r) / (L[k + 1] - L[k]);
  return 1.0f;
}

}  // namespace defocus
