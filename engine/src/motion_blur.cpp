#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "defocus/motion_blur.h"
#include "plane_ops.h"

namespace defocus {
namespace {

Status invalid(const std::string& reason) { return {ErrorCode::kInvalidArgument, reason}; }

// Catmull-Rom sample of a column-major line of n values at fractional index u (clamped ends).
inline float cubicAt(const float* line, int n, double u) {
  const int i = static_cast<int>(std::floor(u));
  const float t = static_cast<float>(u - i);
  auto at = [&](int k) { return line[std::clamp(k, 0, n - 1)]; };
  const float p0 = at(i - 1), p1 = at(i), p2 = at(i + 1), p3 = at(i + 2);
  return p1 + 0.5f * t * (p2 - p0 + t * (2 * p0 - 5 * p1 + 4 * p2 - p3 + t * (3 * (p1 - p2) + p3 - p0)));
}

// Running box of `length` samples (fractional, centred) along a row, edge-clamped.
// prefix holds n + 2 * pad + 1 doubles, padded n + 2 * pad floats.
void boxRow(const float* in, float* out, int n, double length, int pad, double* prefix, float* padded) {
  for (int i = 0; i < pad; ++i) padded[i] = in[0], padded[pad + n + i] = in[n - 1];
  std::memcpy(padded + pad, in, sizeof(float) * n);
  prefix[0] = 0;
  for (int i = 0; i < n + 2 * pad; ++i) prefix[i + 1] = prefix[i] + padded[i];
  const double uLeft = pad - length / 2 + 0.5, uRight = pad + length / 2 + 0.5;
  const int aL = static_cast<int>(std::floor(uLeft)), aR = static_cast<int>(std::floor(uRight));
  const double fL = uLeft - aL, fR = uRight - aR, norm = 1.0 / length;
  for (int x = 0; x < n; ++x) {
    out[x] = static_cast<float>(((prefix[x + aR] + fR * padded[x + aR]) - (prefix[x + aL] + fL * padded[x + aL])) * norm);
  }
}

// Motion blur of one plane along a direction with |slope| <= 1 (dy/dx), length measured
// along x. Works on columns of a sheared canvas.
Status motionPlaneShallow(const float* in, float* out, int w, int h, double slope, double lengthX) {
  const double drop = (w - 1) * slope;                 // vertical travel across the image
  const double offset = std::max(0.0, drop);
  const int canvasH = h + static_cast<int>(std::ceil(std::fabs(drop))) + 1;
  const int pad = static_cast<int>(std::ceil(lengthX / 2)) + 2;
  Buffer<float> canvas, column, row, padded;
  Buffer<double> prefix;
  if (!canvas.resize(static_cast<size_t>(w) * canvasH) || !column.resize(std::max(h, canvasH)) ||
      !row.resize(std::max(w, canvasH)) || !padded.resize(static_cast<size_t>(w) + 2 * pad) ||
      !prefix.resize(static_cast<size_t>(w) + 2 * pad + 1)) {
    return {ErrorCode::kOutOfMemory, "out of memory for the motion blur"};
  }
  // Shear: canvas(x, Y) = in(x, Y - offset + x * slope); along each line, x advances with y.
  for (int x = 0; x < w; ++x) {
    for (int y = 0; y < h; ++y) column[y] = in[static_cast<size_t>(y) * w + x];
    const double shift = x * slope - offset;
    for (int Y = 0; Y < canvasH; ++Y) canvas[static_cast<size_t>(Y) * w + x] = cubicAt(column.data(), h, Y + shift);
  }
  for (int Y = 0; Y < canvasH; ++Y) {
    float* line = canvas.data() + static_cast<size_t>(Y) * w;
    boxRow(line, row.data(), w, lengthX, pad, prefix.data(), padded.data());
    std::memcpy(line, row.data(), sizeof(float) * w);
  }
  // Unshear: out(x, y) = canvas(x, y + offset - x * slope).
  for (int x = 0; x < w; ++x) {
    for (int Y = 0; Y < canvasH; ++Y) column[Y] = canvas[static_cast<size_t>(Y) * w + x];
    const double shift = offset - x * slope;
    for (int y = 0; y < h; ++y) out[static_cast<size_t>(y) * w + x] = cubicAt(column.data(), canvasH, y + shift);
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
  Buffer<float> t1, t2;
  if (steep && (!t1.resize(linear.planeSize()) || !t2.resize(linear.planeSize()))) {
    return Status{ErrorCode::kOutOfMemory, "out of memory for the motion blur"};
  }
  for (int c = 0; c < linear.channels; ++c) {
    Status s;
    if (!steep) {
      s = motionPlaneShallow(linear.plane(c), out.value().plane(c), w, h, dy / dx, length * std::fabs(dx));
    } else {
      // Transposed, the direction (dx, dy) becomes (dy, dx): shallow again.
      transposePlane(linear.plane(c), t1.data(), w, h);
      s = motionPlaneShallow(t1.data(), t2.data(), h, w, dx / dy, length * std::fabs(dy));
      transposePlane(t2.data(), out.value().plane(c), h, w);
    }
    if (!s.ok()) return s;
  }
  return out;
}

}  // namespace defocus
