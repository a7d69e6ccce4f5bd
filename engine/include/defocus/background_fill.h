// Filling the background in behind the subject before it is blurred, so no subject colour
// bleeds into the bokeh and no ring of the subject's surroundings is left around it.
//
// Push-pull (normalised convolution on a pyramid): every pixel carries a confidence that
// it shows pure background, (1 - alpha / 0.25)^2 clamped (edge pixels with more alpha mix in
// the subject, so they are not trusted); the pyramid averages colour weighted by confidence
// (push), then each level takes what it lacks from the level below it (pull). Holes of any
// size are filled from the nearest background, smoothly, in O(pixels).
#pragma once

#include "defocus/image.h"

namespace defocus {

// linear: colour planes (3, or more: every plane is filled); matte: one plane, same size,
// alpha 0..1 (1 = subject). Returns the planes with the subject's area replaced.
Result<ImagePlanar> fillBackground(const ImagePlanar& linear, const ImagePlanar& matte);

}  // namespace defocus
