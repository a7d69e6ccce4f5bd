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
#include "render/strip_runs.h"

namespace defocus {
namespace {

// Strips start on multiples of this many rows, so the reduced grids of big radii (factors
// up to 32) fall on the same rows in every strip as in a whole-image render.
constexpr int kStripAlign = 64;
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

// The rows strip y0 holds with its halo: [*a, *b), from a multiple of kStripAlign.
void stripHolds(int y0, int halo, int stripRows, int height, int* a, int* b) {
  *a = std::max(0, (y0 - halo) / kStripAlign * kStripAlign), *b = std::min(height, std::min(height, y0 + stripRows) + halo);
}

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

// A planar image whose planes are reused from strip to strip (sized for the largest).
Status shape(ImagePlanar& image, int width, int height, int channels) {
  image.width = width, image.height = height, image.channels = channels;
  return image.samples.resize(static_cast<size_t>(width) * height * channels) ? Status::success() : outOfMemory("for the render");
}

// A strip's planes after shape(): the previous strip's held rows [oldA, oldA + oldRows) in
// their old layout (shape() changes the size, never the contents). The rows both strips
// need (the previous strip's lower halo and more) are moved to their new places rather
// than made again; returns the first row still to make. Strips only move down (newA >= oldA).
int keepOverlap(ImagePlanar& image, int oldA, int oldRows, int newA, int newRows) {
  const int end = std::min(oldA + oldRows, newA + newRows);
  if (oldRows <= 0 || newA < oldA || end <= newA) return newA;
  const size_t w = static_cast<size_t>(image.width), count = static_cast<size_t>(end - newA) * w;
  float* base = image.samples.data();
  // Planes in the order that never overwrites a plane not moved yet.
  const auto move = [&](int c) {
    std::memmove(base + c * w * newRows, base + c * w * oldRows + static_cast<size_t>(newA - oldA) * w, count * sizeof(float));
  };
  if (newRows <= oldRows) {
    for (int c = 0; c < image.channels; ++c) move(c);
  } else {
    for (int c = image.channels - 1; c >= 0; --c) move(c);
  }
  return end;
}

}  // namespace

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

bool PortraitRenderer::Impl::usesStrips(const RenderOptions& o) const {
  if (o.stripRows != 0) return o.stripRows > 0;
  return static_cast<long long>(photo.width) * photo.height > kWholeRenderPixels;
}

Status PortraitRenderer::Impl::prepareFill() {
  const int w = photo.width, h = photo.height;
  if (!fill) {
    const float* const lut = srgb8ToLinearTable();
    Result<BackgroundFill> f = BackgroundFill::build(
        w, h, 3,
        [this, w, lut](int y, float* const* planes) {  // kept by the fill: nothing by reference
          const uint8_t* px = photo.row(y);
          for (int x = 0; x < w; ++x) {
            planes[0][x] = lut[px[4 * x]], planes[1][x] = lut[px[4 * x + 1]], planes[2][x] = lut[px[4 * x + 2]];
          }
        },
        alpha);
    if (!f.ok()) return f.status();
    fill = f.take();
  }
  return Status::success();
}

Status PortraitRenderer::Impl::prepareStrips(const RenderOptions& o, const ImagePlanar* depthMap) {
  const int w = photo.width, h = photo.height;
  if (o.fillBackground) {
    Status ok = prepareFill();
    if (!ok.ok()) return ok;
  }
  if (!depthGrid || !sameGeometry(depthGridGeometry, o.depth) || (o.depth.mode == DepthMode::kMap && depthGridMap != depthMap)) {
    depthGrid.reset(), depthRows.reset();
    // Reading the photo's focus needs its linear light on the depth grid: made from the bytes.
    std::optional<ImagePlanar> gridPhoto;
    if (o.depth.readFocus && o.depth.mode == DepthMode::kAuto) {
      int gw, gh;
      depthGridSize(w, h, &gw, &gh);
      Result<ImagePlanar> p = resizeBytesToPlanes(photo, gw, gh, srgb8ToLinearTable());
      if (!p.ok()) return p.status();
      gridPhoto = p.take();
    }
    // The grid's matte is an area average of a float plane: a 16-bit matte's made for it a
    // moment, before the render's output and strips exist (under the render's peak).
    std::optional<ImagePlanar> madePlane;
    if (!matteHeld) {
      Result<ImagePlanar> m = alphaHeld->toPlane();
      if (!m.ok()) return m.status();
      madePlane = m.take();
    }
    Result<DepthEstimate> d = estimateDepthOnGrid(madePlane ? *madePlane : *matteHeld, o.depth, depthMap,
                                                  gridPhoto ? &*gridPhoto : nullptr);
    if (!d.ok()) return d.status();
    Result<RowResizer> rows = RowResizer::create(d.value().background, w, h, UpscaleKernel::kBilinear);
    if (!rows.ok()) return rows.status();
    depthGrid = d.take();
    depthRows = rows.take();
    depthGridGeometry = o.depth;
    depthGridMap = depthMap;
  }
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
  const float* lut = srgb8ToLinearTable();
  for (int y = 0; y < h; ++y) {
    const uint8_t* src = photo.row(y);
    uint8_t* dst = out.value().row(y);
    const float* alpha = this->alpha.row(y, bg[2] + w);
    for (int x = 0; x < w; ++x) lin[0][x] = lut[src[4 * x]], lin[1][x] = lut[src[4 * x + 1]], lin[2][x] = lut[src[4 * x + 2]];
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
  if (keepSubject) findCoverRuns();
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
  Status rendered = renderStripRuns(h, stripRows, o.threads, [&](int from, int to) { return renderStripRun(plan, from, to); });
  if (!rendered.ok()) return rendered;
  return out;
}

// The strips from row `from` to row `to` (strip starts), in order, with working planes of
// their own: one thread's share of the photo (strip_runs.h).
Status PortraitRenderer::Impl::renderStripRun(const StripPlan& plan, int from, int to) {
  const RenderOptions& o = *plan.options;
  const BlurOptions& blur = o.blur;
  const ReplacementRows* replacement = plan.replacement;
  const bool replaced = plan.replaced, blurBackground = plan.blurBackground, keepSubject = plan.keepSubject,
             decontaminate = plan.decontaminate;
  const float maxRadius = plan.maxRadius, focus = plan.focus, subjectRadius = plan.subjectRadius;
  const int w = photo.width, h = photo.height, stripRows = plan.stripRows, tallest = plan.tallest;
  const int sx0 = plan.sx0, sx1 = plan.sx1, sw = sx1 - sx0;
  const NoiseLevel& noise = plan.noise;
  ImageRGBA8& out = *plan.out;
  const float* lut = srgb8ToLinearTable();
  ImagePlanar source, subject, radius;
  Buffer<uint8_t> needed;
  Buffer<uint32_t> packed;
  // A row of the photo's linear light, of the sharp subject, of alpha (a 16-bit matte's), scratch.
  Buffer<float> linRow, subRow, alphaRow, row;
  if (!packed.resize(w) || !linRow.resize(3 * static_cast<size_t>(w)) || !subRow.resize(4 * static_cast<size_t>(w)) ||
      !alphaRow.resize(w) || !row.resize(3 * static_cast<size_t>(w))) {
    return outOfMemory("for the render");
  }
  for (const Status& s : {shape(source, w, tallest, 3), shape(subject, sw, keepSubject ? 0 : tallest, 4), shape(radius, w, tallest, 1)}) {
    if (!s.ok()) return s;
  }
  if (!needed.resize(static_cast<size_t>(tallest) * w)) return outOfMemory("for the render");
  Result<BackgroundFill::HalfRows> half = fill ? fill->halfRows() : Result<BackgroundFill::HalfRows>(BackgroundFill::HalfRows{});
  if (!half.ok()) return half.status();

  int heldA = 0, heldRows = 0;  // the rows source and radius hold from the previous strip
  for (int y0 = from; y0 < to; y0 += stripRows) {
    const int y1 = std::min(h, y0 + stripRows);
    int a, b;
    plan.holds(y0, &a, &b);
    const int rows = b - a;
    const size_t n = static_cast<size_t>(rows) * w;
    // A blurred subject is a layer over the strip and its halo; a sharp one is made a row at a
    // time as it is packed (16 bytes a pixel of the strip's rows saved).
    for (const Status& s : {shape(source, w, rows, 3), shape(subject, sw, keepSubject ? 0 : rows, 4), shape(radius, w, rows, 1)}) {
      if (!s.ok()) return s;
    }
    if (!needed.resize(n)) return outOfMemory("for the render");
    // Rows [a, made) come from the previous strip (its filled background and radii); the rest
    // are made here. (Made again, the halo was a third of a 12 MP strip's rows, two thirds at 48 MP.)
    const int made = keepOverlap(source, heldA, heldRows, a, rows);
    keepOverlap(radius, heldA, heldRows, a, rows);  // the same rows: shaped alike
    heldA = a, heldRows = rows;
    const size_t madeAt = static_cast<size_t>(made - a) * w;
    // Linear light of the photo's rows, or the replacement's.
    const auto photoRows = [&](int from, int to, float* const* planes) {
      for (int y = from; y < to; ++y) {
        const uint8_t* px = photo.row(y);
        const size_t at = static_cast<size_t>(y - from) * w;
        float* r = planes[0] + at;
        float* g = planes[1] + at;
        float* bl = planes[2] + at;
        for (int x = 0; x < w; ++x) r[x] = lut[px[4 * x]], g[x] = lut[px[4 * x + 1]], bl[x] = lut[px[4 * x + 2]];
      }
    };
    // Columns [x0, x1) of row y of the premultiplied subject (into s[c][0 .. x1 - x0)),
    // decontaminated against the filled background: the strip's own filled rows when it
    // holds them (the fill was a fifth of a strip's time, and asking it twice for the same
    // rows half of that), else asked for.
    const bool stripIsFilled = o.fillBackground && !replaced;
    const auto subjectRow = [&](int y, float* const* s, int x0, int x1) {
      float* lin[3] = {linRow.data(), linRow.data() + w, linRow.data() + 2 * static_cast<size_t>(w)};
      photoRows(y, y + 1, lin);
      float* made[3] = {row.data(), row.data() + w, row.data() + 2 * static_cast<size_t>(w)};
      const size_t at = static_cast<size_t>(y - a) * w;
      const float* bg[3] = {made[0], made[1], made[2]};
      if (decontaminate && stripIsFilled) {
        for (int c = 0; c < 3; ++c) bg[c] = source.plane(c) + at;
      } else if (decontaminate) {
        const float* in[3] = {lin[0], lin[1], lin[2]};
        fill->rows(y, y + 1, this->alpha, in, made, half.value());
      }
      const float* alpha = this->alpha.row(y, alphaRow.data());
      for (int c = 0; c < 3; ++c) {
        for (int x = x0; x < x1; ++x) {
          const float al = std::clamp(alpha[x], 0.0f, 1.0f);
          s[c][x - x0] = al * (decontaminate && al < 1.0f ? foregroundOf(lin[c][x], bg[c][x], al) : lin[c][x]);
        }
      }
      for (int x = x0; x < x1; ++x) s[3][x - x0] = std::clamp(alpha[x], 0.0f, 1.0f);
    };
    {
      float* planes[3] = {source.plane(0) + madeAt, source.plane(1) + madeAt, source.plane(2) + madeAt};
      if (replaced) {
        replacement->rows(made, b, planes);
      } else {
        photoRows(made, b, planes);
      }
    }
    // The background: filled in place, blurred by each pixel's radius.
    if (stripIsFilled && made < b) {
      const float* lin[3] = {source.plane(0) + madeAt, source.plane(1) + madeAt, source.plane(2) + madeAt};
      float* to[3] = {source.plane(0) + madeAt, source.plane(1) + madeAt, source.plane(2) + madeAt};
      fill->rows(made, b, alpha, lin, to, half.value());
    }
    if (!keepSubject) {
      for (int y = a; y < b; ++y) {
        const size_t to = static_cast<size_t>(y - a) * sw;
        float* s[4] = {subject.plane(0) + to, subject.plane(1) + to, subject.plane(2) + to, subject.plane(3) + to};
        subjectRow(y, s, sx0, sx1);
      }
    }
    depthRows->rows(made, b, radius.plane(0) + madeAt);
    float* rad = radius.plane(0);
    for (size_t i = madeAt; i < n; ++i) rad[i] = radiusAtDepth(rad[i], focus, maxRadius);
    Result<ImagePlanar> blurredSubject = Status{};
    if (!keepSubject) {
      // Only the strip's own rows are made.
      blurredSubject = blurLinearAtRadiusInFrame(subject, BlurFrame::crop(sx0, a, w, h).keepingRows(y0 - a, y1 - a),
                                                 subjectRadius, blur);
      if (!blurredSubject.ok()) return blurredSubject.status();
    }
    // Only the strip's own rows are kept, and there only what the subject does not cover.
    std::memset(needed.data(), 0, n);
    for (int y = y0; y < y1; ++y) {
      uint8_t* need = needed.data() + static_cast<size_t>(y - a) * w;
      if (keepSubject) {
        const float* al = alpha.row(y, alphaRow.data());
        for (int x = 0; x < w; ++x) need[x] = std::clamp(al[x], 0.0f, 1.0f) < 1.0f;
        continue;
      }
      const float* al = blurredSubject.value().plane(3) + static_cast<size_t>(y - y0) * sw;
      std::memset(need, 1, static_cast<size_t>(w));  // outside the layer's columns: no subject
      for (int x = sx0; x < sx1; ++x) need[x] = std::clamp(al[x - sx0], 0.0f, 1.0f) < 1.0f;
    }
    Result<ImagePlanar> background = Status{};
    if (blurBackground) {
      // Only the strip's own rows are made: its halo is read, not kept.
      background = blurLinearVariableInFrame(source, BlurFrame::crop(0, a, w, h).keepingRows(y0 - a, y1 - a), radius.plane(0),
                                             blur, needed.data());
      if (!background.ok()) return background.status();
    }
    for (int y = y0; y < y1; ++y) {
      const size_t at = static_cast<size_t>(y - a) * w;
      const ImagePlanar& bgp = blurBackground ? background.value() : source;
      const size_t bgAt = blurBackground ? static_cast<size_t>(y - y0) * w : at;  // the blur keeps the strip's rows only
      const float* bg[3] = {bgp.plane(0) + bgAt, bgp.plane(1) + bgAt, bgp.plane(2) + bgAt};
      float* made[4] = {subRow.data(), subRow.data() + w, subRow.data() + 2 * static_cast<size_t>(w),
                        subRow.data() + 3 * static_cast<size_t>(w)};
      if (keepSubject) subjectRow(y, made, 0, w);
      const ImagePlanar* layer = keepSubject ? nullptr : &blurredSubject.value();
      const float* sub[4];
      for (int c = 0; c < 4; ++c) sub[c] = layer ? layer->plane(c) + static_cast<size_t>(y - y0) * sw : made[c];
      packRow(y, bg, sub, keepSubject, sx0, sx1, row.data(), packed.data(), out);
    }
    if (o.grain) {
      Status added = addGrainRows(o, noise, y0, y1, out);
      if (!added.ok()) return added;
    }
  }
  return Status::success();
}

}  // namespace defocus
