#include "defocus/gaussian_blur.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "plane_ops.h"
#include "recursive_gaussian.h"

namespace defocus {
namespace {

// Coarse levels are used while the sigma left for the coarsest level stays at or above
// this many coarse pixels: the blurred signal is then smooth enough for Catmull-Rom to
// bring it back within a fraction of 1/255 (tests/engine/test_gaussian.cpp measures it).
constexpr double kMinCoarseSigma = 2.0;
constexpr int kMaxLevels = 12;

// Sigma left for level `levels` after the binomial prefilters of levels 0..levels-1
// (variance 4^l full pixels^2 each, (4^L - 1) / 3 in all); < 0 when there is none left.
double coarseSigma(double sigma, int levels) {
  const double scale2 = std::ldexp(1.0, 2 * levels);  // 4^L
  const double rest = sigma * sigma - (scale2 - 1) / 3;
  return rest > 0 ? std::sqrt(rest / scale2) : -1;
}

int pyramidLevels(double sigma) {
  int levels = 0;
  while (levels < kMaxLevels && coarseSigma(sigma, levels + 1) >= kMinCoarseSigma) ++levels;
  return levels;
}

// Separable full-resolution recursive Gaussian of one plane; t1/t2 hold a plane each.
void blurPlaneDirect(const float* in, float* out, int width, int height, const RecursiveGaussian& g, float* t1,
                     float* t2, float* scratch) {
  g.filterColumns(in, t1, width, height, scratch);
  transposePlane(t1, t2, width, height);
  g.filterColumns(t2, t1, height, width, scratch);
  transposePlane(t1, out, height, width);
}

struct Pyramid {
  int levels = 0;
  int margin = 0;        // full pixels of edge replication added at level 0
  int width[kMaxLevels + 1], height[kMaxLevels + 1];
  CoarseGrid coarsest;   // where the last level sits on the full-resolution grid
};

Pyramid planPyramid(int w, int h, int levels) {
  Pyramid p;
  p.levels = levels;
  // Each level's 5-tap prefilter reaches 2 of its pixels: 2 (2^L - 1) full pixels in all.
  // With 4 * 2^L, the coarsest border pixels see only the replicated edge.
  p.margin = 4 << levels;
  p.width[0] = w;
  p.height[0] = h;
  for (int l = 0; l < levels; ++l) {
    halveSize(p.width[l], p.height[l], l == 0 ? p.margin : 0, &p.width[l + 1], &p.height[l + 1]);
  }
  p.coarsest.width = p.width[levels];
  p.coarsest.height = p.height[levels];
  p.coarsest.step = 1 << levels;
  p.coarsest.originX = p.coarsest.originY = -p.margin;
  return p;
}

}  // namespace

Result<ImagePlanar> gaussianBlur(const ImagePlanar& image, float sigma) {
  if (!(sigma >= kMinGaussianSigma && sigma <= kMaxGaussianSigma)) {
    return Status{ErrorCode::kInvalidArgument, "sigma must be in " + std::to_string(kMinGaussianSigma) + ".." +
                                                   std::to_string(kMaxGaussianSigma) + ", got " + std::to_string(sigma)};
  }
  Result<ImagePlanar> out = ImagePlanar::create(image.width, image.height, image.channels);
  if (!out.ok()) return out;
  const int w = image.width, h = image.height;
  const int levels = pyramidLevels(sigma);
  const Pyramid pyramid = planPyramid(w, h, levels);
  const RecursiveGaussian filter(levels == 0 ? sigma : coarseSigma(sigma, levels));

  // Work memory: two buffers of the largest level past 0 (ping-pong), two for the
  // recursive filter, and scratch for whichever step needs most.
  const size_t full = image.planeSize();
  const size_t level1 = levels ? static_cast<size_t>(pyramid.width[1]) * pyramid.height[1] : full;
  const int cw = pyramid.coarsest.width, ch = pyramid.coarsest.height;
  size_t scratchSize = 8 * static_cast<size_t>(std::max({cw, ch, w, h}));
  for (int l = 0; l < levels; ++l) {
    scratchSize = std::max(scratchSize, binomialHalveScratch(pyramid.width[l], pyramid.height[l], l ? 0 : pyramid.margin));
  }
  if (levels) scratchSize = std::max(scratchSize, interpolateScratch(pyramid.coarsest, w));
  Buffer<float> work;
  if (!work.resize(4 * level1 + scratchSize)) return Status{ErrorCode::kOutOfMemory, "out of memory for the Gaussian blur"};
  float* a = work.data();
  float* b = a + level1;
  float* t1 = b + level1;
  float* t2 = t1 + level1;
  float* scratch = t2 + level1;

  for (int c = 0; c < image.channels; ++c) {
    if (levels == 0) {
      blurPlaneDirect(image.plane(c), out.value().plane(c), w, h, filter, t1, t2, scratch);
      continue;
    }
    const float* level = image.plane(c);
    float* next = a;
    for (int l = 0; l < levels; ++l) {
      binomialHalve(level, pyramid.width[l], pyramid.height[l], l == 0 ? pyramid.margin : 0, next, scratch);
      level = next;
      next = next == a ? b : a;
    }
    blurPlaneDirect(level, next, cw, ch, filter, t1, t2, scratch);
    interpolate(next, pyramid.coarsest, out.value().plane(c), w, h, scratch);
  }
  return out;
}

}  // namespace defocus
