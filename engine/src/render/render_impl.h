// Internal: the state a PortraitRenderer keeps between renders, shared by the whole-image
// path (render.cpp: previews, which fit in memory many times over) and the strip path
// (render_strips.cpp: full-size photos, in bounded memory).
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "defocus/background_fill.h"
#include "defocus/color.h"
#include "defocus/grain.h"
#include "defocus/render.h"
#include "defocus/resample.h"

namespace defocus {

// Below this radius the subject counts as in focus and is not blurred.
constexpr float kSharpRadius = 0.25f;

// F = (I - (1 - a) B) / a, kept non-negative; where a is tiny the estimate is noise and
// the pixel hardly shows, so it takes the background.
inline float foregroundOf(float image, float background, float a) {
  return a < 1e-3f ? background : std::max(0.0f, (image - (1 - a) * background) / a);
}

// dst = subject + (1 - alpha) * background over n pixels (dst may be the background). The
// clamp is written as comparisons: std::clamp's references keep clang from vectorising the
// loop for WebAssembly SIMD (2.8x slower measured).
inline void compositeOver(const float* subject, const float* alpha, const float* background, float* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    float a = alpha[i] > 0.0f ? alpha[i] : 0.0f;
    a = a < 1.0f ? a : 1.0f;
    dst[i] = subject[i] + (1 - a) * background[i];
  }
}

// Linear light of columns [x0, x1) of the photo's row y, into three planes (each written at
// [x0, x1)): the fill's source rows and a sharp subject's rows read only the columns they use.
inline void photoColumnsToLinear(const ImageRGBA8& photo, int y, int x0, int x1, float* const* planes) {
  rgba8RowToLinear(photo.row(y) + 4 * static_cast<size_t>(x0), static_cast<size_t>(x1 - x0), planes[0] + x0,
                   planes[1] + x0, planes[2] + x0);
}

inline bool sameGeometry(const DepthOptions& a, const DepthOptions& b) {
  return a.mode == b.mode && a.startX == b.startX && a.startY == b.startY && a.endX == b.endX && a.endY == b.endY &&
         a.tiltShift == b.tiltShift && a.readFocus == b.readFocus;
}

// kReplace needs a replacement of the photo's size (planes or rows).
Status checkReplacement(const RenderOptions& o, int width, int height);

struct PortraitRenderer::Impl {
  // The photo and matte may be shared with their owner (an engine Photo): not copied. The
  // matte is a float plane or 16 bits (an engine Photo's); `alpha` reads either by rows.
  Impl(std::shared_ptr<const ImageRGBA8> photo, std::shared_ptr<const ImagePlanar> matte)
      : photoHeld(std::move(photo)), matteHeld(std::move(matte)), photo(*photoHeld), alpha(*matteHeld) {}
  Impl(std::shared_ptr<const ImageRGBA8> photo, std::shared_ptr<const Alpha16> matte)
      : photoHeld(std::move(photo)), alphaHeld(std::move(matte)), photo(*photoHeld), alpha(*alphaHeld) {}
  std::shared_ptr<const ImageRGBA8> photoHeld;
  std::shared_ptr<const ImagePlanar> matteHeld;  // given, or made from alphaHeld by needMattePlane
  std::shared_ptr<const Alpha16> alphaHeld;
  const ImageRGBA8& photo;
  AlphaRows alpha;  // the strip path reads the matte through this only
  // The whole-image path works on full planes (previews: ~80 bytes a pixel anyway), the
  // matte's too: the float matte given, or one made from the 16-bit matte on first use.
  Status needMattePlane();
  const ImagePlanar& matte() const { return *matteHeld; }
  ImagePlanar linear;  // whole-image path: made on its first render (or given to createLinear)

  // Whole-image path, prepared on first use and kept: they depend on the photo and matte only.
  std::optional<ImagePlanar> filled;
  std::optional<ImagePlanar> subject[2];  // premultiplied subject layer, [decontaminated]
  std::optional<DepthEstimate> depth;
  DepthOptions depthGeometry;
  const ImagePlanar* depthMapUsed = nullptr;
  // Per pixel, 1 where the sharp subject does not cover it (alpha < 1): the background the
  // render needs when the subject is in focus. Both subject layers share that alpha.
  Buffer<uint8_t> uncoveredBySharpSubject;

  // Strip path: the fill's pyramid from half size down and the depth on its grid; every
  // full-size plane is made a strip at a time.
  std::optional<BackgroundFill> fill;
  std::optional<DepthEstimate> depthGrid;
  std::optional<RowResizer> depthRows;
  DepthOptions depthGridGeometry;
  const ImagePlanar* depthGridMap = nullptr;

  // Per row, the runs of columns [x0, x1) where the matte is 0 (background alone), 1 (the
  // subject alone) or between: with a sharp subject the output packs the background
  // straight, keeps the photo's bytes, or composites, run by run.
  enum class Cover { kNone, kFull, kPartial };
  struct Run {
    int x0, x1;
    Cover cover;
  };
  // A replacement given as rows, made into full planes for the whole-image path (kept while
  // the same rows come back).
  uint64_t replacementFrom = 0;  // ReplacementRows::id()
  ImagePlanar replacementMade;

  std::vector<int> runStart;  // row y: runs[runStart[y] .. runStart[y + 1])
  std::vector<Run> runs;

  void findCoverRuns();
  Status prepare(const RenderOptions& o, const ImagePlanar* depthMap);
  Status prepareStrips(const RenderOptions& o, const ImagePlanar* depthMap);
  // gridPhoto: the photo in linear light on the depth grid, when the focus is read.
  Status prepareDepthGrid(const RenderOptions& o, const ImagePlanar* depthMap, const ImagePlanar* gridPhoto);
  bool usesStrips(const RenderOptions& o) const;
  Result<ImageRGBA8> renderStrips(const RenderOptions& o, const ImagePlanar* depthMap);
  struct StripPlan;  // render_strips.cpp
  Status renderStripRun(const StripPlan& plan, int from, int to);
  Result<ImageRGBA8> renderCutoutStrips(const RenderOptions& o);
  Status prepareFill();
  // Row y of the output from the composited linear planes (or the photo's bytes where a
  // sharp subject covers it). x-runs as in findCoverRuns when keepSubject.
  // A blurred subject (keepSubject false) is zero outside columns [boxX0, boxX1), and its
  // rows hold those columns only (subject[c][0] is column boxX0).
  void packRow(int y, const float* const* background, const float* const* subject, bool keepSubject, int boxX0,
               int boxX1, float* scratch, uint32_t* packed, ImageRGBA8& out) const;
  // Grain matched to the sharp subject's noise on rows [y0, y1) of out, 1 - alpha strong.
  Status addGrainRows(const RenderOptions& o, const NoiseLevel& noise, int y0, int y1, ImageRGBA8& out) const;
};

}  // namespace defocus
