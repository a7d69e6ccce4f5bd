#include "matte/matte_snap.h"

#include <algorithm>
#include <cmath>

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

constexpr int kNeighbours = 8;
constexpr int kDx[kNeighbours] = {1, -1, 0, 0, 1, 1, -1, -1};
constexpr int kDy[kNeighbours] = {0, 0, 1, -1, 1, -1, 1, -1};
// Per band pixel: its soft alpha, unary log-odds, the next value and the 8 pair weights.
constexpr int kAlpha = 0, kUnary = 1, kNext = 2, kWeights = 3, kStride = kWeights + kNeighbours;

Status outOfMemory() { return {ErrorCode::kOutOfMemory, "out of memory snapping the matte outline"}; }

}  // namespace

Status snapOutline(const ImageRGBA8& photo, ImagePlanar& alpha) {
  const int w = photo.width, h = photo.height;
  float* a = alpha.plane(0);
  const size_t n = alpha.planeSize();
  auto undecided = [&](size_t i) { return a[i] > kUndecided && a[i] < 1 - kUndecided; };
  size_t count = 0;
  for (size_t i = 0; i < n; ++i) count += undecided(i);
  if (count == 0) return Status::success();
  Buffer<uint32_t> where;
  Buffer<float> band;
  if (!where.resize(count) || !band.resize(count * kStride)) return outOfMemory();

  const float inv = 1.0f / (2 * kSigma * kSigma * 255 * 255);
  size_t k = 0;
  for (int y = 0; y < h; ++y) {
    const uint8_t* px = photo.row(y);
    for (int x = 0; x < w; ++x) {
      const size_t i = static_cast<size_t>(y) * w + x;
      if (!undecided(i)) continue;
      where.data()[k] = static_cast<uint32_t>(i);
      float* b = band.data() + k * kStride;
      b[kAlpha] = a[i];
      b[kUnary] = std::log(a[i] / (1 - a[i]));
      for (int j = 0; j < kNeighbours; ++j) {
        const int xx = x + kDx[j], yy = y + kDy[j];
        float weight = 0;
        if (xx >= 0 && yy >= 0 && xx < w && yy < h) {
          const uint8_t* q = photo.row(yy) + 4 * xx;
          float d = 0;
          for (int c = 0; c < 3; ++c) {
            const float e = float(px[4 * x + c]) - float(q[c]);
            d += e * e;
          }
          weight = kPairwise * std::exp(-d * inv) * (j >= 4 ? 0.70710678f : 1.0f);
        }
        b[kWeights + j] = weight;
      }
      ++k;
    }
  }
  // Mean field: q_p = sigmoid(unary_p + sum_q w_pq (2 q_q - 1)), neighbours off the band
  // held at their (decided) alpha.
  for (int it = 0; it < kIterations; ++it) {
    for (size_t k = 0; k < count; ++k) {
      const size_t i = where.data()[k];
      const int x = static_cast<int>(i % w), y = static_cast<int>(i / w);
      float* b = band.data() + k * kStride;
      float m = b[kUnary];
      for (int j = 0; j < kNeighbours; ++j) {
        if (b[kWeights + j] == 0) continue;
        m += b[kWeights + j] * (2 * a[static_cast<size_t>(y + kDy[j]) * w + (x + kDx[j])] - 1);
      }
      b[kNext] = 1 / (1 + std::exp(-m));
    }
    for (size_t k = 0; k < count; ++k) a[where.data()[k]] = band.data()[k * kStride + kNext];
  }
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
