// Internal: the reduced-resolution plan of the Gaussian blur, so callers can do the first
// pyramid level themselves (e.g. straight from RGBA8) and continue from there.
#pragma once

#include "defocus/image.h"
#include "plane_ops.h"

namespace defocus {

constexpr int kMaxPyramidLevels = 12;

struct GaussianPlan {
  int levels = 0;      // 0: blur directly at full resolution
  int margin = 0;      // full pixels of edge replication added by the first level
  double coarseSigma;  // sigma left for the coarsest level, in its pixels
  int width[kMaxPyramidLevels + 1], height[kMaxPyramidLevels + 1];
  CoarseGrid coarsest;  // where the coarsest level sits on the full-resolution grid
};

GaussianPlan planGaussian(int width, int height, double sigma);

// From level-1 planes (one binomialHalve with plan.margin done) to the blurred coarsest
// level; interpolate() on plan.coarsest brings it back to full resolution.
Result<ImagePlanar> gaussianFromLevel1(const ImagePlanar& level1, const GaussianPlan& plan);

}  // namespace defocus
