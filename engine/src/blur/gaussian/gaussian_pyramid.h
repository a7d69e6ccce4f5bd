// Internal: the reduced-resolution plan of the Gaussian blur, so callers can do the first
// pyramid levels themselves (e.g. straight from RGBA8) and continue from there.
//
// Levels 1..L: binomial prefilter and decimation by 2. At level L, Deriche's filter with
// the sigma that is left; a cubic B-spline (whose variance is part of the budget) brings
// the result back to level k <= L, the coarsest level on which the whole blur is still
// smooth enough for Catmull-Rom (even on sRGB codes) to interpolate it to full resolution.
#pragma once

#include "defocus/image.h"
#include "core/plane_ops.h"

namespace defocus {

constexpr int kMaxPyramidLevels = 12;

struct GaussianPlan {
  int levels = 0;       // L; 0: blur directly at full resolution
  int smoothLevel = 0;  // k
  int margin = 0;       // full pixels of edge replication added by the first level
  double coarseSigma;   // sigma left for level L, in its pixels
  int width[kMaxPyramidLevels + 1], height[kMaxPyramidLevels + 1];
  CoarseGrid coarsest;  // level L on the level-k grid (B-spline)
  CoarseGrid smooth;    // level k on the full-resolution grid (Catmull-Rom; k == 0: unused)
  // The grid of what gaussianFromLevel1 returns, onto full resolution.
  const CoarseGrid& finalGrid() const { return smoothLevel ? smooth : coarsest; }
};

GaussianPlan planGaussian(int width, int height, double sigma);

// From the planes of level `start` (1 <= start <= L; level 1 is one binomialHalve with
// plan.margin) to the blurred level-k planes (level L when k == 0); interpolate() on
// plan.finalGrid() brings them to full size.
Result<ImagePlanar> gaussianFromLevel(const ImagePlanar& level, int start, const GaussianPlan& plan);

}  // namespace defocus
