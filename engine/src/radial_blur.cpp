#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "defocus/motion_blur.h"

namespace defocus {
namespace {

Status invalid(const std::string& reason) { return {ErrorCode::kInvalidArgument, reason}; }

inline float bilinear(const float* p, int w, int h, double x, double y) {
  x = std::clamp(x, 0.0, w - 1.0);
  y = std::clamp(y, 0.0, h - 1.0);
  const int x0 = std::min(static_cast<int>(x), w - 2 < 0 ? 0 : w - 2);
  const int y0 = std::min(static_cast<int>(y), h - 2 < 0 ? 0 : h - 2);
  const int x1 = std::min(x0 + 1, w - 1), y1 = std::min(y0 + 1, h - 1);
  const float fx = static_cast<float>(x - x0), fy = static_cast<float>(y - y0);
  const float* r0 = p + static_cast<size_t>(y0) * w;
  const float* r1 = p + static_cast<size_t>(y1) * w;
  return (1 - fy) * ((1 - fx) * r0[x0] + fx * r0[x1]) + fy * ((1 - fx) * r1[x0] + fx * r1[x1]);
}

}  // namespace

Result<ImagePlanar> radialBlur(const ImagePlanar& linear, float length, float centreX, float centreY) {
  Status planes = checkPlanes(linear);
  if (!planes.ok()) return planes;
  if (!(length >= 0 && length <= kMaxDirectionalLength)) {
    return invalid("length must be in 0.." + std::to_string(static_cast<int>(kMaxDirectionalLength)) + " pixels");
  }
  if (!(centreX >= 0 && centreX <= 1)) return invalid("centre x must be a fraction of the width in 0..1");
  if (!(centreY >= 0 && centreY <= 1)) return invalid("centre y must be a fraction of the height in 0..1");
  const int w = linear.width, h = linear.height;
  Result<ImagePlanar> out = ImagePlanar::create(w, h, linear.channels);
  if (!out.ok()) return out;
  // Centre on a pixel centre, so that pixel samples itself exactly.
  const double cx = std::round(centreX * (w - 1)), cy = std::round(centreY * (h - 1));
  const double reach = std::max({std::hypot(cx, cy), std::hypot(w - 1 - cx, cy), std::hypot(cx, h - 1 - cy),
                                 std::hypot(w - 1 - cx, h - 1 - cy)});
  if (length <= 1 || reach < 1) {
    std::memcpy(out.value().samples.data(), linear.samples.data(), linear.samples.size() * sizeof(float));
    return out;
  }
  // Polar grid: one ray per pixel of arc at the farthest corner, one sample per pixel
  // along each ray. A pixel at distance d averages [d (1 - k), d (1 + k)] on its ray.
  const double k = 0.5 * length / reach;
  const int rays = std::max(8, static_cast<int>(std::ceil(2 * 3.14159265358979323846 * reach)));
  const int steps = static_cast<int>(std::ceil(reach * (1 + k))) + 2;
  Buffer<float> polar, ray;
  Buffer<double> prefix;
  if (!polar.resize(static_cast<size_t>(rays) * steps) || !ray.resize(steps) || !prefix.resize(steps + 1)) {
    return Status{ErrorCode::kOutOfMemory, "out of memory for the radial blur"};
  }
  const double angleStep = 2 * 3.14159265358979323846 / rays;
  for (int c = 0; c < linear.channels; ++c) {
    const float* src = linear.plane(c);
    for (int r = 0; r < rays; ++r) {
      const double ux = std::cos(r * angleStep), uy = std::sin(r * angleStep);
      for (int s = 0; s < steps; ++s) ray[s] = bilinear(src, w, h, cx + s * ux, cy + s * uy);
      // Integral along the ray, sample s covering [s - 0.5, s + 0.5); then box averages.
      prefix[0] = 0;
      for (int s = 0; s < steps; ++s) prefix[s + 1] = prefix[s] + ray[s];
      auto integral = [&](double u) {
        const double v = std::clamp(u + 0.5, 0.0, steps - 1e-9);
        const int i = static_cast<int>(v);
        return prefix[i] + (v - i) * ray[i];
      };
      float* row = polar.data() + static_cast<size_t>(r) * steps;
      row[0] = ray[0];
      for (int s = 1; s < steps; ++s) {
        const double lo = s * (1 - k), hi = s * (1 + k);
        row[s] = static_cast<float>((integral(hi) - integral(lo)) / (hi - lo));
      }
    }
    float* dst = out.value().plane(c);
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        const double dx = x - cx, dy = y - cy;
        double angle = std::atan2(dy, dx);
        if (angle < 0) angle += 2 * 3.14159265358979323846;
        const double a = angle / angleStep, d = std::hypot(dx, dy);
        const int r0 = static_cast<int>(a) % rays, r1 = (r0 + 1) % rays;
        const int s0 = std::min(static_cast<int>(d), steps - 2);
        const float fa = static_cast<float>(a - std::floor(a)), fd = static_cast<float>(d - s0);
        const float* p0 = polar.data() + static_cast<size_t>(r0) * steps;
        const float* p1 = polar.data() + static_cast<size_t>(r1) * steps;
        dst[static_cast<size_t>(y) * w + x] = (1 - fa) * ((1 - fd) * p0[s0] + fd * p0[s0 + 1]) +
                                              fa * ((1 - fd) * p1[s0] + fd * p1[s0 + 1]);
      }
    }
  }
  return out;
}

}  // namespace defocus
