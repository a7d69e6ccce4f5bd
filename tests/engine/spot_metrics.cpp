#include "spot_metrics.h"

#include <algorithm>
#include <cmath>

namespace spot {

Disc measure(const float* plane, int width, int height) {
  Disc d;
  float peak = 0;
  int px = 0, py = 0;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      if (plane[y * width + x] > peak) peak = plane[y * width + x], px = x, py = y;
    }
  }
  // Plateau: median over a small window around the brightest pixel, then threshold.
  std::vector<float> near;
  for (int y = py - 2; y <= py + 2; ++y) {
    for (int x = px - 2; x <= px + 2; ++x) {
      if (x >= 0 && y >= 0 && x < width && y < height) near.push_back(plane[y * width + x]);
    }
  }
  std::nth_element(near.begin(), near.begin() + near.size() / 2, near.end());
  d.plateau = near[near.size() / 2];
  const double half = d.plateau / 2;
  double count = 0, sx = 0, sy = 0;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      if (plane[y * width + x] > half) count += 1, sx += x, sy += y;
    }
  }
  d.centerX = sx / count;
  d.centerY = sy / count;
  d.radius = std::sqrt(count / 3.14159265358979);
  double sum = 0, sum2 = 0, m = 0;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      if (std::hypot(x - d.centerX, y - d.centerY) < 0.8 * d.radius) {
        const double v = plane[y * width + x];
        sum += v, sum2 += v * v, m += 1;
      }
    }
  }
  const double mean = sum / m;
  d.interiorCv = std::sqrt(std::max(0.0, sum2 / m - mean * mean)) / mean;
  // Rim: where the value along each ray (bilinear samples) falls through half the plateau.
  auto sample = [&](double x, double y) {
    const int x0 = static_cast<int>(std::floor(x)), y0 = static_cast<int>(std::floor(y));
    if (x0 < 0 || y0 < 0 || x0 + 1 >= width || y0 + 1 >= height) return 0.0;
    const double fx = x - x0, fy = y - y0;
    const float* p = plane + y0 * width + x0;
    return (1 - fy) * ((1 - fx) * p[0] + fx * p[1]) + fy * ((1 - fx) * p[width] + fx * p[width + 1]);
  };
  for (int a = 0; a < 360; ++a) {
    const double dx = std::cos(a * 3.14159265358979 / 180), dy = -std::sin(a * 3.14159265358979 / 180);
    double r = 0, previous = sample(d.centerX, d.centerY);
    for (double t = 0.1; t < 2 * d.radius + 4; t += 0.1) {
      const double v = sample(d.centerX + t * dx, d.centerY + t * dy);
      if (v <= half) {
        r = t - 0.1 * (half - v) / (previous - v);
        break;
      }
      previous = v;
    }
    d.rim.push_back(r);
  }
  return d;
}

int countCorners(const std::vector<double>& rim) {
  const int n = static_cast<int>(rim.size());
  // Smooth over 5 degrees to ignore pixel steps, then count maxima standing out by a third
  // of the full range above the surrounding minima.
  std::vector<double> s(n);
  for (int i = 0; i < n; ++i) {
    double acc = 0;
    for (int k = -2; k <= 2; ++k) acc += rim[(i + k + n) % n];
    s[i] = acc / 5;
  }
  const auto [mn, mx] = std::minmax_element(s.begin(), s.end());
  const double range = *mx - *mn;
  if (range < std::max(0.5, 0.03 * *mx)) return 0;  // round within pixel accuracy
  int corners = 0;
  for (int i = 0; i < n; ++i) {
    bool isMax = true;
    for (int k = -15; k <= 15 && isMax; ++k) isMax = k == 0 || s[(i + k + n) % n] < s[i] || (k > 0 && s[(i + k + n) % n] == s[i]);
    if (isMax && s[i] > *mn + range / 3) ++corners;
  }
  return corners;
}

}  // namespace spot
