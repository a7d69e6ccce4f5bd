#include "blur/layers/radius_layers.h"

#include <algorithm>
#include <cmath>

namespace defocus {

bool RadiusLayers::plan(const float* map, int width, int height, float maxRadius, float ratio, std::string* reason,
                        const uint8_t* needed, float top) {
  // Per row the range of radii (which layers the row needs; with a mask, over its needed
  // pixels only, an empty range when there are none) and whether every value is in range,
  // in one branch-free pass (NaN fails the range test too). The layers' radii come from
  // every pixel's range.
  std::vector<float> rowLo(height), rowHi(height);
  float allLo = map[0], allHi = map[0];
  bool bad = false;
  for (int y = 0; y < height; ++y) {
    const float* row = map + static_cast<size_t>(y) * width;
    const uint8_t* use = needed ? needed + static_cast<size_t>(y) * width : nullptr;
    float lo = row[0], hi = row[0], usedLo = maxRadius + 1, usedHi = -1;
    bool rowBad = false;
    for (int x = 0; x < width; ++x) {
      const float r = row[x];
      lo = std::min(lo, r), hi = std::max(hi, r);
      rowBad |= !(r >= 0 && r <= maxRadius);
      if (use) usedLo = std::min(usedLo, use[x] ? r : usedLo), usedHi = std::max(usedHi, use[x] ? r : usedHi);
    }
    allLo = std::min(allLo, lo), allHi = std::max(allHi, hi), bad |= rowBad;
    rowLo[y] = use ? usedLo : lo, rowHi[y] = use ? usedHi : hi;
  }
  needed_ = needed;
  if (bad) {
    const size_t count = static_cast<size_t>(width) * height;
    size_t i = 0;
    while (i + 1 < count && map[i] >= 0 && map[i] <= maxRadius) ++i;
    *reason = "radius map values must be in 0.." + std::to_string(static_cast<int>(maxRadius)) +
              " pixels (found " + std::to_string(map[i]) + ")";
    return false;
  }
  const float lo = allLo, hi = allHi;
  radii_.clear();
  // A map that varies by less than a hundredth (rounding in the depth it came from) is
  // one radius: no layers to blend.
  if (hi - lo <= std::max(0.05f, 0.01f * hi)) {
    radii_ = {hi};
  } else if (top >= hi) {
    // From top down by the ratio to the first at or below half a pixel, then 0; the ones
    // this map does not reach are marked unused below.
    std::vector<float> down{top};
    while (down.back() > 0.5f) down.push_back(down.back() / ratio);
    down.push_back(0.0f);
    radii_.assign(down.rbegin(), down.rend());
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
  used_.assign(radii_.size(), false);
  boxes_.assign(radii_.size(), Box{width, height, -1, -1});
  // Per row, the range of radii decides which layers the row needs; a layer's box spans
  // the rows that need it, full width (cheap to find, and the maps vary slowly).
  for (int y = 0; y < height; ++y) {
    if (rowHi[y] < rowLo[y]) continue;  // no needed pixel
    // Layers from the one at or below rowLo to the one at or above rowHi.
    size_t first = std::lower_bound(radii_.begin(), radii_.end(), rowLo[y]) - radii_.begin();
    if (first == radii_.size() || (first > 0 && radii_[first] != rowLo[y])) --first;
    const size_t last =
        std::min(radii_.size() - 1, size_t(std::lower_bound(radii_.begin(), radii_.end(), rowHi[y]) - radii_.begin()));
    for (size_t k = first; k <= last; ++k) {
      used_[k] = true;
      Box& b = boxes_[k];
      b.x0 = 0, b.x1 = width - 1, b.y0 = std::min(b.y0, y), b.y1 = std::max(b.y1, y);
    }
  }
  return true;
}

RadiusLayers::Hat RadiusLayers::hat(size_t k) const {
  const float r = radii_[k];
  return {r, k > 0 ? 1.0f / (r - radii_[k - 1]) : 0.0f, k + 1 < radii_.size() ? 1.0f / (radii_[k + 1] - r) : 0.0f};
}

Result<ImagePlanar> zeroedRowsOf(const ImagePlanar& like, RowRange rows, int* from) {
  *from = std::clamp(rows.from, 0, like.height);
  const int to = std::clamp(rows.end(like.height), *from, like.height);
  Result<ImagePlanar> out = ImagePlanar::create(like.width, to - *from, like.channels);
  if (out.ok()) std::fill(out.value().samples.data(), out.value().samples.data() + out.value().samples.size(), 0.0f);
  return out;
}

}  // namespace defocus
