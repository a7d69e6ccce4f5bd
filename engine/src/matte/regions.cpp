#include "matte/regions.h"

#include <algorithm>

namespace defocus {

Regions findRegions(const ImagePlanar& plane, float threshold) {
  const int w = plane.width, h = plane.height;
  const float* p = plane.plane(0);
  Regions out;
  out.label.assign(static_cast<size_t>(w) * h, -1);
  std::vector<int32_t> stack;
  for (size_t seed = 0; seed < out.label.size(); ++seed) {
    if (out.label[seed] >= 0 || !(p[seed] >= threshold)) continue;
    const int id = static_cast<int>(out.regions.size());
    Region r;
    r.left = w, r.top = h;
    out.label[seed] = id;
    stack.assign(1, static_cast<int32_t>(seed));
    while (!stack.empty()) {
      const int32_t i = stack.back();
      stack.pop_back();
      const int x = i % w, y = i / w;
      r.area += 1, r.sum += p[i];
      r.left = std::min(r.left, x), r.right = std::max(r.right, x);
      r.top = std::min(r.top, y), r.bottom = std::max(r.bottom, y);
      for (int dy = -1; dy <= 1; ++dy) {
        for (int dx = -1; dx <= 1; ++dx) {
          const int xx = x + dx, yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
          const int32_t j = yy * w + xx;
          if (out.label[j] < 0 && p[j] >= threshold) out.label[j] = id, stack.push_back(j);
        }
      }
    }
    out.regions.push_back(r);
  }
  return out;
}

std::vector<uint8_t> dilateMask(const std::vector<uint8_t>& mask, int width, int height, int radius) {
  if (radius <= 0) return mask;
  std::vector<uint8_t> rows(mask.size()), out(mask.size());
  // Rows: a pixel is set when any pixel within `radius` along the row is (running count).
  for (int y = 0; y < height; ++y) {
    const uint8_t* in = mask.data() + static_cast<size_t>(y) * width;
    uint8_t* o = rows.data() + static_cast<size_t>(y) * width;
    int count = 0;
    for (int x = 0; x < std::min(radius, width); ++x) count += in[x];
    for (int x = 0; x < width; ++x) {
      if (x + radius < width) count += in[x + radius];
      if (x - radius - 1 >= 0) count -= in[x - radius - 1];
      o[x] = count > 0;
    }
  }
  for (int x = 0; x < width; ++x) {
    int count = 0;
    for (int y = 0; y < std::min(radius, height); ++y) count += rows[static_cast<size_t>(y) * width + x];
    for (int y = 0; y < height; ++y) {
      if (y + radius < height) count += rows[static_cast<size_t>(y + radius) * width + x];
      if (y - radius - 1 >= 0) count -= rows[static_cast<size_t>(y - radius - 1) * width + x];
      out[static_cast<size_t>(y) * width + x] = count > 0;
    }
  }
  return out;
}

}  // namespace defocus
