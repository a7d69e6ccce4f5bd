// Internal: the last step of the edge stage. Where the matte is undecided (the ramp the
// model's low resolution leaves around the outline), which side of 0.5 a pixel falls on is
// decided by a small mean-field CRF: the matte's own log-odds as the unary term and a
// contrast-sensitive Potts term between 8-neighbours (weight exp(-|I_p - I_q|^2 / 2 sigma^2)),
// so neighbours of similar colour agree and the outline settles on the photo's colour steps.
// Pixels whose side the CRF keeps keep their soft alpha (hair, fur); only pixels it moves
// across 0.5 take its value.
//
// Why not the colours themselves (F/B unary terms, or band matting crossing 0.5): measured on
// the hand-masked DAVIS frames, local subject/background colour models of natural scenes
// are too unreliable; every variant lowered boundary F (people 0.660 -> 0.646 .. 0.590).
// Agreement between similar neighbours is what holds.
#pragma once

#include "defocus/image.h"

namespace defocus {

// alpha: one full-resolution plane the size of photo, changed in place on its undecided
// band (0.05 < alpha < 0.95). Fails only when out of memory (alpha then unchanged). The
// band's rows and each sweep's pixels are shared among `threads`: the same alpha whatever
// the count.
Status snapOutline(const ImageRGBA8& photo, ImagePlanar& alpha, int threads = 1);

}  // namespace defocus
