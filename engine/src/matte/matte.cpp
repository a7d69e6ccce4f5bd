#include "defocus/matte.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "core/box_filter.h"
#include "core/row_runs.h"
#include "defocus/buffer.h"
#include "matte/matte_band.h"
#include "matte/matte_snap.h"
#include "defocus/resample.h"

namespace defocus {
namespace {

Status checkProbability(const ImagePlanar& p) {
  if (p.channels < 1 || p.samples.empty() || p.samples.size() != p.planeSize() * p.channels) {
    return {ErrorCode::kInvalidArgument, "probability map is empty or inconsistent"};
  }
  return Status::success();
}

// Per window: a = (Sigma + eps U)^-1 cov(I, p), b = mean p - a . mean I, from the window
// means m, into planes 0..3 of s (a_r, a_g, a_b, b), for indices [from, to).
void solveWindows(const ImagePlanar& m, float eps, ImagePlanar& s, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) {
    const float mr = m.plane(0)[i], mg = m.plane(1)[i], mb = m.plane(2)[i], mp = m.plane(3)[i];
    const float cr = m.plane(4)[i] - mr * mp, cg = m.plane(5)[i] - mg * mp, cb = m.plane(6)[i] - mb * mp;
    const float srr = m.plane(7)[i] - mr * mr + eps, srg = m.plane(8)[i] - mr * mg, srb = m.plane(9)[i] - mr * mb;
    const float sgg = m.plane(10)[i] - mg * mg + eps, sgb = m.plane(11)[i] - mg * mb;
    const float sbb = m.plane(12)[i] - mb * mb + eps;
    // Inverse of the symmetric 3x3 matrix through its cofactors.
    const float c00 = sgg * sbb - sgb * sgb, c01 = srb * sgb - srg * sbb, c02 = srg * sgb - srb * sgg;
    const float c11 = srr * sbb - srb * srb, c12 = srb * srg - srr * sgb, c22 = srr * sgg - srg * srg;
    const float det = srr * c00 + srg * c01 + srb * c02;
    // Positive for any epsilon > 0, but a tiny one (1e-30: its cube underflows) on a flat
    // window gives 0: then the window keeps the mask as it is (a = 0, b = mean p).
    const float inv = det > 0 ? 1.0f / det : 0.0f;
    const float ar = (c00 * cr + c01 * cg + c02 * cb) * inv;
    const float ag = (c01 * cr + c11 * cg + c12 * cb) * inv;
    const float ab = (c02 * cr + c12 * cg + c22 * cb) * inv;
    s.plane(0)[i] = ar, s.plane(1)[i] = ag, s.plane(2)[i] = ab;
    s.plane(3)[i] = mp - ar * mr - ag * mg - ab * mb;
  }
}

// The refinement's work shared among threads (core/row_runs.h): rows in runs of this many,
// each output value written by one thread only, so the matte is the one-thread matte.
constexpr int kRunRows = 16;
constexpr const char* kOutOfMemory = "out of memory refining the matte";

// fn(i0, i1) over the indices of a width x height grid, rows shared among threads.
template <typename Fn>
Status forRowsOf(int width, int height, int threads, Fn&& fn) {
  return runRowRuns(height, kRunRows, threads, kOutOfMemory, [&](int y0, int y1) {
    fn(static_cast<size_t>(y0) * width, static_cast<size_t>(y1) * width);
    return Status::success();
  });
}

// Window means of planes [0, count) of in into out, a plane to a thread at a time.
Status boxMeans(const ImagePlanar& in, ImagePlanar& out, int count, int radius, int threads) {
  return runRowRuns(count, 1, threads, kOutOfMemory, [&](int from, int to) {
    BoxMean box(in.width, in.height, radius);
    if (!box.allocate()) return outOfMemory("refining the matte");
    for (int k = from; k < to; ++k) box.run(in.plane(k), out.plane(k));
    return Status::success();
  });
}

// Full-resolution rows [from, to) of the matte: q = a . I + b, the coefficients (planes 0..3
// of m, on the working grid) bilinear between working rows, then the edge stage's colour
// solution where band is given. Each working row is widened to W once (576 times at 12 MP,
// not twice per photo row), and the per-row blend and product are plain loops the compiler
// vectorises: the per-pixel bilinear gather this replaces was most of the 12 MP refine (perf).
Status applyModels(const ImageRGBA8& photo, const ImagePlanar& m, const ImagePlanar* band, const Bilinear& bx,
                   const Bilinear& by, int from, int to, ImagePlanar& out) {
  const int W = photo.width, ww = m.width, wh = m.height;
  Buffer<float> wide;
  if (!wide.resize(8 * static_cast<size_t>(W))) return outOfMemory("refining the matte");
  float* upper = wide.data();            // 4 planes of working row `have[0]`, widened
  float* lower = upper + 4 * size_t(W);  // the same for working row `have[1]`
  int have[2] = {-1, -1};
  auto widen = [&](int j, float* dst) {
    for (int k = 0; k < 4; ++k) {
      const float* r = m.plane(k) + static_cast<size_t>(j) * ww;
      float* d = dst + static_cast<size_t>(k) * W;
      for (int x = 0; x < W; ++x) {
        const int i0 = bx.first[x], i1 = std::min(i0 + 1, ww - 1);
        d[x] = r[i0] + bx.frac[x] * (r[i1] - r[i0]);
      }
    }
  };
  for (int y = from; y < to; ++y) {
    const int j0 = by.first[y], j1 = std::min(j0 + 1, wh - 1);
    const float fy = by.frac[y];
    if (have[0] != j0) {
      if (have[1] == j0) {
        std::swap(upper, lower), have[0] = j0, have[1] = -1;
      } else {
        widen(j0, upper), have[0] = j0;
      }
    }
    if (have[1] != j1) widen(j1, lower), have[1] = j1;
    const uint8_t* px = photo.row(y);
    float* alpha = out.plane(0) + static_cast<size_t>(y) * W;
    const float *u0 = upper, *u1 = upper + W, *u2 = upper + 2 * size_t(W), *u3 = upper + 3 * size_t(W);
    const float *l0 = lower, *l1 = lower + W, *l2 = lower + 2 * size_t(W), *l3 = lower + 3 * size_t(W);
    constexpr float k255 = 1.0f / 255;
    for (int x = 0; x < W; ++x) {
      const float ar = u0[x] + fy * (l0[x] - u0[x]), ag = u1[x] + fy * (l1[x] - u1[x]);
      const float ab = u2[x] + fy * (l2[x] - u2[x]), b = u3[x] + fy * (l3[x] - u3[x]);
      const float q = ar * (px[4 * x] * k255) + ag * (px[4 * x + 1] * k255) + ab * (px[4 * x + 2] * k255) + b;
      alpha[x] = std::min(1.0f, std::max(0.0f, q));
    }
    if (band) matteBandRow(px, *band, j0, j1, fy, bx, alpha);
  }
  return Status::success();
}

}  // namespace

Status checkMatteOptions(const MatteOptions& o) {
  if (o.workingSize < 16 || o.workingSize > 8192) {
    return {ErrorCode::kInvalidArgument, "matte working size must be in 16..8192"};
  }
  if (!(o.radius > 0 && o.radius <= 64)) return {ErrorCode::kInvalidArgument, "matte radius must be in (0, 64]"};
  if (!(o.epsilon > 0 && o.epsilon <= 1)) return {ErrorCode::kInvalidArgument, "matte epsilon must be in (0, 1]"};
  return Status::success();
}

Result<ImagePlanar> upsampleMatte(const ImagePlanar& probability, int width, int height) {
  Status ok = checkProbability(probability);
  if (!ok.ok()) return ok;
  Result<ImagePlanar> out = resize(probability, width, height, UpscaleKernel::kBilinear);
  if (!out.ok()) return out;
  for (size_t i = 0; i < out.value().samples.size(); ++i) {
    out.value().samples[i] = std::clamp(out.value().samples[i], 0.0f, 1.0f);
  }
  return out;
}

Result<ImagePlanar> refineMatte(const ImageRGBA8& photo, const ImagePlanar& probability, const MatteOptions& o) {
  for (const Status& s : {checkMatteOptions(o), checkProbability(probability),
                          checkImageShape(photo.width, photo.height, 4, 1)}) {
    if (!s.ok()) return s;
  }
  const int W = photo.width, H = photo.height;
  const double scale = std::min(1.0, double(o.workingSize) / std::max(W, H));
  const int ww = std::max(1, static_cast<int>(std::lround(W * scale)));
  const int wh = std::max(1, static_cast<int>(std::lround(H * scale)));
  const double modelPixel = double(std::max(ww, wh)) / std::max(probability.width, probability.height);
  const int r = std::max(1, static_cast<int>(std::lround(o.radius * modelPixel)));

  // The photo as sRGB planes in 0..1 on the working grid, made without full-size float
  // planes (12 bytes a pixel: 576 MB at 48 MP).
  Result<ImagePlanar> guide = shrinkCodesToPlanes(photo, ww, wh, o.threads);
  if (!guide.ok()) return guide;
  Result<ImagePlanar> p = upsampleMatte(probability, ww, wh);
  if (!p.ok()) return p;

  // Products needed by the local linear regression, then their window means.
  // Planes: I_r, I_g, I_b, p, I_r p, I_g p, I_b p, rr, rg, rb, gg, gb, bb.
  const size_t n = static_cast<size_t>(ww) * wh;
  Result<ImagePlanar> stats = ImagePlanar::create(ww, wh, 13);
  Result<ImagePlanar> means = ImagePlanar::create(ww, wh, 13);
  if (!stats.ok()) return stats;
  if (!means.ok()) return means;
  const float* I[3] = {guide.value().plane(0), guide.value().plane(1), guide.value().plane(2)};
  const float* pp = p.value().plane(0);
  ImagePlanar& s = stats.value();
  Status ok = forRowsOf(ww, wh, o.threads, [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
      const float R = I[0][i], G = I[1][i], B = I[2][i], P = pp[i];
      s.plane(0)[i] = R, s.plane(1)[i] = G, s.plane(2)[i] = B, s.plane(3)[i] = P;
      s.plane(4)[i] = R * P, s.plane(5)[i] = G * P, s.plane(6)[i] = B * P;
      s.plane(7)[i] = R * R, s.plane(8)[i] = R * G, s.plane(9)[i] = R * B;
      s.plane(10)[i] = G * G, s.plane(11)[i] = G * B, s.plane(12)[i] = B * B;
    }
  });
  if (ok.ok()) ok = boxMeans(s, means.value(), 13, r, o.threads);
  if (!ok.ok()) return ok;

  // The linear model of each window (solveWindows) into stats planes 0..3, then averaged
  // over windows too.
  const ImagePlanar& m = means.value();
  const float eps = o.epsilon;
  ok = forRowsOf(ww, wh, o.threads, [&](size_t from, size_t to) { solveWindows(m, eps, s, from, to); });
  if (ok.ok()) ok = boxMeans(s, means.value(), 4, r, o.threads);
  if (!ok.ok()) return ok;

  // The edge stage's colour model, from the guided alpha on the working grid (reusing stats
  // plane 4 for that alpha).
  ImagePlanar band;
  if (o.band) {
    float* aw = s.plane(4);
    for (size_t i = 0; i < n; ++i) {
      aw[i] = std::clamp(m.plane(0)[i] * I[0][i] + m.plane(1)[i] * I[1][i] + m.plane(2)[i] * I[2][i] + m.plane(3)[i],
                         0.0f, 1.0f);
    }
    Result<ImagePlanar> a = ImagePlanar::create(ww, wh, 1);
    if (!a.ok()) return a;
    std::copy(aw, aw + n, a.value().plane(0));
    Result<ImagePlanar> model = bandColourModel(guide.value(), a.value(), modelPixel);
    if (!model.ok()) return model;
    band = std::move(model.value());
  }

  // Full resolution, rows shared among threads.
  Result<ImagePlanar> out = ImagePlanar::create(W, H, 1);
  if (!out.ok()) return out;
  const Bilinear bx(ww, W), by(wh, H);
  Status applied = runRowRuns(H, kRunRows, o.threads, kOutOfMemory, [&](int from, int to) {
    return applyModels(photo, m, o.band ? &band : nullptr, bx, by, from, to, out.value());
  });
  if (!applied.ok()) return applied;
  if (o.band) {
    Status snapped = snapOutline(photo, out.value(), o.threads);
    if (!snapped.ok()) return snapped;
  }
  return out;
}

}  // namespace defocus
