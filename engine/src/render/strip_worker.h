// Internal: one thread's part of a full-size render in strips. render_strips.cpp plans
// the strips (a StripPlan) and shares them out among threads (core/row_runs.h); each thread
// renders its run of strips with a StripWorker, which holds that thread's working planes.
#pragma once

#include <algorithm>

#include "defocus/background_fill.h"
#include "defocus/cutout.h"
#include "defocus/grain.h"
#include "render/render_impl.h"

namespace defocus {

// Strips start on multiples of this many rows, so the reduced grids of big radii (factors
// up to 32) fall on the same rows in every strip as in a whole-image render.
constexpr int kStripAlign = 64;

// The rows strip y0 holds with its halo: [*a, *b), from a multiple of kStripAlign.
inline void stripHolds(int y0, int halo, int stripRows, int height, int* a, int* b) {
  *a = std::max(0, (y0 - halo) / kStripAlign * kStripAlign), *b = std::min(height, std::min(height, y0 + stripRows) + halo);
}

// What every strip of one render shares: worked out once by renderStrips, read by
// renderStripRun (one per thread).
struct PortraitRenderer::Impl::StripPlan {
  const RenderOptions* options = nullptr;
  const ReplacementRows* replacement = nullptr;  // kReplace: the rows behind the subject
  bool replaced = false, blurBackground = true, keepSubject = true, decontaminate = true;
  float maxRadius = 0, focus = 0, subjectRadius = 0;  // the farthest radius, the focal depth, the subject's radius
  // Rows: a strip's halo, its own, the tallest strip with its halo (the planes' size).
  int halo = 0, stripRows = 0, tallest = 0, height = 0;
  int sx0 = 0, sx1 = 0;  // a blurred subject's columns
  NoiseLevel noise;
  ImageRGBA8* out = nullptr;
  void holds(int y0, int* a, int* b) const { stripHolds(y0, halo, stripRows, height, a, b); }
};

using StripPlan = PortraitRenderer::Impl::StripPlan;

// One thread's strips: its working planes, sized once for the tallest strip and reused from
// strip to strip, and the steps that make a strip's own rows of the output.
class StripWorker {
 public:
  StripWorker(PortraitRenderer::Impl& renderer, const StripPlan& plan)
      : r_(renderer), plan_(plan), o_(*plan.options), w_(renderer.photo.width) {}

  Status allocate();
  // The strip starting at row y0: rows [y0, y0 + stripRows) of the output.
  Status render(int y0);

 private:
  Status shapePlanes(int rows);
  Status shapeFor(int a, int rows, int* made);
  void photoRows(int from, int to, float* const* planes) const;
  void subjectRow(int a, int y, const float* alpha, float* const* s, int x0, int x1);
  void sharpSubjectRow(int a, int y, float* const* s);
  // The strip's planes hold the photo's background filled: it is the photo's, and filled.
  bool stripIsFilled() const { return o_.fillBackground && !plan_.replaced; }
  // Else a decontaminated subject's row asks the fill for its background row.
  bool asksFillPerRow() const { return plan_.decontaminate && !stripIsFilled(); }
  void makeRows(int a, int made, int b);
  Result<ImagePlanar> blurSubject(int a, int b, int y0, int y1);
  void markNeeded(int a, int y0, int y1, const ImagePlanar* blurredSubject);
  void packRows(int a, int y0, int y1, const ImagePlanar& background, bool blurred, const ImagePlanar* blurredSubject);

  PortraitRenderer::Impl& r_;
  const StripPlan& plan_;
  const RenderOptions& o_;
  const int w_;
  ImagePlanar source_, subject_, radius_;  // the strip's background, blurred subject layer, radii
  Buffer<uint8_t> needed_;                 // per pixel of the strip: the background shows there
  Buffer<uint32_t> packed_;
  // A row of the photo's linear light, of the sharp subject, of alpha (a 16-bit matte's), scratch.
  Buffer<float> linRow_, subRow_, alphaRow_, row_;
  BackgroundFill::HalfRows half_;  // this thread's rows of the fill's half-size level
  int heldA_ = 0, heldRows_ = 0;   // the rows source and radius hold from the previous strip
};

}  // namespace defocus
