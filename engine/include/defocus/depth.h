// Depth for the blur: how far each pixel is, relative (0 = nearest .. 1 = farthest), and
// from it the blur radius of each pixel around a chosen focal plane (the circle of
// confusion grows with the distance from that plane, in front of it as behind it).
//
// No depth model ships, so depth comes from:
//   auto    geometry a photographer would recognise (with no subject at all: a ground plane,
//           sharp at the bottom of the frame, receding to the top): the subject stands on the ground, which
//           is sharp at its feet and recedes (blurs) towards the horizon and comes nearer
//           (blurs too) below the feet; other background is far, a little less so right
//           next to the subject;
//   flat    the subject at one depth, everything else far (uniform background blur);
//   linear  a gradient drawn from near (start) to far (end); with tiltShift, a sharp band
//           halfway that blurs towards both ends;
//   radial  near at the start point, far at the distance of the end point;
//   map     a depth map supplied by the caller (e.g. a user's ONNX depth model).
#pragma once

#include <algorithm>
#include <cmath>

#include "defocus/image.h"

namespace defocus {

enum class DepthMode { kAuto, kFlat, kLinear, kRadial, kMap };

struct DepthOptions {
  DepthMode mode = DepthMode::kAuto;
  float focusX = -1, focusY = -1;        // focal plane at this point (fractions); < 0: the subject
  float startX = 0.5f, startY = 1.0f;    // linear / radial geometry, fractions of width / height
  float endX = 0.5f, endY = 0.0f;
  bool tiltShift = false;
  // auto: read the photo's own focus (focus_reading.h) when the photo is given: what is as
  // sharp as the subject stays near its depth, what is already blurred keeps its distance.
  bool readFocus = true;
};

Status checkDepthOptions(const DepthOptions& options);

struct DepthEstimate {
  ImagePlanar background;  // depth of what is behind the subject, at every pixel (0..1)
  float subject = 0;       // depth of the subject itself
};

// matte: one plane, alpha of the subject; map: required for kMap (one plane, 0 = near,
// any size: it is resampled to the matte's); photo: its linear colour planes at the matte's
// size, for reading its focus in auto mode (optional). Depth is smooth, so it is worked out
// on a grid of at most 512 px a side and enlarged to the matte's size.
Result<DepthEstimate> estimateDepth(const ImagePlanar& matte, const DepthOptions& options,
                                    const ImagePlanar* map = nullptr, const ImagePlanar* photo = nullptr);

// Depth of the focal plane: the subject's, or the depth at the focus point.
float focusDepth(const DepthEstimate& depth, const ImagePlanar& matte, const DepthOptions& options);

// radius = maxRadius * |depth - focus| / (largest possible |depth - focus|), 0..maxRadius.
// Inline: the render evaluates it at every pixel of every slider move.
// Comparisons, not std::clamp: so the render's per-pixel loop vectorises for WebAssembly.
inline float radiusAtDepth(float depth, float focus, float maxRadius) {
  const float span = std::max(focus, 1.0f - focus);
  const float t = std::fabs(depth - focus) / std::max(span, 1e-3f);
  return maxRadius * (t < 1.0f ? t : 1.0f);  // t >= 0 (NaN depth: 1, the largest radius)
}

}  // namespace defocus
