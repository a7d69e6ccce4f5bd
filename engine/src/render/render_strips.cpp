// The full-size render in strips: a strip of rows of the output at a time, each from the
// rows it needs (its own plus a halo as deep as the blur reaches), so a 48 MP photo needs
// the photo, its matte, the fill's half-size pyramid and the output, plus one strip of
// float planes, not the ~80 bytes a pixel of whole-image planes. A cutout is made a row at a
// time (no blur, no halo); a replacement is read a band of rows at a time (ReplacementRows).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <vector>

#include "defocus/color.h"
#include "defocus/cutout.h"
#include "defocus/grain.h"
#include "blur/style_table.h"
#include "render/render_impl.h"
#include "core/row_runs.h"
#include "render/strip_worker.h"

namespace defocus {
namespace {

// Rows of one strip, halo included, are sized to about this many pixels: ~60 bytes each
// of working planes while it is blurred (~180 MB), whatever the photo's size.
constexpr long long kStripPixels = 3'000'000;
// Where the halo alone fills that budget (big photos, strong or Gaussian blurs), a strip
// keeps at least this many rows of its own, not as many as its halo: a strip's own rows
// weigh ~33 bytes a pixel (planes, the blur's output and weights) and the halo grows with
// the photo, so own rows as deep as the halo made the peak grow with it (48 MP: 2/3 of
// the strip). 192 rows, not fewer: 128 saved ~0.5 byte a pixel more but re-reads the halo
// more often (48 MP in wasm, second render: lens +20%, strength 100 +36%); with 192 the
// renders stayed within the machine's noise (-6% .. +7%).
constexpr int kMinStripRows = 192;

// Rows above and below a strip that its blur reads: the style's reach (a disc or streak
// reaches its radius, the lens's layers up to 1.25 times it; a Gaussian of sigma = radius / 2
// is taken to 4 sigma), plus the reduced grids' interpolation support.
int haloRows(const BlurOptions& blur, double radius) {
  return static_cast<int>(std::ceil(blurReach(blur) * radius)) + 32;
}

int roundUp(int v, int step) { return (v + step - 1) / step * step; }


// Columns [*x0, *x1) that hold every pixel of alpha > 0 (all when there is none).
void subjectColumns(const AlphaRows& matte, int* x0, int* x1) {
  const int w = matte.width();
  int lo = w, hi = 0;
  std::vector<float> scratch(w);
  for (int y = 0; y < matte.height(); ++y) {
    const float* a = matte.row(y, scratch.data());
    for (int x = 0; x < lo; ++x) {
      if (a[x] > 0) {
        lo = x;
        break;
      }
    }
    for (int x = w - 1; x >= hi; --x) {
      if (a[x] > 0) {
        hi = x + 1;
        break;
      }
    }
  }
  *x0 = lo < hi ? lo : 0, *x1 = lo < hi ? hi : w;
}


}  // namespace


bool PortraitRenderer::Impl::usesStrips(const RenderOptions& o) const {
  if (o.stripRows != 0) return o.stripRows > 0;
  return static_cast<long long>(photo.width) * photo.height > kWholeRenderPixels;
}

Status PortraitRenderer::Impl::prepareFill() {
  const int w = photo.width, h = photo.height;
  if (!fill) {
    Result<BackgroundFill> f = BackgroundFill::build(
        w, h, 3,
        [this](int y, int x0, int x1, float* const* planes) {  // kept by the fill: nothing by reference
          photoColumnsToLinear(photo, y, x0, x1, planes);
        },
        alpha);
    if (!f.ok()) return f.status();
    fill = f.take();
  }
  return Status::success();
}

// The fill's levels, the cover runs and the depth grid, each made once per photo (and
// geometry): they read only the photo and the matte, so on two threads where the render has
// two. The depth grid is the longest (reading the focus needs the photo in linear light on
// its grid, then the estimate), so that photo is made first on both threads, then the grid
// on one while the fill and the cover runs are made on the other.
Status PortraitRenderer::Impl::prepareStrips(const RenderOptions& o, const ImagePlanar* depthMap) {
  const bool makeFill = o.fillBackground && !fill;
  const bool makeDepth = !depthGrid || !sameGeometry(depthGridGeometry, o.depth) ||
                         (o.depth.mode == DepthMode::kMap && depthGridMap != depthMap);
  std::optional<ImagePlanar> gridPhoto;
  if (makeDepth && o.depth.readFocus && o.depth.mode == DepthMode::kAuto) {
    int gw, gh;
    depthGridSize(photo.width, photo.height, &gw, &gh);
    Result<ImagePlanar> p = resizeBytesToPlanes(photo, gw, gh, srgb8ToLinearTable(), o.threads);
    if (!p.ok()) return p.status();
    gridPhoto = p.take();
  }
  // The cover runs serve a sharp subject, the usual render; made here they cost no wait.
  const auto fillAndCoverRuns = [&] {
    Status ok = makeFill ? prepareFill() : Status::success();
    if (ok.ok()) findCoverRuns();
    return ok;
  };
  const bool sideWork = makeFill || runStart.empty();
  return runRowRuns(2, 1, sideWork && makeDepth ? o.threads : 1, "out of memory for the render", [&](int from, int to) {
    for (int k = from; k < to; ++k) {
      Status ok = k == 0 ? fillAndCoverRuns()
                         : (makeDepth ? prepareDepthGrid(o, depthMap, gridPhoto ? &*gridPhoto : nullptr) : Status::success());
      if (!ok.ok()) return ok;
    }
    return Status::success();
  });
}

Status PortraitRenderer::Impl::prepareDepthGrid(const RenderOptions& o, const ImagePlanar* depthMap,
                                                const ImagePlanar* gridPhoto) {
  const int w = photo.width, h = photo.height;
  depthGrid.reset(), depthRows.reset();
  // The grid's matte is an area average of the matte: a 16-bit matte's made from its rows
  // (its full-size float plane was 48 MB at 12 MP), or the matte itself at the grid's size.
  std::optional<ImagePlanar> madePlane;
  if (!matteHeld) {
    int gw, gh;
    depthGridSize(w, h, &gw, &gh);
    Result<ImagePlanar> m = gw == w && gh == h ? alphaHeld->toPlane() : resizeAlphaRows(alpha, gw, gh);
    if (!m.ok()) return m.status();
    madePlane = m.take();
  }
  Result<DepthEstimate> d = estimateDepthOnGrid(madePlane ? *madePlane : *matteHeld, o.depth, depthMap, gridPhoto);
  if (!d.ok()) return d.status();
  Result<RowResizer> rows = RowResizer::create(d.value().background, w, h, UpscaleKernel::kBilinear);
  if (!rows.ok()) return rows.status();
  depthGrid = d.take();
  depthRows = rows.take();
  depthGridGeometry = o.depth;
  depthGridMap = depthMap;
  return Status::success();
}

Status PortraitRenderer::Impl::addGrainRows(const RenderOptions& o, const NoiseLevel& noise, int y0, int y1,
                                            ImageRGBA8& out) const {
  Buffer<float> weight;
  if (!weight.resize(static_cast<size_t>(photo.width) * (y1 - y0))) return outOfMemory("for the render");
  for (int y = y0; y < y1; ++y) {
    float* wy = weight.data() + static_cast<size_t>(y - y0) * photo.width;
    const float* a = alpha.row(y, wy);  // may be wy itself: each value is read before it is written
    for (int x = 0; x < photo.width; ++x) wy[x] = 1.0f - std::clamp(a[x], 0.0f, 1.0f);
  }
  addGrainToRows(out, y0, y1, weight.data(), noise, o.grainSeed);
  return Status::success();
}

// The cutout a row at a time: cutoutFromLayer's pixels from the subject layer's row,
// which needs no blur, so no halo and no full-size planes.
Result<ImageRGBA8> PortraitRenderer::Impl::renderCutoutStrips(const RenderOptions& o) {
  const bool decontaminate = o.decontaminate && o.fillBackground;
  if (decontaminate) {
    Status ok = prepareFill();
    if (!ok.ok()) return ok;
  }
  const int w = photo.width, h = photo.height;
  Result<ImageRGBA8> out = ImageRGBA8::create(w, h);
  if (!out.ok()) return out;
  Buffer<float> rows;
  if (!rows.resize(7 * static_cast<size_t>(w))) return outOfMemory("for the render");
  float* lin[3] = {rows.data(), rows.data() + w, rows.data() + 2 * static_cast<size_t>(w)};
  float* bg[3] = {lin[2] + w, lin[2] + 2 * static_cast<size_t>(w), lin[2] + 3 * static_cast<size_t>(w)};
  for (int y = 0; y < h; ++y) {
    const uint8_t* src = photo.row(y);
    uint8_t* dst = out.value().row(y);
    const float* alpha = this->alpha.row(y, bg[2] + w);
    rgba8RowToLinear(src, w, lin[0], lin[1], lin[2]);
    if (decontaminate) {
      const float* in[3] = {lin[0], lin[1], lin[2]};
      fill->rows(y, y + 1, this->alpha, in, bg);
    }
    for (int x = 0; x < w; ++x, src += 4, dst += 4) {
      const float a = std::clamp(alpha[x], 0.0f, 1.0f);
      if (a >= 1.0f) {
        std::memcpy(dst, src, 4);
      } else if (a <= 0.0f) {
        std::memset(dst, 0, 4);
      } else {
        for (int c = 0; c < 3; ++c) {
          const float s = a * (decontaminate ? foregroundOf(lin[c][x], bg[c][x], a) : lin[c][x]);  // the layer's a * F
          dst[c] = linearToSrgb8(s / a);
        }
        dst[3] = static_cast<uint8_t>(std::lround(a * src[3]));
      }
    }
  }
  return out;
}

Result<ImageRGBA8> PortraitRenderer::Impl::renderStrips(const RenderOptions& o, const ImagePlanar* depthMap) {
  if (o.background == BackgroundMode::kTransparent) return renderCutoutStrips(o);
  Status ok = checkBlurOptions(o.blur);
  if (!ok.ok()) return ok;
  ok = checkReplacement(o, photo.width, photo.height);
  if (!ok.ok()) return ok;
  // A replacement instead of the photo's background: read by rows, blurred only when asked.
  const bool replaced = o.background == BackgroundMode::kReplace;
  const bool blurBackground = !replaced || o.blurReplacement;
  std::optional<ReplacementRows> wrapped;
  if (replaced && o.replacement) wrapped = ReplacementRows::planes(*o.replacement);
  const ReplacementRows* replacement = wrapped ? &*wrapped : o.replacementRows;
  ok = prepareStrips(o, depthMap);
  if (!ok.ok()) return ok;
  const int w = photo.width, h = photo.height;
  const BlurOptions& blur = o.blur;
  // The focal plane and the subject's radius, as radiiFromDepth gives them.
  const float maxRadius = static_cast<float>(blurRadiusForStrength(blur.strength, w, h));
  float focus = depthGrid->subject;
  if (o.depth.focusX >= 0 && o.depth.focusY >= 0) {
    Buffer<float> depthRow;
    if (!depthRow.resize(static_cast<size_t>(w))) return outOfMemory("for the render");
    const int fx = std::clamp(static_cast<int>(o.depth.focusX * w), 0, w - 1);
    const int fy = std::clamp(static_cast<int>(o.depth.focusY * h), 0, h - 1);
    depthRows->rows(fy, fy + 1, depthRow.data());
    const float a = std::clamp(alpha.at(fx, fy), 0.0f, 1.0f);
    focus = a * depthGrid->subject + (1 - a) * depthRow[fx];
  }
  const float subjectRadius = radiusAtDepth(depthGrid->subject, focus, maxRadius);
  const bool keepSubject = subjectRadius < kSharpRadius;
  const bool decontaminate = o.decontaminate && o.fillBackground;

  // A blurred subject is a layer over the columns its pixels and its blur's reach span (zero
  // beyond; the Gaussian's 5 sigma covers every style's reach), from a multiple of
  // kStripAlign as the strips' rows, so the reduced grids' cells fall where the whole
  // image's do. 16 bytes a pixel of the strip (and of its halo) fewer outside.
  int sx0 = 0, sx1 = w;
  if (!keepSubject) {
    subjectColumns(alpha, &sx0, &sx1);
    const int margin = static_cast<int>(std::ceil(2.5 * subjectRadius)) + 32;
    sx0 = std::max(0, sx0 - margin) / kStripAlign * kStripAlign, sx1 = std::min(w, sx1 + margin);
  }
  // Rows beyond the strip are read only by a blur: the background's or the subject's.
  const int halo = blurBackground || !keepSubject ? haloRows(blur, maxRadius) : 0;
  int stripRows = o.stripRows > 0 ? o.stripRows
                                  : roundUp(std::max<long long>(kMinStripRows, kStripPixels / w - 2 * halo), kStripAlign);
  stripRows = std::clamp(stripRows, 1, h);

  Result<ImageRGBA8> out = ImageRGBA8::create(w, h);
  if (!out.ok()) return out;
  const NoiseLevel noise = o.grain ? estimateNoise(photo, alpha) : NoiseLevel{};  // the sharp subject's noise
  // The strips' planes sized once for the tallest strip: growing them later (a realloc)
  // would hold the old and the new planes at once where the allocator cannot grow in place
  // (WebAssembly's dlmalloc), and keepOverlap needs their contents kept.
  int tallest = 0;
  for (int y0 = 0; y0 < h; y0 += stripRows) {
    int a, b;
    stripHolds(y0, halo, stripRows, h, &a, &b);
    tallest = std::max(tallest, b - a);
  }

  StripPlan plan;
  plan.options = &o, plan.replacement = replacement;
  plan.replaced = replaced, plan.blurBackground = blurBackground, plan.keepSubject = keepSubject,
  plan.decontaminate = decontaminate;
  plan.maxRadius = maxRadius, plan.focus = focus, plan.subjectRadius = subjectRadius;
  plan.halo = halo, plan.stripRows = stripRows, plan.tallest = tallest, plan.height = h;
  plan.sx0 = sx0, plan.sx1 = sx1;
  plan.noise = noise;
  plan.out = &out.value();
  Status rendered = runRowRuns(h, stripRows, o.threads, "out of memory for the render",
                               [&](int from, int to) { return renderStripRun(plan, from, to); });
  if (!rendered.ok()) return rendered;
  return out;
}

// The strips from row `from` to row `to` (strip starts), in order, with working planes of
// their own (strip_worker.h): one thread's share of the photo (core/row_runs.h).
Status PortraitRenderer::Impl::renderStripRun(const StripPlan& plan, int from, int to) {
  StripWorker worker(*this, plan);
  Status ok = worker.allocate();
  for (int y0 = from; ok.ok() && y0 < to; y0 += plan.stripRows) ok = worker.render(y0);
  return ok;
}

}  // namespace defocus
