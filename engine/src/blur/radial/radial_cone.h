// Internal: the zoom blur over one of the four cones around the centre.
//
// In a cone whose axis runs along image rows v = 1, 2, ... away from the centre (down, up,
// right or left), the ray of slope t crosses row v at the cross offset x = v t. Sampling
// every row at the offsets of one fixed set of slopes puts each ray in a column of a grid,
// so the zoom blur (a pixel at row v averages its ray over rows v (1 - k) .. v (1 + k))
// becomes a box down each column: prefix sums make it O(1) per sample at any length.
// Only the cross offsets need interpolating (one linear tap each way), never the rows.
// Rays are spaced at most 1 px apart; the cone is cut into bands of rows a factor 2 apart,
// each with its own rays, so rays near the centre are not needlessly dense.
#pragma once

#include <cstddef>

#include "defocus/image.h"

namespace defocus {

struct RadialCone {
  // Sample (v, x) of a plane lies at plane[origin + v * vStep + x * xStep] (the origin, the
  // centre pixel, may lie outside the planes: a crop of the photo without the centre).
  ptrdiff_t origin, vStep, xStep;
  int vLimit;      // last row inside the planes (rows beyond repeat it)
  int xMin, xMax;  // cross offsets inside the planes (beyond repeat the edge)
  int diagonal;    // 1 if this cone owns |x| == v, 0 if a neighbouring cone does
  int vFirst = 0;  // first row inside the planes (rows before repeat it)
  // The photo's last row in this cone: the bands of rays are cut from it, so a crop gets
  // the rays the whole photo would.
  int bandLimit = 0;
};

// The pixels of a cone that are made, in planes of their own: rows vFrom..vTo, cross offsets
// xMin..xMax (within the cone's), sample (v, x) at plane[origin + v * vStep + x * xStep].
struct RadialMade {
  ptrdiff_t origin;
  int vFrom, vTo;
  int xMin, xMax;
};

struct RadialLengths {
  double reach;              // distance from the centre to the farthest corner
  double scale;              // streak length at the reach; times lengthMap[i] when there is a map
  const float* lengthMap;    // null: one length everywhere
  double maxLength;          // the largest length anywhere
};

// Writes the blurred pixels `made` of a cone of every plane of `in` into `out`.
Status blurRadialCone(const ImagePlanar& in, const RadialCone& cone, const RadialMade& made, const RadialLengths& lengths,
                      ImagePlanar& out);

}  // namespace defocus
