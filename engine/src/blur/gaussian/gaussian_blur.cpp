#include "defocus/gaussian_blur.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "blur/gaussian/gaussian_pyramid.h"
#include "blur/gaussian/recursive_gaussian.h"
#include "core/number_text.h"

namespace defocus {
namespace {

// Coarse levels are used while the sigma left for the coarsest level stays at or above
// this many coarse pixels: the blurred signal is then smooth enough for the cubic B-spline
// to bring it back within a fraction of 1/255. Measured over a sweep of sigmas
// (tests/engine/test_gaussian.cpp): 0.43/255 at most with 0.9; 0.6 gives 1.29/255.
constexpr double kMinCoarseSigma = 0.9;
// Catmull-Rom interpolates a level whose whole blur is at least this many of its pixels
// wide to within a few hundredths of 1/255, also on sRGB codes (the fused RGBA8 path).
constexpr double kMinSmoothSigma = 2.0;

// Sigma left for level `levels` after the binomial prefilters of levels 0..levels-1
// (variance 4^l full pixels^2 each, (4^L - 1) / 3 in all) and the B-spline reconstruction
// from it (4^L / 3); < 0 when there is none left.
double coarseSigma(double sigma, int levels) {
  const double scale2 = std::ldexp(1.0, 2 * levels);  // 4^L
  const double rest = sigma * sigma - (scale2 - 1) / 3 - scale2 / 3;
  return rest > 0 ? std::sqrt(rest / scale2) : -1;
}

// Separable recursive Gaussian of one plane; t1 holds a plane.
void blurPlaneDirect(const float* in, float* out, int width, int height, const RecursiveGaussian& g, float* t1,
                     float* scratch) {
  g.filterColumns(in, t1, width, height, scratch);
  g.filterRows(t1, out, width, height, scratch);
}

// The pyramid's first level spans the image plus its margin (4 << levels, up to 8192 px a side
// at sigma 2000): on a small image with a large sigma that is nearly all margin (an 8x8 image
// at sigma 2000 took 268 MB and 12 s). There the blur is done exactly instead, as a matrix
// along each axis: n^2 multiplies per row, cheaper than the margin it avoids. 512: the
// largest side for which the matrix stays small (1 MB).
constexpr int kMaxDirectSide = 512;

bool directIsCheaper(int w, int h, const GaussianPlan& plan) {
  if (plan.levels == 0 || std::max(w, h) > kMaxDirectSide) return false;
  const double direct = double(w) * h * (w + h);
  const double pyramid = 5.0 * (w + 2.0 * plan.margin) * (h + 2.0 * plan.margin);  // ~20 flops a level-1 pixel
  return direct < pyramid;
}

// Weights of the clamp-to-edge sampled Gaussian along an axis of n pixels: row i holds the
// taps of output i, g(i - j) for inside pixels, and the edge pixels also get every tap that
// falls past their end (the image continues with its edge pixels). Normalised over all taps.
std::vector<float> edgeFoldedWeights(int n, double sigma) {
  const int reach = static_cast<int>(std::ceil(8 * sigma)) + n;  // g beyond 8 sigma < 2e-14
  std::vector<double> g(reach + 2), tail(reach + 2, 0.0);
  for (int d = 0; d <= reach; ++d) g[d] = std::exp(-0.5 * d * d / (sigma * sigma));
  for (int d = reach; d >= 0; --d) tail[d] = g[d] + tail[d + 1];  // sum of g[k], k >= d
  const double total = 2 * tail[0] - g[0];
  std::vector<float> weights(static_cast<size_t>(n) * n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      double w = g[std::abs(i - j)];
      if (j == 0) w += tail[i + 1];          // taps at -1, -2, ...
      if (j == n - 1) w += tail[n - i];      // taps at n, n + 1, ...
      weights[static_cast<size_t>(i) * n + j] = static_cast<float>(w / total);
    }
  }
  return weights;
}

Result<ImagePlanar> gaussianDirect(const ImagePlanar& image, double sigma) {
  const int w = image.width, h = image.height;
  Result<ImagePlanar> out = ImagePlanar::create(w, h, image.channels);
  if (!out.ok()) return out;
  const std::vector<float> across = edgeFoldedWeights(w, sigma), down = edgeFoldedWeights(h, sigma);
  std::vector<float> rows(image.planeSize());
  for (int c = 0; c < image.channels; ++c) {
    const float* in = image.plane(c);
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        float sum = 0;
        for (int j = 0; j < w; ++j) sum += across[static_cast<size_t>(x) * w + j] * in[static_cast<size_t>(y) * w + j];
        rows[static_cast<size_t>(y) * w + x] = sum;
      }
    }
    float* o = out.value().plane(c);
    std::fill(o, o + image.planeSize(), 0.0f);
    for (int y = 0; y < h; ++y) {
      for (int j = 0; j < h; ++j) {
        const float k = down[static_cast<size_t>(y) * h + j];
        for (int x = 0; x < w; ++x) o[static_cast<size_t>(y) * w + x] += k * rows[static_cast<size_t>(j) * w + x];
      }
    }
  }
  return out;
}

}  // namespace

GaussianPlan planGaussian(int w, int h, double sigma) {
  GaussianPlan p;
  while (p.levels < kMaxPyramidLevels && coarseSigma(sigma, p.levels + 1) >= kMinCoarseSigma) ++p.levels;
  while (p.smoothLevel < p.levels && sigma / (2 << p.smoothLevel) >= kMinSmoothSigma) ++p.smoothLevel;
  p.coarseSigma = p.levels ? coarseSigma(sigma, p.levels) : sigma;
  // Each level's 5-tap prefilter reaches 2 of its pixels: 2 (2^L - 1) full pixels in all,
  // and the B-spline 2 level-L pixels more. With 4 * 2^L, the coarsest border pixels see
  // only the replicated edge.
  p.margin = p.levels ? 4 << p.levels : 0;
  p.width[0] = w;
  p.height[0] = h;
  for (int l = 0; l < p.levels; ++l) {
    halveSize(p.width[l], p.height[l], l == 0 ? p.margin : 0, &p.width[l + 1], &p.height[l + 1]);
  }
  // Every level's pixel 0 sits on full pixel -margin; level L's pixel j on level k's j 2^(L-k).
  const int k = p.smoothLevel;
  p.coarsest.width = p.width[p.levels];
  p.coarsest.height = p.height[p.levels];
  p.coarsest.step = 1 << (p.levels - k);
  p.coarsest.originX = p.coarsest.originY = k ? 0 : -p.margin;
  p.coarsest.kernel = Reconstruction::kCubicBSpline;
  p.smooth.width = p.width[k];
  p.smooth.height = p.height[k];
  p.smooth.step = 1 << k;
  p.smooth.originX = p.smooth.originY = -p.margin;
  return p;
}

Result<ImagePlanar> gaussianFromLevel(const ImagePlanar& level1, int start, const GaussianPlan& plan) {
  if (start < 1 || start > plan.levels) return Status{ErrorCode::kInvalidArgument, "no such pyramid level"};
  const int cw = plan.coarsest.width, ch = plan.coarsest.height, k = plan.smoothLevel;
  Result<ImagePlanar> out = ImagePlanar::create(k ? plan.width[k] : cw, k ? plan.height[k] : ch, level1.channels);
  if (!out.ok()) return out;
  const size_t size1 = level1.planeSize();
  size_t scratchSize = 8 * static_cast<size_t>(std::max(cw, ch)) + 32;
  for (int l = start; l < plan.levels; ++l) {
    scratchSize = std::max(scratchSize, binomialHalveScratch(plan.width[l], plan.height[l], 0));
  }
  if (k) scratchSize = std::max(scratchSize, interpolateScratch(plan.coarsest, plan.width[k]));
  Buffer<float> work;
  if (!work.resize(3 * size1 + scratchSize)) return outOfMemory("for the Gaussian blur");
  float* a = work.data();
  float* b = a + size1;
  float* t1 = b + size1;
  float* scratch = t1 + size1;
  const RecursiveGaussian filter(plan.coarseSigma);
  for (int c = 0; c < level1.channels; ++c) {
    const float* level = level1.plane(c);
    float* next = a;
    for (int l = start; l < plan.levels; ++l) {
      binomialHalve(level, plan.width[l], plan.height[l], 0, next, scratch);
      level = next;
      next = next == a ? b : a;
    }
    if (!k) {
      blurPlaneDirect(level, out.value().plane(c), cw, ch, filter, t1, scratch);
      continue;
    }
    float* blurred = next;  // not `level`, which it is computed from
    blurPlaneDirect(level, blurred, cw, ch, filter, t1, scratch);
    interpolate(blurred, plan.coarsest, out.value().plane(c), plan.width[k], plan.height[k], scratch);
  }
  return out;
}

Result<ImagePlanar> gaussianBlur(const ImagePlanar& image, float sigma) {
  if (!(sigma >= kMinGaussianSigma && sigma <= kMaxGaussianSigma)) {
    return Status{ErrorCode::kInvalidArgument, "sigma must be in " + numberText(kMinGaussianSigma) + ".." +
                                                   numberText(kMaxGaussianSigma) + ", got " + numberText(sigma)};
  }
  const int w = image.width, h = image.height;
  const GaussianPlan plan = planGaussian(w, h, sigma);
  if (directIsCheaper(w, h, plan)) return gaussianDirect(image, sigma);
  Result<ImagePlanar> out = ImagePlanar::create(w, h, image.channels);
  if (!out.ok()) return out;
  if (plan.levels == 0) {
    Buffer<float> work;
    if (!work.resize(image.planeSize() + 8 * static_cast<size_t>(std::max(w, h)) + 32)) return outOfMemory("for the Gaussian blur");
    const RecursiveGaussian filter(sigma);
    float* t1 = work.data();
    for (int c = 0; c < image.channels; ++c) {
      blurPlaneDirect(image.plane(c), out.value().plane(c), w, h, filter, t1, t1 + image.planeSize());
    }
    return out;
  }
  Result<ImagePlanar> level1 = ImagePlanar::create(plan.width[1], plan.height[1], image.channels);
  Buffer<float> scratch;
  if (!level1.ok()) return level1;
  if (!scratch.resize(std::max(binomialHalveScratch(w, h, plan.margin), interpolateScratch(plan.finalGrid(), w)))) {
    return outOfMemory("for the Gaussian blur");
  }
  for (int c = 0; c < image.channels; ++c) {
    binomialHalve(image.plane(c), w, h, plan.margin, level1.value().plane(c), scratch.data());
  }
  Result<ImagePlanar> coarse = gaussianFromLevel(level1.value(), 1, plan);
  if (!coarse.ok()) return coarse;
  for (int c = 0; c < image.channels; ++c) {
    interpolate(coarse.value().plane(c), plan.finalGrid(), out.value().plane(c), w, h, scratch.data());
  }
  return out;
}

}  // namespace defocus
