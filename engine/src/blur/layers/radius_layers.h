// Internal: a variable-radius blur as a blend of fixed-radius blurs (radius_layers_grouped.h
// blends them; tests/engine/blur/lens_layers_reference.cpp keeps the plain per-layer blend). The radius map's
// range is covered by layers a constant factor apart (plus radius 0, the sharp image);
// each pixel takes its two nearest layers, weighted linearly in radius, so the blur
// changes continuously with the map (no seams). Layers no pixel needs are skipped.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "defocus/image.h"

namespace defocus {

class RadiusLayers {
 public:
  // Checks the map (width x height values 0..maxRadius); false with a reason when it has
  // bad values. Records, per layer, the box of the pixels that use it. needed (optional,
  // width x height): 0 where the caller will not use the result (a sharp subject covers
  // it); layers only such pixels use are skipped. The layers' radii come from the whole
  // map, so the needed pixels get what they would without the mask. top (optional): the
  // largest radius of the whole photo's map when this map is a part of it (a strip of a
  // render): the layers are then spaced down from top, the same radii in every part, so the
  // parts blur as the whole does (spaced between this map's own extremes, a strip's layers
  // differed from its neighbour's and showed at their border). 0, or below this map's
  // largest radius: this map's extremes.
  bool plan(const float* map, int width, int height, float maxRadius, float ratio, std::string* reason,
            const uint8_t* needed = nullptr, float top = 0);
  const uint8_t* needed() const { return needed_; }

  size_t size() const { return radii_.size(); }
  float radius(size_t k) const { return radii_[k]; }
  bool used(size_t k) const { return used_[k]; }
  bool constant() const { return radii_.size() == 1; }
  // Weight of a layer for a pixel of radius r: a hat, 1 at its radius, 0 at the
  // neighbouring layers' (1 past the outermost ones); no branches, for pixel loops.
  struct Hat {
    float radius, invBelow, invAbove;  // 0 on the outermost sides
    float operator()(float r) const {
      const float d = r - radius;
      return std::max(0.0f, 1.0f - std::fabs(d) * (d > 0 ? invAbove : invBelow));
    }
  };
  Hat hat(size_t k) const;

  struct Box { int x0, y0, x1, y1; };  // inclusive
  const Box& box(size_t k) const { return boxes_[k]; }

 private:
  std::vector<float> radii_;
  std::vector<bool> used_;
  std::vector<Box> boxes_;
  const uint8_t* needed_ = nullptr;
};

// The planes a layered blur adds its layers into: rows [rows.from, rows.end) of `like`
// (cut to its rows), zeroed; *from receives the first row.
Result<ImagePlanar> zeroedRowsOf(const ImagePlanar& like, RowRange rows, int* from);

}  // namespace defocus
