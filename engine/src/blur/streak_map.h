// Internal: the radius map of the streak styles (motion, radial), which take every pixel's
// own length in one pass (no layers).
#pragma once

#include "defocus/lens_blur.h"
#include "blur/layers/radius_layers.h"

namespace defocus {

// Checks the map as the layered styles check theirs (0..kMaxLensRadius pixels, through the
// same layer plan) and sets *constant to its one radius when it varies by under a hundredth
// (the fixed-radius blur renders that), else to -1.
inline Status planStreakMap(const ImagePlanar& linear, const float* map, double* constant) {
  RadiusLayers layers;
  std::string reason;
  if (!layers.plan(map, linear.width, linear.height, kMaxLensRadius, kLensLayerRatio, &reason)) {
    return invalidArgument(reason);
  }
  *constant = layers.constant() ? layers.radius(0) : -1.0;
  return Status::success();
}

}  // namespace defocus
