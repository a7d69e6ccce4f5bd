// A thread's strips of a full-size render (strip_worker.h): each strip's background, radii
// and subject made from the rows it holds, blurred, and packed into its own output rows.
#include "render/strip_worker.h"

#include <algorithm>
#include <cstring>

#include "defocus/color.h"
#include "blur/style_table.h"

namespace defocus {
namespace {

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

Status StripWorker::allocate() {
  const size_t w = static_cast<size_t>(w_);
  if (!packed_.resize(w) || !linRow_.resize(3 * w) || !subRow_.resize(4 * w) || !alphaRow_.resize(w) ||
      !row_.resize(3 * w)) {
    return outOfMemory("for the render");
  }
  Status shaped = shapePlanes(plan_.tallest);
  if (!shaped.ok()) return shaped;
  if (r_.fill) {
    Result<BackgroundFill::HalfRows> half = r_.fill->halfRows();
    if (!half.ok()) return half.status();
    half_ = half.take();
  }
  return Status::success();
}

// The planes and the needed mask shaped for `rows` rows. A blurred subject is a layer over
// the strip and its halo; a sharp one is made a row at a time as it is packed (16 bytes a
// pixel of the strip's rows saved).
Status StripWorker::shapePlanes(int rows) {
  const int sw = plan_.sx1 - plan_.sx0;
  for (const Status& s : {shape(source_, w_, rows, 3), shape(subject_, sw, plan_.keepSubject ? 0 : rows, 4),
                          shape(radius_, w_, rows, 1)}) {
    if (!s.ok()) return s;
  }
  return needed_.resize(static_cast<size_t>(rows) * w_) ? Status::success() : outOfMemory("for the render");
}

// The planes shaped for the strip's rows [a, a + rows); *made: the first row still to make
// (the rows before it were the previous strip's, its filled background and radii).
Status StripWorker::shapeFor(int a, int rows, int* made) {
  Status shaped = shapePlanes(rows);
  if (!shaped.ok()) return shaped;
  // (Made again, the halo was a third of a 12 MP strip's rows, two thirds at 48 MP.)
  *made = keepOverlap(source_, heldA_, heldRows_, a, rows);
  keepOverlap(radius_, heldA_, heldRows_, a, rows);  // the same rows: shaped alike
  heldA_ = a, heldRows_ = rows;
  return Status::success();
}

// Linear light of the photo's rows [from, to) into planes (row `from` at their start).
void StripWorker::photoRows(int from, int to, float* const* planes) const {
  for (int y = from; y < to; ++y) {
    const size_t at = static_cast<size_t>(y - from) * w_;
    rgba8RowToLinear(r_.photo.row(y), w_, planes[0] + at, planes[1] + at, planes[2] + at);
  }
}

// Columns [x0, x1) of row y of the premultiplied subject (into s[c][0 .. x1 - x0)),
// decontaminated against the filled background: the strip's own filled rows when it holds
// them (the fill was a fifth of a strip's time, and asking it twice for the same rows half
// of that), else asked for. a: the strip's first held row; alpha: row y of the matte.
void StripWorker::subjectRow(int a, int y, const float* alpha, float* const* s, int x0, int x1) {
  const size_t w = static_cast<size_t>(w_);
  float* lin[3] = {linRow_.data(), linRow_.data() + w, linRow_.data() + 2 * w};
  float* made[3] = {row_.data(), row_.data() + w, row_.data() + 2 * w};
  const size_t at = static_cast<size_t>(y - a) * w;
  const float* bg[3] = {made[0], made[1], made[2]};
  const bool fillAsked = asksFillPerRow();
  // The photo's linear light of the columns used (of the whole row where the fill reads it).
  const int from = fillAsked ? 0 : x0, to = fillAsked ? w_ : x1;
  photoColumnsToLinear(r_.photo, y, from, to, lin);
  if (plan_.decontaminate && stripIsFilled()) {
    for (int c = 0; c < 3; ++c) bg[c] = source_.plane(c) + at;
  } else if (fillAsked) {
    const float* in[3] = {lin[0], lin[1], lin[2]};
    r_.fill->rows(y, y + 1, r_.alpha, in, made, half_);
  }
  for (int c = 0; c < 3; ++c) {
    for (int x = x0; x < x1; ++x) {
      const float al = std::clamp(alpha[x], 0.0f, 1.0f);
      s[c][x - x0] = al * (plan_.decontaminate && al < 1.0f ? foregroundOf(lin[c][x], bg[c][x], al) : lin[c][x]);
    }
  }
  for (int x = x0; x < x1; ++x) s[3][x - x0] = std::clamp(alpha[x], 0.0f, 1.0f);
}

// Row y of a sharp subject into s, at the columns packRow composites it (the runs where the
// matte is between 0 and 1): it copies the photo where the matte is 1 and packs the
// background alone where it is 0, so the subject is not made there (made for the whole row,
// it was 9% of a 12 MP render's time in perf). Where the fill is asked for a row at a time,
// once for the columns from the first such run to the last.
void StripWorker::sharpSubjectRow(int a, int y, float* const* s) {
  using Cover = PortraitRenderer::Impl::Cover;
  const int first = r_.runStart[y], end = r_.runStart[y + 1];
  int x0 = w_, x1 = 0;
  for (int k = first; k < end; ++k) {
    if (r_.runs[k].cover == Cover::kPartial) x0 = std::min(x0, r_.runs[k].x0), x1 = std::max(x1, r_.runs[k].x1);
  }
  if (x0 >= x1) return;
  const float* alpha = r_.alpha.row(y, alphaRow_.data());
  const auto columns = [&](int c0, int c1) {
    float* at[4] = {s[0] + c0, s[1] + c0, s[2] + c0, s[3] + c0};
    subjectRow(a, y, alpha, at, c0, c1);
  };
  if (asksFillPerRow()) return columns(x0, x1);
  for (int k = first; k < end; ++k) {
    if (r_.runs[k].cover == Cover::kPartial) columns(r_.runs[k].x0, r_.runs[k].x1);
  }
}

// Rows [made, b) of the strip held from row a: the background (the photo's linear light,
// filled in place, or the replacement's) and each pixel's blur radius.
void StripWorker::makeRows(int a, int made, int b) {
  const size_t madeAt = static_cast<size_t>(made - a) * w_;
  float* planes[3] = {source_.plane(0) + madeAt, source_.plane(1) + madeAt, source_.plane(2) + madeAt};
  if (plan_.replaced) {
    plan_.replacement->rows(made, b, planes);
  } else {
    photoRows(made, b, planes);
  }
  if (stripIsFilled() && made < b) {
    const float* lin[3] = {planes[0], planes[1], planes[2]};
    r_.fill->rows(made, b, r_.alpha, lin, planes, half_);
  }
  r_.depthRows->rows(made, b, radius_.plane(0) + madeAt);
  float* rad = radius_.plane(0);
  const size_t n = static_cast<size_t>(b - a) * w_;
  for (size_t i = madeAt; i < n; ++i) rad[i] = radiusAtDepth(rad[i], plan_.focus, plan_.maxRadius);
}

// A blurred subject: its layer over the strip's rows [a, b), blurred at the subject's radius;
// only rows [y0, y1) are made.
Result<ImagePlanar> StripWorker::blurSubject(int a, int b, int y0, int y1) {
  const int sw = plan_.sx1 - plan_.sx0;
  for (int y = a; y < b; ++y) {
    const size_t to = static_cast<size_t>(y - a) * sw;
    float* s[4] = {subject_.plane(0) + to, subject_.plane(1) + to, subject_.plane(2) + to, subject_.plane(3) + to};
    subjectRow(a, y, r_.alpha.row(y, alphaRow_.data()), s, plan_.sx0, plan_.sx1);
  }
  return blurLinearAtRadiusInFrame(subject_, BlurFrame::crop(plan_.sx0, a, w_, plan_.height).keepingRows(y0 - a, y1 - a),
                                   plan_.subjectRadius, o_.blur);
}

// Which pixels of rows [y0, y1) need the blurred background: only the strip's own rows, and
// there only what the subject does not cover.
void StripWorker::markNeeded(int a, int y0, int y1, const ImagePlanar* blurredSubject) {
  const size_t n = static_cast<size_t>(heldRows_) * w_;
  std::memset(needed_.data(), 0, n);
  const int sx0 = plan_.sx0, sx1 = plan_.sx1, sw = sx1 - sx0;
  for (int y = y0; y < y1; ++y) {
    uint8_t* need = needed_.data() + static_cast<size_t>(y - a) * w_;
    if (!blurredSubject) {
      const float* al = r_.alpha.row(y, alphaRow_.data());
      for (int x = 0; x < w_; ++x) need[x] = std::clamp(al[x], 0.0f, 1.0f) < 1.0f;
      continue;
    }
    const float* al = blurredSubject->plane(3) + static_cast<size_t>(y - y0) * sw;
    std::memset(need, 1, static_cast<size_t>(w_));  // outside the layer's columns: no subject
    for (int x = sx0; x < sx1; ++x) need[x] = std::clamp(al[x - sx0], 0.0f, 1.0f) < 1.0f;
  }
}

// Rows [y0, y1) of the output: the subject (sharp, made a row at a time, or the blurred
// layer) over the background (blurred: its rows are the strip's own only; else the strip's).
void StripWorker::packRows(int a, int y0, int y1, const ImagePlanar& background, bool blurred,
                           const ImagePlanar* blurredSubject) {
  const size_t w = static_cast<size_t>(w_);
  const int sw = plan_.sx1 - plan_.sx0;
  for (int y = y0; y < y1; ++y) {
    const size_t bgAt = static_cast<size_t>(y - (blurred ? y0 : a)) * w;
    const float* bg[3] = {background.plane(0) + bgAt, background.plane(1) + bgAt, background.plane(2) + bgAt};
    float* made[4] = {subRow_.data(), subRow_.data() + w, subRow_.data() + 2 * w, subRow_.data() + 3 * w};
    if (!blurredSubject) sharpSubjectRow(a, y, made);
    const float* sub[4];
    for (int c = 0; c < 4; ++c) sub[c] = blurredSubject ? blurredSubject->plane(c) + static_cast<size_t>(y - y0) * sw : made[c];
    r_.packRow(y, bg, sub, !blurredSubject, plan_.sx0, plan_.sx1, row_.data(), packed_.data(), *plan_.out);
  }
}

Status StripWorker::render(int y0) {
  const int y1 = std::min(plan_.height, y0 + plan_.stripRows);
  int a, b, made = 0;
  plan_.holds(y0, &a, &b);
  Status ok = shapeFor(a, b - a, &made);
  if (!ok.ok()) return ok;
  makeRows(a, made, b);
  Result<ImagePlanar> blurredSubject = Status{};
  if (!plan_.keepSubject) {
    blurredSubject = blurSubject(a, b, y0, y1);
    if (!blurredSubject.ok()) return blurredSubject.status();
  }
  const ImagePlanar* layer = plan_.keepSubject ? nullptr : &blurredSubject.value();
  markNeeded(a, y0, y1, layer);
  Result<ImagePlanar> background = Status{};
  if (plan_.blurBackground) {
    // Only the strip's own rows are made: its halo is read, not kept.
    const BlurFrame frame =
        BlurFrame::crop(0, a, w_, plan_.height).keepingRows(y0 - a, y1 - a).withRadiusTop(plan_.maxRadius);
    background = blurLinearVariableInFrame(source_, frame, radius_.plane(0), o_.blur, needed_.data());
    if (!background.ok()) return background.status();
  }
  packRows(a, y0, y1, plan_.blurBackground ? background.value() : source_, plan_.blurBackground, layer);
  return o_.grain ? r_.addGrainRows(o_, plan_.noise, y0, y1, *plan_.out) : Status::success();
}

}  // namespace defocus
