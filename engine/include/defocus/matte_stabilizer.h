// Temporal stabilisation of a video's subject probability, frame after frame: small
// frame-to-frame changes (model jitter on a still subject, sensor noise) are averaged away,
// large ones (the subject moved) are followed at once, so a still subject does not flicker
// and a moving one does not leave a smeared trail.
//
// Per pixel: state += k * (current - state), with k rising from `minFollow` for changes up
// to `noise` to 1 for changes of `noise + span` or more.
#pragma once

#include "defocus/image.h"

namespace defocus {

struct StabilizeOptions {
  float minFollow = 0.2f;  // share of a small change taken per frame (0.2: ~5-frame average)
  float noise = 0.04f;     // changes up to this size are treated as jitter
  float span = 0.2f;       // changes of noise + span and larger are taken whole
};

Status checkStabilizeOptions(const StabilizeOptions& options);

// state: the stabilised map so far (one plane), updated in place towards `current` (same
// size). An empty state (0 x 0) starts as a copy of `current`.
Status stabilizeMatte(ImagePlanar& state, const ImagePlanar& current, const StabilizeOptions& options = {});

}  // namespace defocus
