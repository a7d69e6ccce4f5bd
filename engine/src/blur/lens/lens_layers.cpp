// The variable-radius lens blur on grouped layers (radius_layers_grouped.h): each layer a
// span gather with its aperture kernel, on the grid its plan chooses.
#include <map>

#include "blur/lens/lens_layers.h"
#include "blur/lens/lens_plan.h"
#include "blur/lens/span_gather.h"
#include "blur/layers/radius_layers_grouped.h"

namespace defocus {
namespace {

// A layer's reduction factor: the power of two nearest (in ratio) the factor its radius
// alone would get, the larger one only while the disc keeps minCoarseRadius pixels of its
// grid (the Gaussian's layers are on powers of two already). Layers of one factor share a
// grid, and a grid is halved from the grid of half its factor instead of being reduced
// again from full resolution, so powers of two make fewer grids and one full-resolution
// reduction: a 12 MP render with auto depth at strength 30 used factors 2 to 7 (four
// reductions from full resolution, six grids brought back to it), now 2, 4 and 8: 658 ->
// 552-562 ms of CPU on one thread (bench/engine_bench), and no further from the reference
// layers (tests/engine/blur/test_lens_blur.cpp: 50.9 and 51.3 dB -> 51.1 and 52.0).
int powerOfTwoFactor(int factor, double radius, double minCoarseRadius) {
  if (factor <= 2) return factor;
  const int below = powerOfTwoAtMost(factor);
  const bool nearerAbove = factor != below && factor * factor > 2 * below * below;  // factor > below * sqrt(2)
  return nearerAbove && radius / (2 * below) >= minCoarseRadius ? 2 * below : below;
}

class LensLayers : public GroupedLayerStyle {
 public:
  LensLayers(int width, int height, const Aperture& aperture, const VariableLensTuning& tuning)
      : width_(width), height_(height), aperture_(aperture), tuning_(tuning) {}

  int factor(float radius) override { return plan(radius).factor; }

  Status blurPlane(const float* in, int width, int height, float radius, int, const LayerRanges& r, float* out) override {
    SpanGather gather(plan(radius).kernel, width, height);
    static_assert(sizeof(LayerRanges::Run) == 2 * sizeof(int), "runs are (first, last) int pairs");
    if (!gather.runRuns(in, out, r.start.data(), reinterpret_cast<const int*>(r.runs.data()), r.y0, r.y1)) {
      return {ErrorCode::kOutOfMemory, "out of memory for the lens blur"};
    }
    return Status::success();
  }

 private:
  // Each kernel built once per render.
  const LensPlan& plan(float radius) {
    auto found = plans_.find(radius);
    if (found != plans_.end()) return found->second;
    const int factor = lensReductionFactor(radius, tuning_.minCoarseRadius, tuning_.coarseRadiusScale);
    return plans_[radius] = planLensOnGrid(width_, height_, radius, aperture_,
                                           powerOfTwoFactor(factor, radius, tuning_.minCoarseRadius));
  }

  int width_, height_;
  Aperture aperture_;
  VariableLensTuning tuning_;
  std::map<float, LensPlan> plans_;
};

}  // namespace

Status blendLensLayers(const ImagePlanar& source, const float* map, const RadiusLayers& layers,
                       const Aperture& aperture, const VariableLensTuning& tuning, ImagePlanar& out, int outFrom) {
  LensLayers style(source.width, source.height, aperture, tuning);
  return blendGroupedLayers(source, map, layers, style, out, outFrom);
}

}  // namespace defocus
