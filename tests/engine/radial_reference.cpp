#include "radial_reference.h"

#include <algorithm>
#include <cmath>

namespace reference {
namespace {

double bilinear(const float* p, int w, int h, double x, double y) {
  x = std::clamp(x, 0.0, w - 1.0);
  y = std::clamp(y, 0.0, h - 1.0);
  const int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
  const int x1 = std::min(x0 + 1, w - 1), y1 = std::min(y0 + 1, h - 1);
  const double fx = x - x0, fy = y - y0;
  const auto at = [&](int xx, int yy) { return static_cast<double>(p[static_cast<size_t>(yy) * w + xx]); };
  return (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x1, y0)) + fy * ((1 - fx) * at(x0, y1) + fx * at(x1, y1));
}

}  // namespace

std::vector<double> radialBlurPlane(const float* plane, int w, int h, double length, const float* lengthMap,
                                    double centerX, double centerY) {
  const double cx = std::round(centerX * (w - 1)), cy = std::round(centerY * (h - 1));
  const double reach = std::max({std::hypot(cx, cy), std::hypot(w - 1 - cx, cy), std::hypot(cx, h - 1 - cy),
                                 std::hypot(w - 1 - cx, h - 1 - cy)});
  std::vector<double> out(static_cast<size_t>(w) * h);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const size_t i = static_cast<size_t>(y) * w + x;
      const double dx = x - cx, dy = y - cy, d = std::hypot(dx, dy);
      const double k = 0.5 * (lengthMap ? lengthMap[i] : length) / reach;
      const double lo = std::max(0.0, d * (1 - k)), hi = d * (1 + k);
      if (d == 0 || hi - lo < 1e-9) {
        out[i] = plane[i];
        continue;
      }
      const int n = std::max(16, static_cast<int>(std::ceil(4 * (hi - lo))));
      double sum = 0;
      for (int s = 0; s < n; ++s) {
        const double t = (lo + (s + 0.5) * (hi - lo) / n) / d;
        sum += bilinear(plane, w, h, cx + t * dx, cy + t * dy);
      }
      out[i] = sum / n;
    }
  }
  return out;
}

double psnr(const float* plane, const std::vector<double>& truth) {
  double mse = 0;
  for (size_t i = 0; i < truth.size(); ++i) mse += (plane[i] - truth[i]) * (plane[i] - truth[i]);
  return 10 * std::log10(truth.size() / std::max(mse, 1e-30));
}

}  // namespace reference
