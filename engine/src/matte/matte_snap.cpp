#include "matte/matte_snap.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/row_runs.h"
#include "defocus/buffer.h"

namespace defocus {
namespace {

// Tuned on the 29 hand-masked frames (people + masks, subject model maps; tools in
// bench/matte-edges.js): boundary F (2 px) people 0.6601 -> 0.666, masks 0.640 -> 0.641.
constexpr float kUndecided = 0.05f;   // the band: alpha in (kUndecided, 1 - kUndecided); 0.005
                                      // and 0.02 scored the same on every frame, over more pixels
constexpr float kSigma = 0.05f;       // colour step (0..1 per channel) that halves agreement; 0.03
                                      // and 0.2 scored lower
constexpr float kPairwise = 1.0f;     // weight of one agreeing neighbour against the unary log-odds
constexpr int kIterations = 15;       // Jacobi sweeps: reach of about 15 px along similar colour
constexpr float kPast = 0.02f;        // how far past 0.5 a pixel the CRF moves lands
constexpr float kSettled = 1e-4f;     // a change this small in one sweep wakes no neighbour

constexpr int kNeighbours = 8;
constexpr int kDx[kNeighbours] = {1, -1, 0, 0, 1, 1, -1, -1};
constexpr int kDy[kNeighbours] = {0, 0, 1, -1, 1, -1, 1, -1};
// Per band pixel: its soft alpha, unary log-odds, the next value and the 8 pair weights.
constexpr int kAlpha = 0, kUnary = 1, kNext = 2, kWeights = 3, kStride = kWeights + kNeighbours;

constexpr const char* kOutOfMemoryReason = "out of memory snapping the matte outline";
Status outOfMemory() { return {ErrorCode::kOutOfMemory, kOutOfMemoryReason}; }

// Pair weight exp(-d / 2 sigma^2) by the squared colour distance d (in byte units), from a
// table: past its end (d > 8191, a step of about 52 per channel) the weight is below 1e-10.
constexpr int kTable = 8192;
const float* pairWeights() {
  static const std::vector<float> table = [] {
    std::vector<float> t(kTable);
    const double inv = 1.0 / (2.0 * kSigma * kSigma * 255 * 255);
    for (int d = 0; d < kTable; ++d) t[d] = static_cast<float>(kPairwise * std::exp(-d * inv));
    return t;
  }();
  return table.data();
}

// 1 / (1 + e^-m) without a libm call (e^-m = 2^n 2^f, |f| <= 1/2, 2^f by its degree-6
// Taylor polynomial: relative error below 1e-5 over all m): std::exp in the Jacobi sweeps was the snap's largest cost
// (perf, 12 MP, 444k band pixels x 15 sweeps).
inline float sigmoid(float m) {
  const float x = std::clamp(-m, -80.0f, 80.0f) * 1.44269504f;  // e^-m = 2^x
  const int n = static_cast<int>(x + 128.5f) - 128;  // round to nearest (x + 128.5 > 0)
  const float f = x - static_cast<float>(n);
  const float p =
      1.0f + f * (0.69314718f + f * (0.24022651f + f * (0.05550411f + f * (0.00961813f + f * (0.00133336f + f * 0.00015404f)))));
  const int32_t bits = (n + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return 1.0f / (1.0f + p * scale);
}

inline bool undecided(float v) { return v > kUndecided && v < 1 - kUndecided; }

// The band's pixels (where) and per pixel its alpha, unary term and pair weights (band), in
// row order; rows shared among threads, each starting at the band pixels rows above it hold.
Status collectBand(const ImageRGBA8& photo, const float* a, int threads, Buffer<uint32_t>& where,
                   Buffer<float>& band) {
  const int w = photo.width, h = photo.height;
  Buffer<size_t> rowStart;  // band pixels above each row (h + 1 entries)
  if (!rowStart.resize(static_cast<size_t>(h) + 1)) return outOfMemory();
  size_t* starts = rowStart.data();
  Status ok = runRowRuns(h, 64, threads, kOutOfMemoryReason, [&](int y0, int y1) {
    for (int y = y0; y < y1; ++y) {
      const float* row = a + static_cast<size_t>(y) * w;
      size_t count = 0;
      for (int x = 0; x < w; ++x) count += undecided(row[x]);
      starts[y + 1] = count;
    }
    return Status::success();
  });
  if (!ok.ok()) return ok;
  starts[0] = 0;
  for (int y = 0; y < h; ++y) starts[y + 1] += starts[y];
  const size_t count = starts[h];
  if (!where.resize(count) || !band.resize(count * kStride)) return outOfMemory();
  const float* weights = pairWeights();
  return runRowRuns(h, 64, threads, kOutOfMemoryReason, [&](int y0, int y1) {
    for (int y = y0; y < y1; ++y) {
      const uint8_t* px = photo.row(y);
      const float* row = a + static_cast<size_t>(y) * w;
      size_t k = starts[y];
      for (int x = 0; x < w; ++x) {
        if (!undecided(row[x])) continue;
        where.data()[k] = static_cast<uint32_t>(static_cast<size_t>(y) * w + x);
        float* b = band.data() + k * kStride;
        b[kAlpha] = row[x];
        b[kUnary] = std::log(row[x] / (1 - row[x]));
        for (int j = 0; j < kNeighbours; ++j) {
          const int xx = x + kDx[j], yy = y + kDy[j];
          float weight = 0;
          if (xx >= 0 && yy >= 0 && xx < w && yy < h) {
            const uint8_t* q = photo.row(yy) + 4 * xx;
            int d = 0;
            for (int c = 0; c < 3; ++c) {
              const int e = int(px[4 * x + c]) - int(q[c]);
              d += e * e;
            }
            weight = d < kTable ? weights[d] * (j >= 4 ? 0.70710678f : 1.0f) : 0.0f;
          }
          b[kWeights + j] = weight;
        }
        ++k;
      }
    }
    return Status::success();
  });
}

// Bits c-1, c, c+1 of a bit row (c >= 1, bit c + 1 inside it): any set?
inline bool anyOfThree(const uint64_t* bits, size_t c) {
  const size_t lo = c - 1, shift = lo & 63;
  uint64_t v = bits[lo >> 6] >> shift;
  if (shift > 61) v |= bits[(lo >> 6) + 1] << (64 - shift);
  return (v & 7) != 0;
}

// Mean field: q_p = sigmoid(unary_p + sum_q w_pq (2 q_q - 1)), neighbours off the band
// held at their (decided) alpha. A weight is 0 off the photo, so offsets stay inside.
// A pixel is updated only while it or a neighbour moved by more than kSettled in the last
// sweep: after 4 sweeps fewer than 1 in 6 still do (12 MP, 300k band pixels), and the rest
// are at their fixed point already.
Status meanField(int w, size_t n, const Buffer<uint32_t>& where, Buffer<float>& band, float* a, int threads) {
  const size_t count = where.size();
  ptrdiff_t offset[kNeighbours];
  for (int j = 0; j < kNeighbours; ++j) offset[j] = static_cast<ptrdiff_t>(kDy[j]) * w + kDx[j];
  Buffer<uint64_t> moved;  // one bit per pixel: moved by more than kSettled in the last sweep
  // The band pixels (k) updated in this sweep, by runs of kSweepRun: run r's are
  // awake[r kSweepRun ...], woken[r] of them.
  constexpr size_t kSweepRun = 4096;
  Buffer<uint32_t> awake;
  Buffer<size_t> woken;
  const size_t words = (n + 63) / 64, runs = (count + kSweepRun - 1) / kSweepRun;
  if (!moved.resize(words) || !awake.resize(count) || !woken.resize(runs)) return outOfMemory();
  const uint64_t* bits = moved.data();
  const size_t row = static_cast<size_t>(w);
  auto near = [&](size_t k) {
    const size_t i = where.data()[k];
    if (i > row && i + row + 1 < n) {  // inside: three bit rows
      return anyOfThree(bits, i - row) || anyOfThree(bits, i) || anyOfThree(bits, i + row);
    }
    const float* b = band.data() + k * kStride;  // at the photo's edge: the neighbours it has
    bool any = (bits[i >> 6] >> (i & 63)) & 1;
    for (int j = 0; j < kNeighbours && !any; ++j) {
      const size_t q = i + offset[j];
      any = b[kWeights + j] != 0 && ((bits[q >> 6] >> (q & 63)) & 1);
    }
    return any;
  };
  for (int it = 0; it < kIterations; ++it) {
    // Each pixel's next value from the sweep's start (a and moved are only read), runs of
    // band pixels shared among threads; then written back in band order.
    const bool first = it == 0;
    Status swept = runRowRuns(static_cast<int>(count), kSweepRun, threads, kOutOfMemoryReason, [&](int from, int to) {
      // Locals, not the captures: the stores below could alias them for all the compiler knows.
      const uint32_t* pixel = where.data();
      float* const bandData = band.data();
      uint32_t* const awoken = awake.data();
      const float* const alpha = a;
      for (size_t start = from; start < static_cast<size_t>(to); start += kSweepRun) {
        const size_t end = std::min(start + kSweepRun, static_cast<size_t>(to));
        size_t made = 0;
        for (size_t k = start; k < end; ++k) {
          if (!first && !near(k)) continue;
          const float* centre = alpha + pixel[k];
          float* b = bandData + k * kStride;
          float m = b[kUnary];
          for (int j = 0; j < kNeighbours; ++j) {
            if (b[kWeights + j] == 0) continue;
            m += b[kWeights + j] * (2 * centre[offset[j]] - 1);
          }
          b[kNext] = sigmoid(m);
          awoken[start + made++] = static_cast<uint32_t>(k);
        }
        woken.data()[start / kSweepRun] = made;
      }
      return Status::success();
    });
    if (!swept.ok()) return swept;
    size_t any = 0;
    for (size_t r = 0; r < runs; ++r) any += woken.data()[r];
    if (any == 0) break;
    std::fill(moved.data(), moved.data() + words, uint64_t{0});
    for (size_t r = 0; r < runs; ++r) {
      for (size_t t = r * kSweepRun; t < r * kSweepRun + woken.data()[r]; ++t) {
        const size_t k = awake.data()[t], i = where.data()[k];
        const float next = band.data()[k * kStride + kNext];
        if (std::fabs(next - a[i]) > kSettled) moved.data()[i >> 6] |= uint64_t{1} << (i & 63);
        a[i] = next;
      }
    }
  }
  return Status::success();
}

}  // namespace

Status snapOutline(const ImageRGBA8& photo, ImagePlanar& alpha, int threads) {
  float* a = alpha.plane(0);
  Buffer<uint32_t> where;
  Buffer<float> band;
  Status collected = collectBand(photo, a, threads, where, band);
  if (!collected.ok()) return collected;
  const size_t count = where.size();
  if (count == 0) return Status::success();
  Status settled = meanField(photo.width, alpha.planeSize(), where, band, a, threads);
  if (!settled.ok()) return settled;
  // Keep the soft alpha where the side did not change; a pixel moved across 0.5 lands just
  // past it. Taking the CRF's own value (near 0 or 1) left isolated specks of full alpha in
  // fur and whiskers (looked at: the cat's whiskers), and the side is all the CRF decides.
  for (size_t k = 0; k < count; ++k) {
    const float* b = band.data() + k * kStride;
    float& v = a[where.data()[k]];
    const bool subject = v >= 0.5f;
    v = subject == (b[kAlpha] >= 0.5f) ? b[kAlpha] : subject ? 0.5f + kPast : 0.5f - kPast;
  }
  return Status::success();
}

}  // namespace defocus
