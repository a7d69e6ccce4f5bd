// Reading the photo's own focus: how blurred each part of the photo already is, from its
// edges, so the render keeps what is as sharp as the subject (at the focal plane) and
// magnifies the blur that is there (defocus magnification, Bae and Durand 2007).
//
//   1. edges: local maxima of the gradient of the photo's luminance (gamma-encoded);
//   2. at each edge, its blur from the ratio R of its gradient to the gradient of the photo
//      re-blurred by a Gaussian of sigma0: a step blurred by sigma gives
//      R = sqrt(sigma^2 + sigma0^2) / sigma, so sigma = sigma0 / sqrt(R^2 - 1)
//      (Zhuo and Sim, "Defocus map estimation from a single image", 2011);
//   3. the sparse edge values spread over the frame by an edge-aware filter (normalised
//      domain-transform recursive filter, Gastal and Oliveira 2011) guided by the photo, so
//      they stop at the photo's own edges; edges on or next to the subject are left out.
//
// Worked out on the depth grid (at most 512 px a side, depth.h), so a preview and its
// full-size export read the same focus.
#pragma once

#include "defocus/image.h"

namespace defocus {

struct FocusReading {
  ImagePlanar blur;        // the photo's own blur at each pixel, Gaussian sigma in grid px
  ImagePlanar confidence;  // 0..1: how much edge evidence lies near the pixel
  float subjectBlur = 0;   // median blur of the subject's own edges (its sharpness)
  float backgroundBlur = 0;  // 90th percentile of the background's edge blur
  int backgroundEdges = 0, subjectEdges = 0;
};

// luminance and matte: one plane each, the same (grid) size; luminance linear 0..1.
Result<FocusReading> readFocus(const ImagePlanar& luminance, const ImagePlanar& matte);

// The share 0..1 of the geometric depth (its distance from the subject's) that the photo's
// focus keeps at each grid pixel: near 0 where the photo is as sharp as the subject, 1
// where it is clearly blurred, where there is no evidence, and everywhere in a photo that
// is all in focus (no depth of field to read).
Result<ImagePlanar> focusDepthShare(const FocusReading& reading, const ImagePlanar& matte);

}  // namespace defocus
