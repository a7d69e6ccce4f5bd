// From a segmentation model's low-resolution probability map to a full-resolution alpha
// matte that follows the photo's own edges (hair, fur, glasses).
//
// Refinement is the colour guided filter (He, Sun, Tang 2010) in its fast form (He & Sun
// 2015): per-pixel linear models q = a . I + b of the matte against the photo's colour are
// fitted on a reduced working grid, then applied at full resolution, so edges come from
// the photo and the cost stays linear in the number of pixels. Then the edge stage: on the
// uncertain band around the outline (a trimap from that alpha), each full-resolution pixel's
// alpha is solved from its colour between the local subject and background colours, so hair
// and fur get the fraction of each pixel they cover and hard edges stay one pixel wide;
// last, which side of 0.5 each undecided pixel falls on is settled by a contrast-sensitive
// CRF (matte_snap.h), which moves the outline onto the photo's colour steps.
#pragma once

#include "defocus/image.h"

namespace defocus {

struct MatteOptions {
  int workingSize = 768;    // long side of the grid the linear models are fitted on
  float radius = 3.0f;      // window radius in pixels of the probability map, so windows
                            // span the model's uncertain band at an edge whatever its size
  float epsilon = 1e-3f;    // regularisation: larger keeps the matte closer to the mask
  bool band = false;        // edge stage: solve alpha from local subject and background
                            // colours on the uncertain band around the outline (matte_band.h),
                            // then snap the outline to colour steps (matte_snap.h)
  int threads = 1;          // full-resolution rows shared among this many threads (the
                            // same matte whatever the count; one where threads cannot start)
};

Status checkMatteOptions(const MatteOptions& options);

// Plain bilinear upsampling of a probability map (covering the whole photo) to width x height.
Result<ImagePlanar> upsampleMatte(const ImagePlanar& probability, int width, int height);

// Guided refinement: probability (any size, covering the whole photo, values 0..1) ->
// one plane of photo.width x photo.height alpha in 0..1.
Result<ImagePlanar> refineMatte(const ImageRGBA8& photo, const ImagePlanar& probability,
                                const MatteOptions& options = {});

}  // namespace defocus
