#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "defocus/motion_blur.h"
#include "blur/length_map.h"
#include "blur/motion/motion_shear.h"
#include "core/angles.h"
#include "core/plane_ops.h"

namespace defocus {
namespace {

// The blur runs on "lines": line r holds the samples at position r along the dominant axis
// of the direction (x for shallow directions, y for steep ones), indexed by the other axis.
// The direction then advances `slope` (|slope| <= 1) across per line. Shear each line so the
// direction becomes "same index, next line", box along lines, shear back: every pass works
// on whole lines with per-line constant weights, so it vectorises and streams memory.

// dst[i] = Catmull-Rom of src (n samples, edge-clamped) at i + shift, for i < m.
void shiftLine(const float* src, int n, double shift, float* __restrict dst, int m) {
  const double fl = std::floor(shift);
  const int k = static_cast<int>(fl);
  float w[4];
  catmullRomTaps(static_cast<float>(shift - fl), w);
  const float w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3];
  // i reads src[i + k - 1 .. i + k + 2]: all inside for lo <= i < hi.
  const int lo = std::clamp(1 - k, 0, m), hi = std::clamp(n - 2 - k, lo, m);
  auto at = [&](int j) { return src[std::clamp(j, 0, n - 1)]; };
  // Where all four taps are past one end (most of a sheared line's margin), the value is
  // that edge sample: filled, not clamped tap by tap.
  const int fill0 = std::clamp(-k - 1, 0, lo), fill1 = std::clamp(n - k, hi, m);
  const float wsum = w0 + w1 + w2 + w3;
  std::fill(dst, dst + fill0, src[0] * wsum);
  for (int i = fill0; i < lo; ++i) dst[i] = w0 * at(i + k - 1) + w1 * at(i + k) + w2 * at(i + k + 1) + w3 * at(i + k + 2);
  const float* s = src + k - 1;
  for (int i = lo; i < hi; ++i) dst[i] = w0 * s[i] + w1 * s[i + 1] + w2 * s[i + 2] + w3 * s[i + 3];
  for (int i = hi; i < fill1; ++i) dst[i] = w0 * at(i + k - 1) + w1 * at(i + k) + w2 * at(i + k + 1) + w3 * at(i + k + 2);
  std::fill(dst + fill1, dst + m, src[n - 1] * wsum);
}

}  // namespace

Status MotionShear::prepare(const float* in, int width, int height, float angleDegrees) {
  // Direction in image coordinates (y down): counter-clockwise angle -> (cos, -sin).
  const double a = radians(angleDegrees);
  const double dx = std::cos(a), dy = -std::sin(a);
  in_ = in, width_ = width, height_ = height;
  steep_ = std::fabs(dy) > std::fabs(dx);
  // Lines along x (shallow) are the image's columns: transposed. Lines along y (steep) are
  // its rows as they are.
  lines_ = steep_ ? height : width, across_ = steep_ ? width : height;
  slope_ = steep_ ? dx / dy : dy / dx;
  lineScale_ = std::fabs(steep_ ? dy : dx);
  const double drift = (lines_ - 1) * slope_;  // across-travel from the first line to the last
  offset_ = std::max(0.0, drift);
  canvas_ = across_ + static_cast<int>(std::ceil(std::fabs(drift))) + 1;
  if (!sheared_.resize(static_cast<size_t>(lines_) * canvas_) || !sum_.resize(canvas_) || !boxed_.resize(canvas_)) {
    return outOfMemory("for the motion blur");
  }
  const float* lines = in;
  if (!steep_) {
    if (!scratch_.resize(static_cast<size_t>(width) * height)) return outOfMemory("for the motion blur");
    transposePlane(in, scratch_.data(), width, height);
    lines = scratch_.data();
  }
  // Shear: sheared(r, Y) = line r at Y - offset + r * slope.
  for (int r = 0; r < lines_; ++r) {
    shiftLine(lines + static_cast<size_t>(r) * across_, across_, r * slope_ - offset_,
              sheared_.data() + static_cast<size_t>(r) * canvas_, canvas_);
  }
  return Status::success();
}

template <typename BoxLine>
Status MotionShear::unshear(float* out, int from, int to, BoxLine&& boxLine) {
  // Only image rows [from, to) are made. Steep lines are the image's rows: lines from..to-1.
  // Shallow ones are its columns, of which samples from..to-1 go to scratch (lines_ x
  // (to - from)), then are transposed into place.
  const int r0 = steep_ ? from : 0, r1 = steep_ ? to : lines_;
  const int a0 = steep_ ? 0 : from, count = steep_ ? across_ : to - from;
  for (int r = r0; r < r1; ++r) {
    // Line r's unshear reads the boxed line at a + shift - 1 .. a + shift + 2 for every
    // across sample a made, shift = offset - r slope: a window that slides by |slope| per line.
    const double shift = offset_ - r * slope_ + a0;
    const int k = static_cast<int>(std::floor(shift));
    const int b0 = std::clamp(k - 1, 0, canvas_ - 1), b1 = std::clamp(count - 1 + k + 3, 0, canvas_ - 1);
    boxLine(r, b0, b1, boxed_.data());
    // Unshear: out(r, a) = boxed(a + shift).
    float* dst = steep_ ? out + static_cast<size_t>(r - from) * count : scratch_.data() + static_cast<size_t>(r) * count;
    shiftLine(boxed_.data(), canvas_, shift, dst, count);
  }
  if (!steep_) transposePlane(scratch_.data(), out, count, lines_);
  return Status::success();
}

Status MotionShear::blur(float length, float* out, RowRange rows) {
  if (!in_) return {ErrorCode::kInvalidArgument, "motion blur: no plane prepared"};
  // Box of `len` lines centred on each: 2n + 1 whole lines and a fraction f of the next
  // on both sides (edge lines repeated).
  const double len = length * lineScale_;
  const int n = std::max(0, static_cast<int>(std::floor((len - 1) / 2)));
  const float f = static_cast<float>((len - 1 - 2 * n) / 2), norm = static_cast<float>(1 / len);
  auto line = [&](int r) { return sheared_.data() + static_cast<size_t>(std::clamp(r, 0, lines_ - 1)) * canvas_; };
  float* acc = sum_.data();
  // acc[i0..i1] = the sum of lines r - n .. r + n there.
  const auto fresh = [&](int i0, int i1, int r) {
    std::fill(acc + i0, acc + i1 + 1, 0.0f);
    for (int j = r - n; j <= r + n; ++j) {
      const float* l = line(j);
      for (int i = i0; i <= i1; ++i) acc[i] += l[i];
    }
  };
  // The running sum follows the window the unshear reads (samples entering it are summed
  // afresh), so its cost does not grow with the drift across the whole plane.
  int w0 = 0, w1 = -1, first = -1;  // where acc holds the running sum; the first line
  return unshear(out, rows.from, rows.end(height_), [&](int r, int b0, int b1, float* __restrict b) {
    // Summed afresh every 256 lines so float rounding cannot drift.
    if (first < 0 || (r - first) % 256 == 0) {
      if (first < 0) first = r;
      fresh(b0, b1, r);
    } else {
      const int u0 = std::max(b0, w0), u1 = std::min(b1, w1);
      const float *add = line(r + n), *drop = line(r - n - 1);
      for (int i = u0; i <= u1; ++i) acc[i] += add[i] - drop[i];
      if (b0 < u0) fresh(b0, std::min(b1, u0 - 1), r);
      if (b1 > u1) fresh(std::max(b0, u1 + 1), b1, r);
    }
    w0 = b0, w1 = b1;
    const float *before = line(r - n - 1), *after = line(r + n + 1);
    for (int i = b0; i <= b1; ++i) b[i] = (acc[i] + f * (before[i] + after[i])) * norm;
  });
}

Status MotionShear::blurVariable(const float* lengths, float lengthScale, float* out, RowRange rows) {
  if (!in_) return {ErrorCode::kInvalidArgument, "motion blur: no plane prepared"};
  const size_t c = canvas_;
  if (!mean_.resize(c) || !edgeRows_.resize(4 * c)) return outOfMemory("for the motion blur");
  std::vector<int> nOf(c);
  std::vector<float> fOf(c), normOf(c);
  // Prefix sums along the lines, in place, of each sample less the mean of its position
  // over all lines: the sums stay small, so float keeps the precision of their differences.
  float* mean = mean_.data();
  std::fill(mean, mean + c, 0.0f);
  for (int r = 0; r < lines_; ++r) {
    const float* l = sheared_.data() + r * c;
    for (size_t i = 0; i < c; ++i) mean[i] += l[i];
  }
  for (size_t i = 0; i < c; ++i) mean[i] /= static_cast<float>(lines_);
  for (int r = 0; r < lines_; ++r) {
    float* l = sheared_.data() + r * c;
    const float* before = r > 0 ? l - c : mean_.data();  // line -1: a zero sum (mean - mean)
    const float zero = r > 0 ? 0.0f : 1.0f;
    for (size_t i = 0; i < c; ++i) l[i] = l[i] - mean[i] + (before[i] - zero * mean[i]);
  }
  // Prefix row e of any e, over samples i0..i1: past the ends the edge lines repeat, so the
  // sums go on linearly (slot: which of 4 spare rows holds it).
  const float *firstRow = sheared_.data(), *lastRow = sheared_.data() + (lines_ - 1) * c;
  const auto prefix = [&](int e, int slot, int i0, int i1) -> const float* {
    if (e >= 0 && e < lines_) return sheared_.data() + e * c;
    float* t = edgeRows_.data() + slot * c;
    if (e < 0) {
      const float k = static_cast<float>(e + 1);
      for (int i = i0; i <= i1; ++i) t[i] = k * firstRow[i];
    } else {
      const float k = static_cast<float>(e - lines_ + 1);
      const float* beforeLast = lines_ > 1 ? lastRow - c : nullptr;
      for (int i = i0; i <= i1; ++i) t[i] = lastRow[i] + k * (lastRow[i] - (beforeLast ? beforeLast[i] : 0.0f));
    }
    return t;
  };
  const float scale = static_cast<float>(lengthScale * lineScale_);
  return unshear(out, rows.from, rows.end(height_), [&](int r, int b0, int b1, float* __restrict boxed) {
    // Each sample's box as in blur(): 2n + 1 whole lines and a fraction f beyond both ends;
    // a box of one line or less is the sample itself.
    const float* len = lengths + r * c;
    for (int i = b0; i <= b1; ++i) {
      const float l = len[i] * scale > 1.0f ? len[i] * scale : 1.0f;  // NaN: 1
      const float n = std::floor((l - 1) / 2);
      nOf[i] = static_cast<int>(n), fOf[i] = (l - 1 - 2 * n) / 2, normOf[i] = 1 / l;
    }
    // Runs of one n read the same four prefix rows: P[r+n] - P[r-n-1] is the box's whole
    // lines; P[r-n-1] - P[r-n-2] and P[r+n+1] - P[r+n] its fractional ends.
    for (int i = b0; i <= b1;) {
      const int n = nOf[i];
      int j = i + 1;
      while (j <= b1 && nOf[j] == n) ++j;
      const float* a = prefix(r + n, 0, i, j - 1);
      const float* b = prefix(r - n - 1, 1, i, j - 1);
      const float* cc = prefix(r - n - 2, 2, i, j - 1);
      const float* d = prefix(r + n + 1, 3, i, j - 1);
      for (int q = i; q < j; ++q) boxed[q] = (a[q] - b[q] + fOf[q] * (b[q] - cc[q] + d[q] - a[q])) * normOf[q] + mean[q];
      i = j;
    }
  });
}

namespace {

Status checkLength(float length) {
  if (!(length >= 0 && length <= kMaxDirectionalLength)) {
    return invalidArgument("length must be in 0.." + std::to_string(static_cast<int>(kMaxDirectionalLength)) + " pixels");
  }
  return Status::success();
}

}  // namespace

Status checkMotionAngle(float angleDegrees) {
  if (!std::isfinite(angleDegrees)) return invalidArgument("angle must be a finite number of degrees");
  return Status::success();
}

namespace {

Status checkRows(const ImagePlanar& linear, RowRange rows) {
  const int to = rows.end(linear.height);
  if (rows.from < 0 || to > linear.height || rows.from >= to) return invalidArgument("the rows made must be inside the planes");
  return Status::success();
}

}  // namespace

Result<ImagePlanar> motionBlur(const ImagePlanar& linear, float length, float angleDegrees, RowRange rows) {
  for (const Status& s : {checkPlanes(linear), checkLength(length), checkRows(linear, rows)}) {
    if (!s.ok()) return s;
  }
  Status angle = checkMotionAngle(angleDegrees);
  if (!angle.ok()) return angle;
  const int height = rows.end(linear.height) - rows.from;
  // A line of one pixel or less is the pixel itself.
  if (length <= 1) return cropPlanes(linear, 0, rows.from, linear.width, height);
  Result<ImagePlanar> out = ImagePlanar::create(linear.width, height, linear.channels);
  if (!out.ok()) return out;
  MotionShear shear;
  for (int c = 0; c < linear.channels; ++c) {
    Status s = shear.prepare(linear.plane(c), linear.width, linear.height, angleDegrees);
    if (s.ok()) s = shear.blur(length, out.value().plane(c), rows);
    if (!s.ok()) return s;
  }
  return out;
}

Result<ImagePlanar> motionBlurVariable(const ImagePlanar& linear, const float* lengthMap, float lengthScale,
                                       float angleDegrees, RowRange rows) {
  for (const Status& s : {checkPlanes(linear), checkLength(lengthScale), checkRows(linear, rows)}) {
    if (!s.ok()) return s;
  }
  Status angle = checkMotionAngle(angleDegrees);
  if (!angle.ok()) return angle;
  if (!lengthMap) return invalidArgument("length map is missing");
  float largest = 0;
  Status map = checkLengthMap(lengthMap, linear.planeSize(), lengthScale, &largest);
  if (!map.ok()) return map;
  Result<ImagePlanar> out = ImagePlanar::create(linear.width, rows.end(linear.height) - rows.from, linear.channels);
  if (!out.ok()) return out;
  MotionShear lengths, shear;
  Status s = lengths.prepare(lengthMap, linear.width, linear.height, angleDegrees);
  for (int c = 0; c < linear.channels && s.ok(); ++c) {
    s = shear.prepare(linear.plane(c), linear.width, linear.height, angleDegrees);
    if (s.ok()) s = shear.blurVariable(lengths.sheared(), lengthScale, out.value().plane(c), rows);
  }
  if (!s.ok()) return s;
  return out;
}

}  // namespace defocus
