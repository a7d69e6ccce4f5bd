// Internal: first and last stages of the blurs that run on a reduced grid, fused with the
// colour conversion, so a full-resolution photo never exists as float planes:
//   RGBA8 --(to linear, highlights, premultiply, reduce)--> coarse planes
//   coarse planes --(Catmull-Rom, unpremultiply, to sRGB)--> RGBA8
// Planes: 3 for opaque images, 4 (premultiplied colour + alpha) otherwise.
#pragma once

#include "defocus/image.h"
#include "defocus/lens_blur.h"
#include "core/plane_ops.h"

namespace defocus {

// One or two pyramid levels (binomial prefilter, decimation by 2, see binomialHalve) from
// RGBA8; `margin` applies to the first.
Result<ImagePlanar> halveRgba8(const ImageRGBA8& image, int margin, int channels, int levels = 1);

// Area reduction onto `grid` (see boxReduce), with the highlight boost applied first.
Result<ImagePlanar> boxReduceRgba8(const ImageRGBA8& image, const CoarseGrid& grid, int channels,
                                   const Highlights& highlights);

// Coarse planes on `grid` back to a width x height RGBA8 image.
Result<ImageRGBA8> expandToRgba8(const ImagePlanar& coarse, const CoarseGrid& grid, int width, int height);

// Full-resolution blurred planes (3, or 4 premultiplied) to RGBA8 with the fast encoder
// (within one code of exact, see packRowToRgba8Approx).
Result<ImageRGBA8> blurredPlanesToRgba8(const ImagePlanar& planes);

// The same for 3 opaque planes of a smooth (Gaussian-blurred) signal: the coarse samples
// are encoded to sRGB codes first and the interpolation runs on codes, so the full-res
// pixels need no transfer function, only rounding. Not for crisp content (lens discs).
Result<ImageRGBA8> expandSmoothOpaqueToRgba8(const ImagePlanar& coarse, const CoarseGrid& grid, int width,
                                             int height);

}  // namespace defocus
