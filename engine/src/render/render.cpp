#include "defocus/render.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "defocus/background_fill.h"
#include "defocus/color.h"
#include "defocus/cutout.h"
#include "defocus/grain.h"
#include "blur/style_table.h"
#include "render/render_impl.h"
#include "render/subject_blur.h"

namespace defocus {
namespace {

Status checkMatte(const ImagePlanar& matte, int width, int height) {
  if (matte.width != width || matte.height != height || matte.channels < 1 ||
      matte.samples.size() < matte.planeSize()) {
    return {ErrorCode::kInvalidArgument, "matte is " + std::to_string(matte.width) + "x" +
                                             std::to_string(matte.height) + " but the photo is " +
                                             std::to_string(width) + "x" + std::to_string(height)};
  }
  return Status::success();
}

}  // namespace

Result<ImagePlanar> estimateForeground(const ImagePlanar& linear, const ImagePlanar& matte,
                                       const ImagePlanar& background) {
  Status ok = checkMatte(matte, linear.width, linear.height);
  if (!ok.ok()) return ok;
  if (linear.channels != 3 || background.channels != 3 || background.width != linear.width ||
      background.height != linear.height) {
    return Status{ErrorCode::kInvalidArgument, "photo and background must be 3 planes of the same size"};
  }
  Result<ImagePlanar> out = ImagePlanar::create(linear.width, linear.height, 3);
  if (!out.ok()) return out;
  for (int c = 0; c < 3; ++c) {
    for (size_t i = 0; i < linear.planeSize(); ++i) {
      const float a = std::clamp(matte.plane(0)[i], 0.0f, 1.0f);
      out.value().plane(c)[i] = a >= 1.0f ? linear.plane(c)[i] : foregroundOf(linear.plane(c)[i], background.plane(c)[i], a);
    }
  }
  return out;
}


Status PortraitRenderer::Impl::needMattePlane() {
  if (matteHeld) return Status::success();
  Result<ImagePlanar> plane = alphaHeld->toPlane();
  if (!plane.ok()) return plane.status();
  matteHeld = std::make_shared<const ImagePlanar>(plane.take());
  return Status::success();
}

void PortraitRenderer::Impl::findCoverRuns() {
  if (!runStart.empty()) return;
  // Made aside and kept only when complete: a failed allocation half-way leaves none.
  const int w = alpha.width(), h = alpha.height();
  std::vector<int> starts(h + 1, 0);
  std::vector<Run> found;
  std::vector<float> scratch(w);
  const auto coverOf = [](float a) { return a >= 1.0f ? Cover::kFull : a > 0.0f ? Cover::kPartial : Cover::kNone; };
  for (int y = 0; y < h; ++y) {
    starts[y] = static_cast<int>(found.size());
    const float* a = alpha.row(y, scratch.data());
    for (int x = 0; x < w;) {
      const int x0 = x;
      const Cover cover = coverOf(a[x]);
      while (x < w && coverOf(a[x]) == cover) ++x;
      found.push_back({x0, x, cover});
    }
  }
  starts[h] = static_cast<int>(found.size());
  runs = std::move(found);
  runStart = std::move(starts);
}

Status PortraitRenderer::Impl::prepare(const RenderOptions& o, const ImagePlanar* depthMap) {
  Status ok = needMattePlane();
  if (!ok.ok()) return ok;
  const ImagePlanar& matte = this->matte();
  if (linear.samples.empty()) {
    Result<ImagePlanar> l = rgba8ToLinear(photo, 3);
    if (!l.ok()) return l.status();
    linear = l.take();
  }
  if (o.fillBackground && !filled) {
    Result<ImagePlanar> f = fillBackground(linear, matte);
    if (!f.ok()) return f.status();
    filled = f.take();
  }
  const ImagePlanar& background = o.fillBackground ? *filled : linear;
  std::optional<ImagePlanar>& layer = subject[o.decontaminate && o.fillBackground];
  if (!layer) {
    Result<ImagePlanar> s = ImagePlanar::create(linear.width, linear.height, 4);
    if (!s.ok()) return s.status();
    const float* alpha = matte.plane(0);
    for (int c = 0; c < 3; ++c) {
      for (size_t i = 0; i < linear.planeSize(); ++i) {
        const float a = std::clamp(alpha[i], 0.0f, 1.0f);
        const float in = linear.plane(c)[i];
        s.value().plane(c)[i] = a * (o.decontaminate && a < 1.0f ? foregroundOf(in, background.plane(c)[i], a) : in);
      }
    }
    for (size_t i = 0; i < linear.planeSize(); ++i) s.value().plane(3)[i] = std::clamp(alpha[i], 0.0f, 1.0f);
    layer = s.take();
  }
  // Depth does not depend on the focus point or the strength: cached per geometry.
  if (!depth || !sameGeometry(depthGeometry, o.depth) || (o.depth.mode == DepthMode::kMap && depthMapUsed != depthMap)) {
    Result<DepthEstimate> d = estimateDepth(matte, o.depth, depthMap, &linear);
    if (!d.ok()) return d.status();
    depth = d.take();
    depthGeometry = o.depth;
    depthMapUsed = depthMap;
  }
  return Status::success();
}

void PortraitRenderer::Impl::packRow(int y, const float* const* background, const float* const* subjectRow,
                                     bool keepSubject, int boxX0, int boxX1, float* scratch, uint32_t* packed,
                                     ImageRGBA8& out) const {
  const int w = photo.width;
  int subjectFrom = 0;  // the column subjectRow[c][0] is
  // Columns [x0, x1): the subject over the background, then the fast encoder (within one
  // code of exact, vectorised), with the photo's alpha.
  const auto composite = [&](int x0, int x1, bool backgroundOnly) {
    const int n = x1 - x0;
    const float* planes[3];
    for (int c = 0; c < 3; ++c) {
      planes[c] = background[c] + x0;
      if (backgroundOnly) continue;
      float* row = scratch + static_cast<size_t>(c) * w;
      compositeOver(subjectRow[c] + (x0 - subjectFrom), subjectRow[3] + (x0 - subjectFrom), background[c] + x0, row, n);
      planes[c] = row;
    }
    packRowToRgba8Approx(planes[0], planes[1], planes[2], nullptr, n, packed);
    const uint8_t* src = photo.row(y) + 4 * static_cast<size_t>(x0);
    for (int x = 0; x < n; ++x) {
      uint32_t bytes;
      std::memcpy(&bytes, src + 4 * x, sizeof bytes);
      packed[x] = (packed[x] & 0x00FFFFFFu) | (bytes & 0xFF000000u);  // little-endian RGBA: alpha is the top byte
    }
    std::memcpy(out.row(y) + 4 * static_cast<size_t>(x0), packed, static_cast<size_t>(n) * 4);
  };
  if (!keepSubject) {  // a blurred subject: zero outside columns [boxX0, boxX1)
    boxX0 = std::clamp(boxX0, 0, w), boxX1 = std::clamp(boxX1, boxX0, w);
    subjectFrom = boxX0;
    if (boxX0 > 0) composite(0, boxX0, true);
    if (boxX1 > boxX0) composite(boxX0, boxX1, false);
    if (boxX1 < w) composite(boxX1, w, true);
    return;
  }
  // A subject in focus stays byte for byte as it was where it covers the pixel (alpha 1):
  // those runs are copied, not composited; where its alpha is 0 the background is packed.
  for (int k = runStart[y]; k < runStart[y + 1]; ++k) {
    const Run run = runs[k];
    if (run.cover == Cover::kFull) {
      std::memcpy(out.row(y) + 4 * static_cast<size_t>(run.x0), photo.row(y) + 4 * static_cast<size_t>(run.x0),
                  static_cast<size_t>(run.x1 - run.x0) * 4);
    } else {
      composite(run.x0, run.x1, run.cover == Cover::kNone);
    }
  }
}

Result<PortraitRenderer> PortraitRenderer::createLinear(const ImagePlanar& linear, const ImagePlanar& matte) {
  Status ok = checkMatte(matte, linear.width, linear.height);
  if (!ok.ok()) return ok;
  if (linear.channels != 3 || linear.samples.size() != linear.planeSize() * 3) {
    return Status{ErrorCode::kInvalidArgument, "render needs 3 linear colour planes"};
  }
  Result<ImagePlanar> m = ImagePlanar::create(matte.width, matte.height, 1);
  Result<ImagePlanar> l = copyPlanes(linear);
  if (!m.ok()) return m.status();
  if (!l.ok()) return l.status();
  std::copy_n(matte.plane(0), matte.planeSize(), m.value().plane(0));
  auto impl = std::make_shared<Impl>(std::make_shared<const ImageRGBA8>(),
                                     std::make_shared<const ImagePlanar>(m.take()));
  impl->linear = l.take();
  PortraitRenderer renderer;
  renderer.impl_ = std::move(impl);
  return renderer;
}

Result<PortraitRenderer> PortraitRenderer::create(const ImageRGBA8& photo, const ImagePlanar& matte) {
  Status ok = checkMatte(matte, photo.width, photo.height);
  if (!ok.ok()) return ok;
  Result<ImageRGBA8> copy = ImageRGBA8::fromPixels(photo.pixels.data(), photo.pixels.size(), photo.width, photo.height);
  if (!copy.ok()) return copy.status();
  Result<ImagePlanar> m = ImagePlanar::create(matte.width, matte.height, 1);
  if (!m.ok()) return m.status();
  std::copy_n(matte.plane(0), matte.planeSize(), m.value().plane(0));
  return create(std::make_shared<const ImageRGBA8>(copy.take()), std::make_shared<const ImagePlanar>(m.take()));
}

namespace {

// A renderer sharing a photo and a matte of either kind; linear planes only when the
// whole-image path needs them.
template <typename Matte>
Status shareInto(std::shared_ptr<const ImageRGBA8> photo, std::shared_ptr<const Matte> matte,
                                   std::shared_ptr<PortraitRenderer::Impl>* impl) {
  if (!photo || !matte) return Status{ErrorCode::kInvalidArgument, "render needs a photo and a matte"};
  if (photo->pixels.size() != static_cast<size_t>(photo->width) * photo->height * 4) {
    return Status{ErrorCode::kInvalidArgument, "photo or matte do not match their size"};
  }
  *impl = std::make_shared<PortraitRenderer::Impl>(std::move(photo), std::move(matte));
  return Status::success();
}

}  // namespace

Result<PortraitRenderer> PortraitRenderer::create(std::shared_ptr<const ImageRGBA8> photo,
                                                  std::shared_ptr<const ImagePlanar> matte) {
  if (photo && matte) {
    Status ok = checkMatte(*matte, photo->width, photo->height);
    if (!ok.ok()) return ok;
    if (matte->channels != 1) return Status{ErrorCode::kInvalidArgument, "photo or matte do not match their size"};
  }
  PortraitRenderer renderer;
  Status shared = shareInto(std::move(photo), std::move(matte), &renderer.impl_);
  if (!shared.ok()) return shared;
  return renderer;
}

Result<PortraitRenderer> PortraitRenderer::create(std::shared_ptr<const ImageRGBA8> photo,
                                                  std::shared_ptr<const Alpha16> matte) {
  if (photo && matte && (matte->width != photo->width || matte->height != photo->height ||
                         matte->steps.size() != static_cast<size_t>(photo->width) * photo->height)) {
    return Status{ErrorCode::kInvalidArgument, "the matte and the photo differ in size"};
  }
  PortraitRenderer renderer;
  Status shared = shareInto(std::move(photo), std::move(matte), &renderer.impl_);
  if (!shared.ok()) return shared;
  return renderer;
}

namespace {

// The two layers of a render before they are composited: the blurred background and the
// subject (premultiplied, alpha in plane 3), sharp or blurred.
struct RenderLayers {
  ImagePlanar background;
  std::optional<ImagePlanar> blurredSubject;
  const ImagePlanar* sharpSubject = nullptr;
  PixelBox blurredBox{0, 0, -1, -1};  // where the blurred subject is not zero
  const ImagePlanar& subject() const { return blurredSubject ? *blurredSubject : *sharpSubject; }
};

// The blur radius of every background pixel and of the subject, from a depth estimate,
// the focus point and the strength.
Result<BlurRadii> radiiFromDepth(const DepthEstimate& depth, const ImagePlanar& matte, const RenderOptions& o) {
  const float focus = focusDepth(depth, matte, o.depth);
  const float maxRadius = static_cast<float>(blurRadiusForStrength(o.blur.strength, matte.width, matte.height));
  Result<ImagePlanar> plane = ImagePlanar::create(matte.width, matte.height, 1);
  if (!plane.ok()) return plane.status();
  float* radius = plane.value().plane(0);
  const float* at = depth.background.plane(0);
  for (size_t i = 0; i < matte.planeSize(); ++i) radius[i] = radiusAtDepth(at[i], focus, maxRadius);
  return BlurRadii{plane.take(), radiusAtDepth(depth.subject, focus, maxRadius)};
}

}  // namespace

Status checkReplacement(const RenderOptions& o, int width, int height) {
  if (o.background != BackgroundMode::kReplace) return Status::success();
  const ImagePlanar* r = o.replacement;
  const ReplacementRows* rows = o.replacementRows;
  if (r ? r->channels != 3 || r->width != width || r->height != height || r->samples.size() != r->planeSize() * 3
        : !rows || rows->width() != width || rows->height() != height) {
    return {ErrorCode::kInvalidArgument, "a replacement background must be 3 planes of the photo's size"};
  }
  return Status::success();
}

namespace {

// The replacement as full planes for the whole-image path: given so, or made from its rows.
Result<const ImagePlanar*> replacementPlanes(PortraitRenderer::Impl& p, const RenderOptions& o) {
  if (o.replacement) return o.replacement;
  if (p.replacementFrom != o.replacementRows->id() || p.replacementMade.samples.empty()) {
    p.replacementFrom = 0;
    Result<ImagePlanar> made = ImagePlanar::create(p.matte().width, p.matte().height, 3);
    if (!made.ok()) return made.status();
    float* planes[3] = {made.value().plane(0), made.value().plane(1), made.value().plane(2)};
    o.replacementRows->rows(0, p.matte().height, planes);
    p.replacementMade = made.take();
    p.replacementFrom = o.replacementRows->id();
  }
  return &p.replacementMade;
}

// Blur radii from the cached depth; the subject blurred when it is out of focus, then the
// background wherever the subject does not cover it.
Result<RenderLayers> renderLayers(PortraitRenderer::Impl& p, const RenderOptions& o, const ImagePlanar* depthMap) {
  Status ok = checkBlurOptions(o.blur);
  if (!ok.ok()) return ok;
  ok = p.needMattePlane();
  if (!ok.ok()) return ok;
  ok = checkReplacement(o, p.matte().width, p.matte().height);
  if (!ok.ok()) return ok;
  ok = p.prepare(o, depthMap);
  if (!ok.ok()) return ok;
  Result<BlurRadii> radii = radiiFromDepth(*p.depth, p.matte(), o);
  if (!radii.ok()) return radii.status();
  RenderLayers layers;
  const float subjectRadius = radii.value().subject;
  layers.sharpSubject = &*p.subject[o.decontaminate && o.fillBackground];
  // In focus (the usual case) the subject stays sharp; else it is blurred as a layer.
  if (subjectRadius >= kSharpRadius) {
    Result<ImagePlanar> blurred = blurSubject(*layers.sharpSubject, p.matte(), subjectRadius, o.blur, &layers.blurredBox);
    if (!blurred.ok()) return blurred.status();
    layers.blurredSubject = blurred.take();
  }
  // The background is needed only where the subject layer does not cover it: for the sharp
  // subject that depends on the matte alone and is kept.
  Buffer<uint8_t> neededHere;
  Buffer<uint8_t>& needed = layers.blurredSubject ? neededHere : p.uncoveredBySharpSubject;
  if (needed.size() != p.matte().planeSize()) {
    if (!needed.resize(p.matte().planeSize())) return Status{ErrorCode::kOutOfMemory, "out of memory for the render"};
    const float* cover = layers.subject().plane(3);
    for (size_t i = 0; i < p.matte().planeSize(); ++i) needed[i] = cover[i] < 1.0f;
  }
  const bool replaced = o.background == BackgroundMode::kReplace;
  Result<const ImagePlanar*> replacement = replaced ? replacementPlanes(p, o) : Result<const ImagePlanar*>(static_cast<const ImagePlanar*>(nullptr));
  if (!replacement.ok()) return replacement.status();
  const ImagePlanar& background = replaced ? *replacement.value() : o.fillBackground ? *p.filled : p.linear;
  // Layers spaced down from the strength's radius, as the strips' (render_strips.cpp).
  const float top = static_cast<float>(blurRadiusForStrength(o.blur.strength, p.matte().width, p.matte().height));
  Result<ImagePlanar> blurred = replaced && !o.blurReplacement
                                    ? copyPlanes(background)
                                    : blurLinearVariableInFrame(background, BlurFrame{}.withRadiusTop(top),
                                                                radii.value().background.plane(0), o.blur, needed.data());
  if (!blurred.ok()) return blurred.status();
  layers.background = blurred.take();
  return layers;
}

}  // namespace

Result<ImagePlanar> PortraitRenderer::renderLinear(const RenderOptions& o, const ImagePlanar* depthMap) {
  if (o.background == BackgroundMode::kTransparent) {  // the subject layer itself (premultiplied, alpha last)
    Status ok = impl_->prepare(o, depthMap);
    if (!ok.ok()) return ok;
    return copyPlanes(*impl_->subject[o.decontaminate && o.fillBackground]);
  }
  Result<RenderLayers> layers = renderLayers(*impl_, o, depthMap);
  if (!layers.ok()) return layers.status();
  ImagePlanar& out = layers.value().background;
  const ImagePlanar& subject = layers.value().subject();
  for (int c = 0; c < 3; ++c) compositeOver(subject.plane(c), subject.plane(3), out.plane(c), out.plane(c), out.planeSize());
  return std::move(out);
}

Result<ImageRGBA8> PortraitRenderer::render(const RenderOptions& o, const ImagePlanar* depthMap) {
  if (impl_->photo.pixels.empty()) return Status{ErrorCode::kInvalidArgument, "this renderer was made from linear planes"};
  if (impl_->usesStrips(o)) return impl_->renderStrips(o, depthMap);
  if (o.background == BackgroundMode::kTransparent) {  // nothing to blur: the cutout alone
    Status ok = impl_->prepare(o, depthMap);
    if (!ok.ok()) return ok;
    return cutoutFromLayer(impl_->photo, *impl_->subject[o.decontaminate && o.fillBackground]);
  }
  Result<RenderLayers> rendered = renderLayers(*impl_, o, depthMap);
  if (!rendered.ok()) return rendered.status();
  Impl& p = *impl_;
  const ImagePlanar& background = rendered.value().background;
  const ImagePlanar& subject = rendered.value().subject();
  const int w = background.width;
  Result<ImageRGBA8> out = ImageRGBA8::create(w, background.height);
  Buffer<float> rows;
  Buffer<uint32_t> packed;
  if (!out.ok()) return out;
  if (!rows.resize(3 * static_cast<size_t>(w)) || !packed.resize(w)) {
    return Status{ErrorCode::kOutOfMemory, "out of memory encoding the render"};
  }
  const bool keepSubject = !rendered.value().blurredSubject;
  if (keepSubject) p.findCoverRuns();
  const PixelBox& box = rendered.value().blurredBox;
  for (int y = 0; y < background.height; ++y) {
    const size_t at = static_cast<size_t>(y) * w;
    const float* bg[3] = {background.plane(0) + at, background.plane(1) + at, background.plane(2) + at};
    // The blurred subject is zero outside its box: there the background is packed as it is.
    const bool rowHasIt = y >= box.y0 && y <= box.y1 && box.x0 <= box.x1;
    const size_t from = at + (rowHasIt && !keepSubject ? box.x0 : 0);  // packRow reads a blurred subject from the box's column
    const float* sub[4] = {subject.plane(0) + from, subject.plane(1) + from, subject.plane(2) + from, subject.plane(3) + from};
    p.packRow(y, bg, sub, keepSubject, rowHasIt ? box.x0 : w, rowHasIt ? box.x1 + 1 : w, rows.data(), packed.data(),
              out.value());
  }
  if (o.grain) {
    Status added = p.addGrainRows(o, estimateNoise(p.photo, p.matte()), 0, p.photo.height, out.value());
    if (!added.ok()) return added;
  }
  return out;
}

Result<BlurRadii> renderRadii(const ImagePlanar& matte, const RenderOptions& o, const ImagePlanar* depthMap,
                              const ImagePlanar* linear) {
  Status ok = checkBlurOptions(o.blur);
  if (!ok.ok()) return ok;
  Result<DepthEstimate> depth = estimateDepth(matte, o.depth, depthMap, linear);
  if (!depth.ok()) return depth.status();
  return radiiFromDepth(depth.value(), matte, o);
}

Result<ImagePlanar> renderPortraitLinear(const ImagePlanar& linear, const ImagePlanar& matte, const RenderOptions& o,
                                         const ImagePlanar* depthMap) {
  Result<PortraitRenderer> renderer = PortraitRenderer::createLinear(linear, matte);
  if (!renderer.ok()) return renderer.status();
  return renderer.value().renderLinear(o, depthMap);
}

Result<ImageRGBA8> renderPortrait(const ImageRGBA8& photo, const ImagePlanar& matte, const RenderOptions& o,
                                  const ImagePlanar* depthMap) {
  Result<PortraitRenderer> renderer = PortraitRenderer::create(photo, matte);
  if (!renderer.ok()) return renderer.status();
  return renderer.value().render(o, depthMap);
}

}  // namespace defocus
