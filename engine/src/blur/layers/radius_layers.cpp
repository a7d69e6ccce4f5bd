#include "blur/layers/radius_layers.h"

#include <algorithm>
#include <cmath>

#include "core/simd4.h"

namespace defocus {
namespace {

// One row of a radius map: its least and greatest radius, the same over the needed pixels
// (with a mask; maxRadius + 1 and -1 when there are none), and whether a value lies outside
// 0..maxRadius (NaN does). Four lanes at a time: the scalar min/max chain is not vectorised
// by the compiler (its order matters when a NaN is met, but a map with one is refused, so
// the lanes' order changes nothing that is kept).
struct RowRadii {
  float lo, hi, usedLo, usedHi;
  bool bad;
};

RowRadii radiiOfRow(const float* row, const uint8_t* use, int width, float maxRadius) {
  const auto pick = [](U32x4 take, F32x4 a, F32x4 b) { return (F32x4)(((U32x4)a & take) | ((U32x4)b & ~take)); };
  F32x4 lo = splat4(row[0]), hi = lo, usedLo = splat4(maxRadius + 1), usedHi = splat4(-1);
  U32x4 bad = {0, 0, 0, 0};
  int x = 0;
  for (; x + 4 <= width; x += 4) {
    const F32x4 r = load4(row + x);
    lo = pick((U32x4)(r < lo), r, lo), hi = pick((U32x4)(r > hi), r, hi);
    bad |= ~((U32x4)(r >= splat4(0.0f)) & (U32x4)(r <= splat4(maxRadius)));
    if (use) {
      const U32x4 used = (U32x4)(U32x4{use[x], use[x + 1], use[x + 2], use[x + 3]} != 0);
      usedLo = pick(used & (U32x4)(r < usedLo), r, usedLo), usedHi = pick(used & (U32x4)(r > usedHi), r, usedHi);
    }
  }
  RowRadii out{lo[0], hi[0], usedLo[0], usedHi[0], (bad[0] | bad[1] | bad[2] | bad[3]) != 0};
  for (int k = 1; k < 4; ++k) {
    out.lo = std::min(out.lo, lo[k]), out.hi = std::max(out.hi, hi[k]);
    out.usedLo = std::min(out.usedLo, usedLo[k]), out.usedHi = std::max(out.usedHi, usedHi[k]);
  }
  for (; x < width; ++x) {
    const float r = row[x];
    out.lo = std::min(out.lo, r), out.hi = std::max(out.hi, r);
    out.bad |= !(r >= 0 && r <= maxRadius);
    if (use && use[x]) out.usedLo = std::min(out.usedLo, r), out.usedHi = std::max(out.usedHi, r);
  }
  return out;
}

}  // namespace

bool RadiusLayers::plan(const float* map, int width, int height, float maxRadius, float ratio, std::string* reason,
                        const uint8_t* needed, float top) {
  // Per row the range of radii (which layers the row needs; with a mask, over its needed
  // pixels only, an empty range when there are none) and whether every value is in range
  // (NaN fails the range test too). The layers' radii come from every pixel's range.
  std::vector<float> rowLo(height), rowHi(height);
  float allLo = map[0], allHi = map[0];
  bool bad = false;
  for (int y = 0; y < height; ++y) {
    const uint8_t* use = needed ? needed + static_cast<size_t>(y) * width : nullptr;
    const RowRadii r = radiiOfRow(map + static_cast<size_t>(y) * width, use, width, maxRadius);
    allLo = std::min(allLo, r.lo), allHi = std::max(allHi, r.hi), bad |= r.bad;
    rowLo[y] = use ? r.usedLo : r.lo, rowHi[y] = use ? r.usedHi : r.hi;
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
