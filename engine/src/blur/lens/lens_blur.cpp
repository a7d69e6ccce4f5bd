#include "defocus/lens_blur.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "blur/lens/highlights.h"
#include "blur/lens/lens_layers.h"
#include "blur/lens/lens_plan.h"
#include "blur/lens/span_gather.h"
#include "blur/layers/radius_layers.h"

namespace defocus {
namespace {

void boostHighlights(ImagePlanar& image, const Highlights& h) {
  if (image.channels < 3) return;
  const float* alpha = image.channels == 4 ? image.plane(3) : nullptr;  // premultiplied colour
  boostHighlightsRow(image.plane(0), image.plane(1), image.plane(2), image.planeSize(), h, alpha);
}

// The planes a blur reads: a copy with highlights boosted when they are on (held in
// `copy`), else the input itself; nullptr when the copy fails (copy holds why).
const ImagePlanar* withHighlights(const ImagePlanar& linear, const Highlights& h, Result<ImagePlanar>& copy) {
  if (h.boost <= 0) return &linear;
  copy = copyPlanes(linear);
  if (!copy.ok()) return nullptr;
  boostHighlights(copy.value(), h);
  return &copy.value();
}

// One radius over a whole image, at full or reduced resolution.
class FixedRadiusBlur {
 public:
  FixedRadiusBlur(int width, int height, double radius, const Aperture& aperture)
      : width_(width), height_(height), plan_(planLens(width, height, radius, aperture)) {}

  bool reduced() const { return plan_.factor > 1; }

  bool allocate() {
    const CoarseGrid& g = plan_.grid;
    const int w = reduced() ? g.width : width_, h = reduced() ? g.height : height_;
    gather_ = std::make_unique<SpanGather>(plan_.kernel, w, h);
    if (!gather_->allocate()) return false;
    if (!reduced()) return true;
    return coarse_.resize(g.size()) && blurred_.resize(g.size()) &&
           scratch_.resize(std::max(boxReduceScratch(width_, g), interpolateScratch(g, width_)));
  }

  // Blurs one plane straight to full resolution: rows [from, to) of it into out.
  void run(const float* in, float* out, int from, int to) {
    if (!reduced()) {
      gather_->run(in, out);  // every row (callers at full resolution take every row)
      return;
    }
    boxReduce(in, width_, height_, plan_.grid, coarse_.data(), scratch_.data());
    gather_->run(coarse_.data(), blurred_.data());
    interpolateRows(blurred_.data(), plan_.grid, out, width_, height_, from, to, scratch_.data());
  }

 private:
  int width_, height_;
  LensPlan plan_;
  std::unique_ptr<SpanGather> gather_;
  Buffer<float> coarse_, blurred_, scratch_;
};

}  // namespace

// Radius (in pixels of the grid it runs on) that a blur of `radius` full pixels is given:
// scale sqrt(radius) (scale 1.5 by default), between minCoarseRadius and 16. The reduction
// factor f = ceil(radius / that) then keeps the work per full pixel, (2 radius / f + 1) /
// f^2 span terms, falling as the radius grows, while big discs keep a crisp rim (about
// f = sqrt(radius) / scale pixels wide).
int lensReductionFactor(double radius, double minCoarseRadius, double scale) {
  const double coarseRadius = std::clamp(scale * std::sqrt(radius), minCoarseRadius, 16.0);
  return std::max(1, static_cast<int>(std::ceil(radius / coarseRadius)));
}

LensPlan planLens(int width, int height, double radius, const Aperture& aperture, double minCoarseRadius,
                  double coarseScale) {
  return planLensOnGrid(width, height, radius, aperture, lensReductionFactor(radius, minCoarseRadius, coarseScale));
}

LensPlan planLensOnGrid(int width, int height, double radius, const Aperture& aperture, int factor) {
  LensPlan plan;
  plan.factor = factor;
  plan.grid = boxReduceGrid(width, height, factor, factor == 1 ? 0 : 2 * factor);
  plan.kernel = makeApertureKernel(aperture, radius / factor);
  return plan;
}

Result<ImagePlanar> gatherPlanes(const ImagePlanar& image, const ApertureKernel& kernel) {
  Result<ImagePlanar> out = ImagePlanar::create(image.width, image.height, image.channels);
  if (!out.ok()) return out;
  SpanGather gather(kernel, image.width, image.height);
  if (!gather.allocate()) return outOfMemory("for the lens blur");
  for (int c = 0; c < image.channels; ++c) gather.run(image.plane(c), out.value().plane(c));
  return out;
}

Status checkAperture(const Aperture& a) {
  if (a.blades != 0 && (a.blades < 3 || a.blades > 16)) {
    return invalidArgument("blades must be 0 (circle) or 3..16, got " + std::to_string(a.blades));
  }
  if (!std::isfinite(a.rotationDegrees)) return invalidArgument("rotation must be a finite number of degrees");
  if (!(a.curvature >= 0 && a.curvature <= 1)) return invalidArgument("curvature must be in 0..1");
  return Status::success();
}

Status checkHighlights(const Highlights& h) {
  if (!(h.threshold >= 0 && h.threshold < 1)) return invalidArgument("highlight threshold must be in 0..1 (exclusive)");
  if (!(h.boost >= 0 && h.boost <= 100)) return invalidArgument("highlight boost must be in 0..100");
  return Status::success();
}

Result<ImagePlanar> lensBlur(const ImagePlanar& linear, float radius, const Aperture& aperture,
                             const Highlights& highlights, RowRange rows) {
  for (const Status& s : {checkPlanes(linear), checkAperture(aperture), checkHighlights(highlights)}) {
    if (!s.ok()) return s;
  }
  if (!(radius >= 0 && radius <= kMaxLensRadius)) {
    return invalidArgument("radius must be in 0.." + std::to_string(static_cast<int>(kMaxLensRadius)) + " pixels");
  }
  const int from = std::clamp(rows.from, 0, linear.height), to = std::clamp(rows.end(linear.height), from, linear.height);
  if (radius == 0) return cropPlanes(linear, 0, from, linear.width, to - from);
  Result<ImagePlanar> boosted = Status{};
  const ImagePlanar* source = withHighlights(linear, highlights, boosted);
  if (!source) return boosted;
  FixedRadiusBlur blur(linear.width, linear.height, radius, aperture);
  // On a reduced grid only the rows kept are brought back (a strip's subject layer: its
  // own rows, not its halo); at full resolution every row is made.
  const bool onlyKept = blur.reduced();
  Result<ImagePlanar> out = ImagePlanar::create(linear.width, onlyKept ? to - from : linear.height, linear.channels);
  if (!out.ok()) return out;
  if (!blur.allocate()) return outOfMemory("for the lens blur");
  for (int c = 0; c < linear.channels; ++c) {
    blur.run(source->plane(c), out.value().plane(c), onlyKept ? from : 0, onlyKept ? to : linear.height);
  }
  if (onlyKept || (from == 0 && to == linear.height)) return out;
  return cropPlanes(out.value(), 0, from, linear.width, to - from);
}

Result<ImagePlanar> lensBlurVariable(const ImagePlanar& linear, const float* radiusMap, const Aperture& aperture,
                                     const Highlights& highlights) {
  return lensBlurVariable(linear, radiusMap, aperture, highlights, VariableLensTuning{});
}

Result<ImagePlanar> lensBlurVariable(const ImagePlanar& linear, const float* radiusMap, const Aperture& aperture,
                                     const Highlights& highlights, const VariableLensTuning& tuning,
                                     const uint8_t* needed, RowRange rows) {
  for (const Status& s : {checkPlanes(linear), checkAperture(aperture), checkHighlights(highlights)}) {
    if (!s.ok()) return s;
  }
  if (!radiusMap) return invalidArgument("radius map is missing");
  RadiusLayers layers;
  std::string reason;
  if (!layers.plan(radiusMap, linear.width, linear.height, kMaxLensRadius, tuning.layerRatio, &reason, needed,
                   tuning.layerTop)) {
    return invalidArgument(reason);
  }
  if (layers.constant()) return lensBlur(linear, layers.radius(0), aperture, highlights, rows);
  Result<ImagePlanar> boosted = Status{};
  const ImagePlanar* boostedOrNot = withHighlights(linear, highlights, boosted);
  if (!boostedOrNot) return boosted;
  const ImagePlanar& source = *boostedOrNot;
  int from = 0;
  Result<ImagePlanar> out = zeroedRowsOf(linear, rows, &from);
  if (!out.ok()) return out;
  Status blended = blendLensLayers(source, radiusMap, layers, aperture, tuning, out.value(), from);
  if (!blended.ok()) return blended;
  return out;
}

}  // namespace defocus
