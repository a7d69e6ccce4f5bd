// Internal: a variable-radius blur as layers of fixed radius, grouped by the grid they run on.
//
// Each layer is a fixed-radius blur; a pixel takes its two nearest layers (hat weights in
// radius, RadiusLayers). Layers of small radius run at full resolution, the others on an
// area-reduced grid. Rather than bringing every reduced layer back to full resolution and
// blending there (one full-resolution interpolation per layer), the layers sharing a
// reduction factor share one reduced copy of the source, are weighted and summed on that
// grid (weights from the reduced radius map) and the sum is interpolated once. Weights are
// smooth (the map is), so weighting before or after the interpolation differs little; tests
// bound it against the per-layer full-resolution blend. The weights themselves go through
// the same steps and the result is divided by their sum, so they stay a partition of unity
// where the grids change (else a faint seam shows there). Each layer is blurred only on the
// rows and columns where its weight is above zero.
#pragma once

#include <cstdint>
#include <vector>

#include "defocus/image.h"
#include "blur/layers/radius_layers.h"

namespace defocus {

// Where a layer is needed: per row y, the column runs runs[start[y]] .. runs[start[y + 1] - 1]
// (first, last column each); rows y0..y1 have any.
struct LayerRanges {
  struct Run {
    int x0, x1;
  };
  std::vector<int> start;
  std::vector<Run> runs;
  int y0 = 0, y1 = -1;
};

// What a blur style provides to the grouped blend.
class GroupedLayerStyle {
 public:
  virtual ~GroupedLayerStyle() = default;
  // The reduction factor a layer of this radius (full pixels, > 0) runs at; 1: full resolution.
  virtual int factor(float radius) = 0;
  // Blurs one plane (width x height: the full image, or the group's reduced grid whose
  // pixels are `factor` full pixels) with the layer's radius in full pixels. Must write at
  // least the pixels in `ranges`; the plane's edges continue with their edge pixels.
  virtual Status blurPlane(const float* in, int width, int height, float radius, int factor,
                           const LayerRanges& ranges, float* out) = 0;
};

// Adds every used layer, weighted per pixel by `map`, into `out` (zeroed by the caller,
// the source's width) and normalises by the weights' sum. out holds rows [outFrom, outFrom +
// out.height) of the result: only those are made (a strip's own rows, not its halo).
Status blendGroupedLayers(const ImagePlanar& source, const float* map, const RadiusLayers& layers,
                          GroupedLayerStyle& style, ImagePlanar& out, int outFrom = 0);

// The largest power of two <= value (1 below 2): a layer group's grid reduction.
inline int powerOfTwoAtMost(double value) {
  int f = 1;
  while (2 * f <= value) f *= 2;
  return f;
}

// A whole variable blur in one style: layers `ratio` apart, planned from `map` (radius in
// pixels); a constant map gives exactly the fixed-radius blur of `options`. needed, top: see
// RadiusLayers::plan.
struct BlurOptions;
// rows: the rows of the result made (see BlurFrame::rows); a constant map gives every row.
Result<ImagePlanar> blurVariableOnGroupedLayers(const ImagePlanar& linear, const float* map, const BlurOptions& options,
                                                float ratio, GroupedLayerStyle& style, const uint8_t* needed,
                                                RowRange rows = {}, float top = 0);

}  // namespace defocus
