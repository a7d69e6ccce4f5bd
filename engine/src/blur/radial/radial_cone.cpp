#include "blur/radial/radial_cone.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "blur/radial/radial_rows.h"

namespace defocus {
namespace {

// Rows [va, vb] of a cone share one set of rays, 1 px apart at row vb, so at most
// kBandRatio times denser than needed at row va.
constexpr int kBandRatio = 2;
// Cones this short are one band: denser rays there cost nothing worth saving.
constexpr int kSmallestBand = 16;
// Rays per pixel at the outer row of a band. 2 measured 1-3 dB closer to direct integration
// on noisy edges for 20-50% more time; with 1, smooth content is already at 69-79 dB.
constexpr int kRayDensity = 1;

struct Scratch {
  Buffer<float> ring;      // prefix sums down each ray, a ring of rows (all channels per row)
  Buffer<int> tap;         // per ray: its left pixel in the current row
  Buffer<float> tapFrac;   // per ray: the interpolation weight of the next pixel
  Buffer<int> slot;        // ring offsets of the prefix indices a row's boxes may read
  Buffer<float> boxed;     // the boxed row, per channel and ray
  Buffer<int> ray;         // per output pixel of the row: the ray on its left
  Buffer<float> rayFrac;   // ... and the weight of the ray on its right
  Buffer<float> fade;      // ... and how much of the blur it takes (1 but near the centre)
  Buffer<float> halfWidth;  // per ray with a length map: its box's half-width per unit of distance
  Buffer<int> boxFrom, boxTo;  // ... the prefix indices its box starts and ends in
  Buffer<float> weightFrom, weightTo, boxScale;  // ... where in them, and 1 / its length

  bool reserve(size_t rays, int channels, size_t ringRows, size_t pixels) {
    return ring.resize(ringRows * channels * rays) && slot.resize(ringRows + 1) && tap.resize(rays) &&
           tapFrac.resize(rays) && boxed.resize(rays * channels) && ray.resize(pixels) &&
           rayFrac.resize(pixels) && fade.resize(pixels) && halfWidth.resize(rays) &&
           boxFrom.resize(rays) && boxTo.resize(rays) && weightFrom.resize(rays) && weightTo.resize(rays) &&
           boxScale.resize(rays);
  }
};

// Rows, contiguous along x, of the input (read ahead, for sampling), of the input and the
// length map at the output row (for fading and for the map), and of the output.
struct ConeIo {
  ConeRows ahead, original, map;
  ConeSink out;
};

class Band {
 public:
  Band(const RadialCone& cone, const RadialMade& made, const RadialLengths& lengths, int channels, Scratch& s, ConeIo& io)
      : cone_(cone), made_(made), lengths_(lengths), s_(s), io_(io), channels_(channels),
        kMax_(0.5 * lengths.maxLength / lengths.reach) {}

  Status run(int va, int vb);

 private:
  void sampleRow(int row);
  void boxRow(int v);
  void writeRow(int v);
  // Rays [*from, *to] that the output rows v0..v1 use: pixel x of row v lies on slope x / v,
  // so the rows' slopes span the extremes at v0 or v1 (at v0 when xMin <= 0 <= xMax).
  void raysOf(double v0, double v1, int* from, int* to) const {
    const double low = std::min(made_.xMin / v0, made_.xMin / v1), high = std::max(made_.xMax / v0, made_.xMax / v1);
    *from = std::max(0, static_cast<int>(std::floor(std::max<double>(-density_, low * density_))) - jLo_);
    *to = std::min(rays_ - 1, static_cast<int>(std::ceil(std::min<double>(density_, high * density_))) - jLo_ + 1);
  }
  int slotOf(int prefixIndex) const { return (prefixIndex - first_) % ringRows_; }
  float* ringRow(int slot) { return s_.ring.data() + static_cast<size_t>(slot) * channels_ * rays_; }

  const RadialCone& cone_;
  const RadialMade& made_;
  const RadialLengths& lengths_;
  Scratch& s_;
  ConeIo& io_;
  const int channels_;
  const double kMax_;  // largest half-width of a box per unit of distance
  int va_ = 0, ve_ = 0, density_ = 0, jLo_ = 0, rays_ = 0, first_ = 0, ringRows_ = 0, generated_ = 0;
};

Status Band::run(int va, int vb) {
  // The rows made: those of the band holding pixels made (row v holds |x| <= v - 1 + diagonal).
  const int vs = std::max({va, made_.vFrom, made_.xMin + 1 - cone_.diagonal, 1 - made_.xMax - cone_.diagonal});
  const int ve = std::min(vb, made_.vTo);
  if (vs > ve) return Status::success();
  va_ = vs, ve_ = ve, density_ = vb * kRayDensity;
  // Ray j has slope j / density: the rays of rows vs..ve (see raysOf).
  const double low = std::min(double(made_.xMin) / vs, double(made_.xMin) / ve);
  const double high = std::max(double(made_.xMax) / vs, double(made_.xMax) / ve);
  jLo_ = static_cast<int>(std::floor(std::max<double>(-density_, density_ * low)));
  const int jHi = std::max(jLo_ + 1, static_cast<int>(std::ceil(std::min<double>(density_, density_ * high))));
  rays_ = jHi - jLo_ + 1;
  // Prefix index p holds the sum of input rows first..p-1 (so P[first] = 0). The box of row v
  // reads indices v (1 - k) + 0.5 .. v (1 + k) + 1.5: at most 2 kMax ve + 4 at once.
  // Floats suffice: a box's error is that of the few sums inside it, at the prefix's scale.
  first_ = std::max(0, static_cast<int>(std::floor(vs * (1 - kMax_) + 0.5)));
  const int last = static_cast<int>(std::floor(ve * (1 + kMax_) + 0.5)) + 1;
  ringRows_ = std::min(last - first_ + 1, static_cast<int>(std::ceil(2 * kMax_ * ve)) + 5);
  const int widest = std::min(made_.xMax, ve) - std::max(made_.xMin, -ve) + 1;
  if (!s_.reserve(rays_, channels_, ringRows_, widest)) {
    return Status{ErrorCode::kOutOfMemory, "out of memory for the radial blur"};
  }
  std::fill(ringRow(0), ringRow(0) + static_cast<size_t>(channels_) * rays_, 0.0f);
  generated_ = first_;
  io_.ahead.restart();
  io_.original.restart();
  io_.map.restart();
  for (int v = vs; v <= ve; ++v) {
    boxRow(v);
    writeRow(v);
  }
  io_.out.flush();
  return Status::success();
}

// Samples input row `row` at every ray (linear between the two nearest pixels) and adds it
// to the prefix sums: P[row + 1] = P[row] + sample.
void Band::sampleRow(int row) {
  const float step = static_cast<float>(row) / density_;  // cross offset between neighbouring rays
  const float xMin = static_cast<float>(cone_.xMin), span = static_cast<float>(cone_.xMax - cone_.xMin);
  const int lastLeft = std::max(0, cone_.xMax - cone_.xMin - 1);
  // Only the rays that output rows reading this row use: rays leaving the image stop.
  int from, to;
  raysOf(std::max<double>(va_, (row - 0.5) / (1 + kMax_) - 1), ve_, &from, &to);
  int* tap = s_.tap.data();
  float* frac = s_.tapFrac.data();
  // (Comparisons, not std::min / std::clamp: so clang vectorises these loops for wasm.)
  for (int j = from; j <= to; ++j) {
    float u = (jLo_ + j) * step - xMin;  // from the row's first pixel
    u = u > 0.0f ? u : 0.0f;
    u = u < span ? u : span;
    const int left = static_cast<int>(u) < lastLeft ? static_cast<int>(u) : lastLeft;
    const float f = u - static_cast<float>(left);
    tap[j] = left;
    frac[j] = f < 1.0f ? f : 1.0f;
  }
  const int next = cone_.xMax > cone_.xMin ? 1 : 0;
  const int xFrom = cone_.xMin + tap[from], xTo = cone_.xMin + tap[to] + next;
  const float* prev = ringRow(slotOf(row));
  float* dst = ringRow(slotOf(row + 1));
  for (int c = 0; c < channels_; ++c, prev += rays_, dst += rays_) {
    const float* src = io_.ahead.row(c, row, xFrom, xTo);
    for (int j = from; j <= to; ++j) {
      const float a = src[tap[j]], b = src[tap[j] + next];
      dst[j] = prev[j] + (a + frac[j] * (b - a));
    }
  }
}

// Output row v, boxed down every ray: (P(b) - P(a)) / (b - a) over [a, b] = v (1 -+ k) + 0.5,
// where the running integral P is linear between prefix indices (sample i covers [i - 0.5, i + 0.5)).
void Band::boxRow(int v) {
  const int needed = static_cast<int>(std::floor(v * (1 + kMax_) + 0.5)) + 1;
  for (; generated_ < needed; ++generated_) sampleRow(generated_);
  const int stride = channels_ * rays_;
  // Ring offsets of the prefix indices this row's boxes can read, so no box divides.
  const int lowest = std::max(first_, static_cast<int>(std::floor(v * (1 - kMax_) + 0.5)));
  int* slot = s_.slot.data();
  for (int i = lowest; i <= needed; ++i) slot[i - lowest] = slotOf(i) * stride;
  const float vf = static_cast<float>(v), lo = static_cast<float>(lowest), hi = static_cast<float>(needed);
  const float* ring = s_.ring.data();
  float* boxed = s_.boxed.data();
  int from, to;
  raysOf(v, v, &from, &to);
  // Per ray j: the box's half-width k, the samples ia..ib it spans, the weights of its ends and 1 / its length.
  float* k = s_.halfWidth.data();
  int *ia = s_.boxFrom.data(), *ib = s_.boxTo.data();
  float *w0 = s_.weightFrom.data(), *w1 = s_.weightTo.data(), *w2 = s_.boxScale.data();
  // The box of half-width k covers prefix positions a..b = v (1 -+ k) + 0.5: sample ia (from
  // a) to sample ib; a box inside one sample takes that sample exactly.
  // (Comparisons, not std::min / std::clamp: so clang vectorises these loops for wasm.)
  const auto ends = [&](int j0, int j1) {
    for (int j = j0; j <= j1; ++j) {
      float a = vf - vf * k[j] + 0.5f, b = vf + vf * k[j] + 0.5f;
      a = a > lo ? a : lo;
      b = b < hi ? b : hi;
      const int ja = static_cast<int>(a), jbFloor = static_cast<int>(b);
      const int jb = jbFloor < needed - 1 ? jbFloor : needed - 1;
      const bool single = ja >= jb;
      ia[j] = single ? jb : ja;
      ib[j] = jb;
      w0[j] = single ? 0.0f : a - static_cast<float>(ja);
      w1[j] = single ? 1.0f : b - static_cast<float>(jb);
      w2[j] = single ? 1.0f : 1.0f / (b - a);
    }
  };
  // Rays j0..j1, whose boxes span the same samples.
  const auto boxRun = [&](int j0, int j1) {
    const int o0 = slot[ia[j0] - lowest], o1 = slot[ia[j0] + 1 - lowest], o2 = slot[ib[j0] - lowest], o3 = slot[ib[j0] + 1 - lowest];
    const float* r = ring;
    for (int c = 0; c < channels_; ++c, r += rays_) {
      const float *a0 = r + o0, *a1 = r + o1, *b0 = r + o2, *b1 = r + o3;
      float* dst = boxed + static_cast<size_t>(c) * rays_;
      for (int j = j0; j <= j1; ++j) dst[j] = ((b0[j] + w1[j] * (b1[j] - b0[j])) - (a0[j] + w0[j] * (a1[j] - a0[j]))) * w2[j];
    }
  };
  if (!lengths_.lengthMap) {  // one box for the whole row: its weights stay in registers
    k[0] = static_cast<float>(0.5 * lengths_.scale / lengths_.reach);
    ends(0, 0);
    const float wa = w0[0], wb = w1[0], scale = w2[0];
    const int o0 = slot[ia[0] - lowest], o1 = slot[ia[0] + 1 - lowest], o2 = slot[ib[0] - lowest], o3 = slot[ib[0] + 1 - lowest];
    for (int c = 0; c < channels_; ++c, ring += rays_, boxed += rays_) {
      const float *a0 = ring + o0, *a1 = ring + o1, *b0 = ring + o2, *b1 = ring + o3;
      for (int j = from; j <= to; ++j) boxed[j] = ((b0[j] + wb * (b1[j] - b0[j])) - (a0[j] + wa * (a1[j] - a0[j]))) * scale;
    }
    return;
  }
  // Each ray takes the length of the map's pixel nearest to where it crosses row v.
  const float step = vf / density_, kPerValue = static_cast<float>(0.5 * lengths_.scale / lengths_.reach);
  const float span = static_cast<float>(cone_.xMax - cone_.xMin), xMin = static_cast<float>(cone_.xMin);
  const auto nearest = [&](int j) {
    float u = (jLo_ + j) * step - xMin;
    u = u > 0.0f ? u : 0.0f;
    return static_cast<int>((u < span ? u : span) + 0.5f);
  };
  const float* map = io_.map.row(0, v, cone_.xMin + nearest(from), cone_.xMin + nearest(to));
  for (int j = from; j <= to; ++j) k[j] = map[nearest(j)] * kPerValue;
  ends(from, to);
  // The map varies slowly, so neighbouring rays mostly read the same prefix rows: runs of
  // them box every channel in straight (vector) loops.
  for (int j = from; j <= to;) {
    int end = j + 1;
    while (end <= to && ia[end] == ia[j] && ib[end] == ib[j]) ++end;
    boxRun(j, end - 1);
    j = end;
  }
}

// Interpolates the boxed rays back to the pixels of row v. Where a pixel's streak is shorter
// than a pixel it fades to the original, so the blur grows from nothing at the centre.
void Band::writeRow(int v) {
  const int reachX = v - 1 + cone_.diagonal;
  const int x0 = std::max(made_.xMin, -reachX), x1 = std::min(made_.xMax, reachX);
  const int count = x1 - x0 + 1;
  const float raysPerPixel = static_cast<float>(density_) / v;
  int* ray = s_.ray.data();
  float* frac = s_.rayFrac.data();
  // A pixel's two rays stay among those boxRow boxed for this row: in float, the first
  // pixel's position could round to just below the first of them, and its left ray was
  // one never boxed (uninitialised, valgrind; in wasm's shared heap another thread's
  // memory: 1-2 bytes of a 2-thread radial render changed from run to run).
  int first, last;
  raysOf(v, v, &first, &last);
  const float lowest = static_cast<float>(first);
  const int highestLeft = std::max(first, last - 1);
  for (int i = 0; i < count; ++i) {
    float r = (x0 + i) * raysPerPixel - jLo_;
    r = r > lowest ? r : lowest;
    const int left = static_cast<int>(r) < highestLeft ? static_cast<int>(r) : highestLeft;
    const float f = r - static_cast<float>(left);
    ray[i] = left;
    frac[i] = f < 1.0f ? f : 1.0f;
  }
  // Streaks grow with the distance d >= v: a fixed length fades only in rows close to the centre.
  const bool mayFade = lengths_.lengthMap || lengths_.scale * v < lengths_.reach;
  float* fade = s_.fade.data();
  bool anyFade = false;
  if (mayFade) {
    const float* map = lengths_.lengthMap ? io_.map.row(0, v, x0, x1) + (x0 - cone_.xMin) : nullptr;
    const float perReach = static_cast<float>(lengths_.scale / lengths_.reach);
    int fading = 0;
    for (int i = 0; i < count; ++i) {
      const float x = static_cast<float>(x0 + i), d = std::sqrt(static_cast<float>(v) * v + x * x);
      const float f = (map ? map[i] : 1.0f) * d * perReach;
      fade[i] = f < 1.0f ? f : 1.0f;
      fading += f < 1.0f;
    }
    anyFade = fading > 0;
  }
  for (int c = 0; c < channels_; ++c) {
    const float* boxed = s_.boxed.data() + static_cast<size_t>(c) * rays_;
    float* dst = io_.out.row(c, v) + (x0 - made_.xMin);
    if (anyFade) {
      const float* src = io_.original.row(c, v, x0, x1) + (x0 - cone_.xMin);
      for (int i = 0; i < count; ++i) {
        const float a = boxed[ray[i]], b = boxed[ray[i] + 1];
        dst[i] = src[i] + fade[i] * (a + frac[i] * (b - a) - src[i]);
      }
    } else {
      for (int i = 0; i < count; ++i) {
        const float a = boxed[ray[i]], b = boxed[ray[i] + 1];
        dst[i] = a + frac[i] * (b - a);
      }
    }
  }
}

}  // namespace

Status blurRadialCone(const ImagePlanar& in, const RadialCone& cone, const RadialMade& made, const RadialLengths& lengths,
                      ImagePlanar& out) {
  const int channels = in.channels;
  std::vector<const float*> inPlanes(channels);
  std::vector<float*> outPlanes(channels);
  for (int c = 0; c < channels; ++c) inPlanes[c] = in.plane(c), outPlanes[c] = out.plane(c);
  // The sink: the cone's pixels made, in the output's planes.
  const RadialCone sink{made.origin, cone.vStep, cone.xStep, made.vTo, made.xMin, made.xMax, cone.diagonal};
  ConeIo io{ConeRows(cone, inPlanes.data(), channels), ConeRows(cone, inPlanes.data(), channels),
            ConeRows(cone, &lengths.lengthMap, lengths.lengthMap ? 1 : 0), ConeSink(sink, outPlanes.data(), channels)};
  Scratch scratch;
  if (!io.ahead.init() || !io.original.init() || !io.map.init() || !io.out.init()) {
    return Status{ErrorCode::kOutOfMemory, "out of memory for the radial blur"};
  }
  Band band(cone, made, lengths, channels, scratch, io);
  for (int vb = cone.bandLimit; vb >= made.vFrom && vb >= 1;) {
    const int va = vb <= kSmallestBand ? 1 : vb / kBandRatio + 1;
    Status s = band.run(va, vb);
    if (!s.ok()) return s;
    vb = va - 1;
  }
  return Status::success();
}

}  // namespace defocus
