#include "blur/lens/aperture_kernel.h"

#include <algorithm>
#include <cmath>

#include "core/angles.h"

namespace defocus {

std::vector<std::pair<double, double>> apertureOutline(const Aperture& aperture, double radius, int samples) {
  const double rotation = radians(aperture.rotationDegrees);
  std::vector<std::pair<double, double>> outline(samples);
  for (int i = 0; i < samples; ++i) {
    const double phi = 2 * kPi * i / samples;
    double r = radius;
    if (aperture.blades >= 3) {
      // Distance to the polygon edge (circumradius `radius`, a vertex at `rotation`),
      // blended towards the circle by the blade curvature.
      const double sector = 2 * kPi / aperture.blades;
      double local = std::fmod(phi - rotation, sector);
      if (local < 0) local += sector;
      const double polygon = radius * std::cos(sector / 2) / std::cos(local - sector / 2);
      r = polygon + aperture.curvature * (radius - polygon);
    }
    outline[i] = {r * std::cos(phi), -r * std::sin(phi)};  // image y points down
  }
  return outline;
}

ApertureKernel makeApertureKernel(const Aperture& aperture, double radius) {
  ApertureKernel kernel;
  // A disc smaller than a pixel covers no sample line: the pixel itself (identity).
  auto identity = [&] {
    kernel = ApertureKernel{};
    kernel.spans.push_back({0, -0.5, 0.5, 1.0});
    kernel.area = 1;
    kernel.reach = 1;
    return kernel;
  };
  if (radius < 0.5) return identity();
  const auto outline = apertureOutline(aperture, radius);
  const int rows = static_cast<int>(std::ceil(radius + 0.5));
  // Each pixel row is sampled by kSubRows horizontal lines. Consecutive lines whose chords
  // agree within kMergeTolerance pixels share one span; where the rim turns fast (top and
  // bottom of a disc, polygon corners) a row gets several spans, so the rim stays smooth.
  constexpr int kSubRows = 8;
  constexpr double kMergeTolerance = 0.2;
  auto flush = [&](int dy, double lo, double hi, int lines) {
    KernelSpan span{dy, lo / lines, hi / lines, static_cast<double>(lines) / kSubRows};
    kernel.area += span.weight * (span.right - span.left);
    kernel.reach = std::max({kernel.reach, std::abs(dy), static_cast<int>(std::ceil(std::fabs(span.left))) + 1,
                             static_cast<int>(std::ceil(std::fabs(span.right))) + 1});
    kernel.spans.push_back(span);
  };
  for (int dy = -rows; dy <= rows; ++dy) {
    double groupLo = 0, groupHi = 0, firstLo = 0, firstHi = 0;
    int lines = 0;
    for (int s = 0; s < kSubRows; ++s) {
      const double y = dy - 0.5 + (s + 0.5) / kSubRows;
      double lo = INFINITY, hi = -INFINITY;
      for (size_t i = 0; i < outline.size(); ++i) {
        const auto [x0, y0] = outline[i];
        const auto [x1, y1] = outline[(i + 1) % outline.size()];
        if ((y0 <= y) == (y1 <= y)) continue;  // edge does not cross this line
        const double x = x0 + (y - y0) * (x1 - x0) / (y1 - y0);
        lo = std::min(lo, x);
        hi = std::max(hi, x);
      }
      if (!(hi > lo)) continue;
      if (lines && (std::fabs(lo - firstLo) > kMergeTolerance || std::fabs(hi - firstHi) > kMergeTolerance)) {
        flush(dy, groupLo, groupHi, lines);
        lines = 0;
      }
      if (!lines) groupLo = groupHi = 0, firstLo = lo, firstHi = hi;
      groupLo += lo;
      groupHi += hi;
      ++lines;
    }
    if (lines) flush(dy, groupLo, groupHi, lines);
  }
  if (!(kernel.area > 0)) return identity();
  return kernel;
}

}  // namespace defocus
