// Internal: how a lens blur of a given radius runs (reduction factor, grid, kernel), so
// callers can feed the reduced grid themselves (e.g. straight from RGBA8).
#pragma once

#include "blur/lens/aperture_kernel.h"
#include "defocus/image.h"
#include "core/plane_ops.h"

namespace defocus {

struct LensPlan {
  int factor = 1;       // 1: full resolution
  CoarseGrid grid;      // the reduced grid when factor > 1
  ApertureKernel kernel;  // in pixels of the grid it runs on
};

// The smallest radius a reduced grid is given for a fixed-radius blur: below about 4 coarse
// pixels a disc's rim would visibly soften.
constexpr double kFixedMinCoarseRadius = 4.0;
constexpr double kFixedCoarseScale = 1.5;  // coarse radius = scale sqrt(radius)

// The reduction factor a blur of `radius` full pixels runs with (lens_blur.cpp says how).
int lensReductionFactor(double radius, double minCoarseRadius, double coarseScale);

LensPlan planLens(int width, int height, double radius, const Aperture& aperture,
                  double minCoarseRadius = kFixedMinCoarseRadius, double coarseScale = kFixedCoarseScale);
// The plan on the grid reduced by `factor` (1: full resolution).
LensPlan planLensOnGrid(int width, int height, double radius, const Aperture& aperture, int factor);

// The aperture kernel applied to every plane (no reduction, no highlights).
Result<ImagePlanar> gatherPlanes(const ImagePlanar& image, const ApertureKernel& kernel);

}  // namespace defocus
