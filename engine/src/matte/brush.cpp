#include "defocus/brush.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace defocus {
namespace {

constexpr double kMaxDabs = 100000;

// One round dab: coverage 1 inside radius * hardness, smoothly down to 0 at the radius.
void dab(ImagePlanar& matte, double cx, double cy, double radius, double hardness, bool restore) {
  const int w = matte.width, h = matte.height;
  const double inner = radius * hardness;
  // Bounds clamped as doubles before they become ints: points far outside the image are
  // allowed, and their coordinates do not fit in an int.
  auto index = [](double v, int last) { return static_cast<int>(v > -1.0 ? std::min(v, last + 1.0) : -1.0); };
  const int x0 = std::max(0, index(std::floor(cx - radius), w - 1)), x1 = std::min(w - 1, index(std::ceil(cx + radius), w - 1));
  const int y0 = std::max(0, index(std::floor(cy - radius), h - 1)), y1 = std::min(h - 1, index(std::ceil(cy + radius), h - 1));
  float* alpha = matte.plane(0);
  for (int y = y0; y <= y1; ++y) {
    for (int x = x0; x <= x1; ++x) {
      const double d = std::hypot(x + 0.5 - cx, y + 0.5 - cy);
      if (d >= radius) continue;
      double cover = 1;
      if (d > inner) {
        const double t = (d - inner) / (radius - inner);
        cover = 1 - t * t * (3 - 2 * t);
      }
      float& a = alpha[static_cast<size_t>(y) * w + x];
      a = restore ? std::max(a, static_cast<float>(cover)) : std::min(a, static_cast<float>(1 - cover));
    }
  }
}

}  // namespace

Status checkStroke(const BrushStroke& s) {
  if (!(s.radius > 0 && s.radius <= 1)) return {ErrorCode::kInvalidArgument, "brush radius must be in (0, 1] of the diagonal"};
  if (!(s.hardness >= 0 && s.hardness <= 1)) return {ErrorCode::kInvalidArgument, "brush hardness must be in 0..1"};
  if (s.points.empty()) return {ErrorCode::kInvalidArgument, "a brush stroke needs at least one point"};
  for (const BrushPoint& p : s.points) {
    if (!std::isfinite(p.x) || !std::isfinite(p.y)) return {ErrorCode::kInvalidArgument, "brush points must be finite"};
  }
  return Status::success();
}

Status applyStrokes(ImagePlanar& matte, const std::vector<BrushStroke>& strokes) {
  if (matte.samples.empty() || matte.channels < 1) return {ErrorCode::kInvalidArgument, "matte is empty"};
  for (size_t k = 0; k < strokes.size(); ++k) {
    Status ok = checkStroke(strokes[k]);
    if (!ok.ok()) return {ok.code(), "stroke " + std::to_string(k + 1) + ": " + ok.reason()};
  }
  const double diagonal = std::hypot(double(matte.width), double(matte.height));
  for (const BrushStroke& s : strokes) {
    const double radius = std::max(0.5, s.radius * diagonal);
    const double spacing = std::max(0.5, radius / 4);  // dabs overlap enough to look continuous
    for (size_t i = 0; i < s.points.size(); ++i) {
      // In double: a float point far outside times the width overflows float (inf - inf: NaN).
      const double ax = double(s.points[i].x) * matte.width, ay = double(s.points[i].y) * matte.height;
      if (i == 0) dab(matte, ax, ay, radius, s.hardness, s.restore);
      if (i + 1 == s.points.size()) break;
      const double bx = double(s.points[i + 1].x) * matte.width, by = double(s.points[i + 1].y) * matte.height;
      // At most kMaxDabs dabs a segment (clamped as a double: a segment far outside the image
      // needs more steps than an int holds).
      const int steps = static_cast<int>(std::clamp(std::ceil(std::hypot(bx - ax, by - ay) / spacing), 1.0, kMaxDabs));
      for (int t = 1; t <= steps; ++t) {
        dab(matte, ax + (bx - ax) * t / steps, ay + (by - ay) * t / steps, radius, s.hardness, s.restore);
      }
    }
  }
  return Status::success();
}

}  // namespace defocus
