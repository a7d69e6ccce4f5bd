#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "defocus/motion_blur.h"
#include "plane_ops.h"

namespace defocus {
namespace {

Status invalid(const std::string& reason) { return {ErrorCode::kInvalidArgument, reason}; }

// The blur runs on "lines": line r holds the samples at position r along the dominant axis
// of the direction (x for shallow directions, y for steep ones), indexed by the other axis.
// The direction then advances `slope` (|slope| <= 1) across per line. Shear each line so the
// direction becomes "same index, next line", box along lines, shear back: every pass works
// on whole lines with per-line constant weights, so it vectorises and streams memory.

// dst[i] = Catmull-Rom of src (n samples, edge-clamped) at i + shift, for i < m.
void shiftLine(const float* src, int n, double shift, float* __restrict dst, int m) {
  const double fl = std::floor(shift);
  const int k = static_cast<int>(fl);
  const float t = static_cast<float>(shift - fl);
  const float w0 = ((-0.5f * t + 1.0f) * t - 0.5f) * t, w1 = (1.5f * t - 2.5f) * t * t + 1.0f;
  const float w2 = ((-1.5f * t + 2.0f) * t + 0.5f) * t, w3 = (0.5f * t - 0.5f) * t * t;
  // i reads src[i + k - 1 .. i + k + 2]: all inside for lo <= i < hi.
  const int lo = std::clamp(1 - k, 0, m), hi = std::clamp(n - 2 - k, lo, m);
  auto at = [&](int j) { return src[std::clamp(j, 0, n - 1)]; };
  for (int i = 0; i < lo; ++i) dst[i] = w0 * at(i + k - 1) + w1 * at(i + k) + w2 * at(i + k + 1) + w3 * at(i + k + 2);
  const float* s = src + k - 1;
  for (int i = lo; i < hi; ++i) dst[i] = w0 * s[i] + w1 * s[i + 1] + w2 * s[i + 2] + w3 * s[i + 3];
  for (int i = hi; i < m; ++i) dst[i] = w0 * at(i + k - 1) + w1 * at(i + k) + w2 * at(i + k + 1) + w3 * at(i + k + 2);
}

// Motion blur of `lines` lines of `across` samples (see above); `length` is measured along
// the lines. in and out: lines x across.
Status motionLines(const float* in, float* out, int lines, int across, double slope, double length) {
  const double drift = (lines - 1) * slope;  // across-travel from the first line to the last
  const double offset = std::max(0.0, drift);
  const int canvas = across + static_cast<int>(std::ceil(std::fabs(drift))) + 1;
  // Box of `length` lines centred on each: 2n + 1 whole lines and a fraction f of the next
  // on both sides (edge lines repeated).
  const int n = std::max(0, static_cast<int>(std::floor((length - 1) / 2)));
  const float f = static_cast<float>((length - 1 - 2 * n) / 2), norm = static_cast<float>(1 / length);
  Buffer<float> sheared, sum, boxed;
  if (!sheared.resize(static_cast<size_t>(lines) * canvas) || !sum.resize(canvas) || !boxed.resize(canvas)) {
    return {ErrorCode::kOutOfMemory, "out of memory for the motion blur"};
  }
  // Shear: sheared(r, Y) = in(r, Y - offset + r * slope).
  for (int r = 0; r < lines; ++r) {
    shiftLine(in + static_cast<size_t>(r) * across, across, r * slope - offset, sheared.data() + static_cast<size_t>(r) * canvas,
              canvas);
  }
  auto line = [&](int r) { return sheared.data() + static_cast<size_t>(std::clamp(r, 0, lines - 1)) * canvas; };
  float* acc = sum.data();
  for (int r = 0; r < lines; ++r) {
    // Running sum of lines r - n .. r + n, summed afresh every 256 lines so float rounding
    // cannot drift.
    if (r % 256 == 0) {
      std::fill(acc, acc + canvas, 0.0f);
      for (int j = r - n; j <= r + n; ++j) {
        const float* l = line(j);
        for (int i = 0; i < canvas; ++i) acc[i] += l[i];
      }
    } else {
      const float *add = line(r + n), *drop = line(r - n - 1);
      for (int i = 0; i < canvas; ++i) acc[i] += add[i] - drop[i];
    }
    const float *before = line(r - n - 1), *after = line(r + n + 1);
    float* __restrict b = boxed.data();
    for (int i = 0; i < canvas; ++i) b[i] = (acc[i] + f * (before[i] + after[i])) * norm;
    // Unshear: out(r, y) = boxed(y + offset - r * slope).
    shiftLine(b, canvas, offset - r * slope, out + static_cast<size_t>(r) * across, across);
  }
  return Status::success();
}

Status checkLength(float length) {
  if (!(length >= 0 && length <= kMaxDirectionalLength)) {
    return invalid("length must be in 0.." + std::to_string(static_cast<int>(kMaxDirectionalLength)) + " pixels");
  }
  return Status::success();
}

}  // namespace

Result<ImagePlanar> motionBlur(const ImagePlanar& linear, float length, float angleDegrees) {
  for (const Status& s : {checkPlanes(linear), checkLength(length)}) {
    if (!s.ok()) return s;
  }
  if (!std::isfinite(angleDegrees)) return invalid("angle must be a finite number of degrees");
  Result<ImagePlanar> out = ImagePlanar::create(linear.width, linear.height, linear.channels);
  if (!out.ok()) return out;
  if (length <= 1) {  // a line of one pixel or less is the pixel itself
    std::memcpy(out.value().samples.data(), linear.samples.data(), linear.samples.size() * sizeof(float));
    return out;
  }
  // Direction in image coordinates (y down): counter-clockwise angle -> (cos, -sin).
  const double a = angleDegrees * 3.14159265358979323846 / 180;
  const double dx = std::cos(a), dy = -std::sin(a);
  const bool steep = std::fabs(dy) > std::fabs(dx);
  const int w = linear.width, h = linear.height;
  // Lines along x (shallow) are the image's columns: transpose in and out. Lines along y
  // (steep) are its rows as they are.
  Buffer<float> t1, t2;
  if (!steep && (!t1.resize(linear.planeSize()) || !t2.resize(linear.planeSize()))) {
    return Status{ErrorCode::kOutOfMemory, "out of memory for the motion blur"};
  }
  for (int c = 0; c < linear.channels; ++c) {
    Status s;
    if (steep) {
      s = motionLines(linear.plane(c), out.value().plane(c), h, w, dx / dy, length * std::fabs(dy));
    } else {
      transposePlane(linear.plane(c), t1.data(), w, h);
      s = motionLines(t1.data(), t2.data(), w, h, dy / dx, length * std::fabs(dx));
      transposePlane(t2.data(), out.value().plane(c), h, w);
    }
    if (!s.ok()) return s;
  }
  return out;
}

}  // namespace defocus
