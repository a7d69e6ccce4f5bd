#include "defocus/matte_metrics.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace defocus {
namespace {

// Outline of a binary mask: inside pixels with a 4-neighbour outside (or on the image edge
// next to nothing: the image border is not an outline).
std::vector<uint8_t> outline(const std::vector<uint8_t>& mask, int w, int h) {
  std::vector<uint8_t> edge(mask.size(), 0);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const size_t i = static_cast<size_t>(y) * w + x;
      if (!mask[i]) continue;
      edge[i] = (x > 0 && !mask[i - 1]) || (x + 1 < w && !mask[i + 1]) || (y > 0 && !mask[i - w]) ||
                (y + 1 < h && !mask[i + w]);
    }
  }
  return edge;
}

// Fraction of the pixels set in `from` that have a pixel set in `to` within tolerance.
double matched(const std::vector<uint8_t>& from, const std::vector<uint8_t>& to, int w, int h, int t) {
  size_t total = 0, hits = 0;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      if (!from[static_cast<size_t>(y) * w + x]) continue;
      ++total;
      bool found = false;
      for (int dy = -t; dy <= t && !found; ++dy) {
        const int yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (int dx = -t; dx <= t && !found; ++dx) {
          const int xx = x + dx;
          found = xx >= 0 && xx < w && dx * dx + dy * dy <= t * t && to[static_cast<size_t>(yy) * w + xx];
        }
      }
      hits += found;
    }
  }
  return total ? double(hits) / total : 1.0;
}

}  // namespace

Result<MatteScores> scoreMatte(const ImagePlanar& matte, const ImagePlanar& truth, int tolerance) {
  if (matte.width != truth.width || matte.height != truth.height || matte.samples.empty() ||
      truth.samples.empty()) {
    return Status{ErrorCode::kInvalidArgument, "matte and ground truth must be non-empty and the same size"};
  }
  if (tolerance < 0 || tolerance > 64) return Status{ErrorCode::kInvalidArgument, "tolerance must be in 0..64"};
  const int w = matte.width, h = matte.height;
  const size_t n = matte.planeSize();
  std::vector<uint8_t> a(n), b(n);
  size_t both = 0, either = 0;
  double error = 0;
  for (size_t i = 0; i < n; ++i) {
    const float m = matte.plane(0)[i], t = truth.plane(0)[i];
    a[i] = m >= 0.5f;
    b[i] = t >= 0.5f;
    both += a[i] && b[i];
    either += a[i] || b[i];
    error += std::fabs(double(m) - t);
  }
  MatteScores s;
  s.iou = either ? double(both) / either : 1.0;
  s.meanAbsError = error / n;
  const auto ea = outline(a, w, h), eb = outline(b, w, h);
  const double precision = matched(ea, eb, w, h, tolerance), recall = matched(eb, ea, w, h, tolerance);
  s.boundaryF = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
  return s;
}

}  // namespace defocus
