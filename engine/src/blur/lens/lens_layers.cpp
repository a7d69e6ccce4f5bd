// The variable-radius lens blur on grouped layers (radius_layers_grouped.h): each layer a
// span gather with its aperture kernel, on the grid its plan chooses.
#include <map>

#include "blur/lens/lens_layers.h"
#include "blur/lens/lens_plan.h"
#include "blur/lens/span_gather.h"
#include "blur/layers/radius_layers_grouped.h"

namespace defocus {
namespace {

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
    return plans_[radius] = planLens(width_, height_, radius, aperture_, tuning_.minCoarseRadius, tuning_.coarseRadiusScale);
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
