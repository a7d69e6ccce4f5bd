#include "defocus/render.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <string>

#include "defocus/background_fill.h"
#include "defocus/color.h"
#include "defocus/grain.h"

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

// F = (I - (1 - a) B) / a, kept non-negative; where a is tiny the estimate is noise and
// the pixel hardly shows, so it takes the background.
inline float foregroundOf(float image, float background, float a) {
  return a < 1e-3f ? background : std::max(0.0f, (image - (1 - a) * background) / a);
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


namespace {

// Below this radius the subject counts as in focus and is not blurred.
constexpr float kSharpRadius = 0.25f;

bool sameGeometry(const DepthOptions& a, const DepthOptions& b) {
  return a.mode == b.mode && a.startX == b.startX && a.startY == b.startY && a.endX == b.endX && a.endY == b.endY &&
         a.tiltShift == b.tiltShift;
}

}  // namespace

struct PortraitRenderer::Impl {
  ImageRGBA8 photo;
  ImagePlanar matte, linear;
  // Prepared on first use and kept: they depend on the photo and matte only.
  std::optional<ImagePlanar> filled;
  std::optional<ImagePlanar> subject[2];  // premultiplied subject layer, [decontaminated]
  std::optional<DepthEstimate> depth;
  DepthOptions depthGeometry;
  const ImagePlanar* depthMapUsed = nullptr;

  Status prepare(const RenderOptions& o, const ImagePlanar* depthMap) {
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
      Result<DepthEstimate> d = estimateDepth(matte, o.depth, depthMap);
      if (!d.ok()) return d.status();
      depth = d.take();
      depthGeometry = o.depth;
      depthMapUsed = depthMap;
    }
    return Status::success();
  }
};

Result<PortraitRenderer> PortraitRenderer::createLinear(const ImagePlanar& linear, const ImagePlanar& matte) {
  Status ok = checkMatte(matte, linear.width, linear.height);
  if (!ok.ok()) return ok;
  if (linear.channels != 3 || linear.samples.size() != linear.planeSize() * 3) {
    return Status{ErrorCode::kInvalidArgument, "render needs 3 linear colour planes"};
  }
  auto impl = std::make_shared<Impl>();
  Result<ImagePlanar> m = ImagePlanar::create(matte.width, matte.height, 1);
  Result<ImagePlanar> l = ImagePlanar::create(linear.width, linear.height, 3);
  if (!m.ok()) return m.status();
  if (!l.ok()) return l.status();
  std::copy_n(matte.plane(0), matte.planeSize(), m.value().plane(0));
  std::copy_n(linear.samples.data(), linear.samples.size(), l.value().samples.data());
  impl->matte = m.take();
  impl->linear = l.take();
  PortraitRenderer renderer;
  renderer.impl_ = std::move(impl);
  return renderer;
}

Result<PortraitRenderer> PortraitRenderer::create(const ImageRGBA8& photo, const ImagePlanar& matte) {
  Status ok = checkMatte(matte, photo.width, photo.height);
  if (!ok.ok()) return ok;
  Result<ImagePlanar> linear = rgba8ToLinear(photo, 3);
  if (!linear.ok()) return linear.status();
  Result<PortraitRenderer> renderer = createLinear(linear.value(), matte);
  if (!renderer.ok()) return renderer;
  Result<ImageRGBA8> copy = ImageRGBA8::fromPixels(photo.pixels.data(), photo.pixels.size(), photo.width, photo.height);
  if (!copy.ok()) return copy.status();
  renderer.value().impl_->photo = copy.take();
  return renderer;
}

// The render in linear light; also says how much the subject itself was blurred, which
// decides whether its original bytes can be kept.
static Result<ImagePlanar> renderWithSubjectRadius(PortraitRenderer::Impl& p, const RenderOptions& o,
                                                   const ImagePlanar* depthMap, float* subjectRadiusOut) {
  Status ok = checkBlurOptions(o.blur);
  if (!ok.ok()) return ok;
  ok = p.prepare(o, depthMap);
  if (!ok.ok()) return ok;
  // Blur radii from the cached depth, the focus point and the strength.
  const float focus = focusDepth(*p.depth, p.matte, o.depth);
  const float maxRadius = static_cast<float>(blurRadiusForStrength(o.blur.strength, p.matte.width, p.matte.height));
  Result<ImagePlanar> radii = ImagePlanar::create(p.matte.width, p.matte.height, 1);
  if (!radii.ok()) return radii;
  for (size_t i = 0; i < p.matte.planeSize(); ++i) {
    radii.value().plane(0)[i] = radiusAtDepth(p.depth->background.plane(0)[i], focus, maxRadius);
  }
  const float subjectRadius = radiusAtDepth(p.depth->subject, focus, maxRadius);
  const ImagePlanar& background = o.fillBackground ? *p.filled : p.linear;
  Result<ImagePlanar> blurred = blurLinearVariable(background, radii.value().plane(0), o.blur);
  if (!blurred.ok()) return blurred;
  // In focus (the usual case) the subject stays sharp; else it is blurred as a layer.
  const ImagePlanar* layer = &*p.subject[o.decontaminate && o.fillBackground];
  Result<ImagePlanar> blurredSubject = Status{};
  if (subjectRadius >= kSharpRadius) {
    blurredSubject = blurLinearAtRadius(*layer, subjectRadius, o.blur);
    if (!blurredSubject.ok()) return blurredSubject;
    layer = &blurredSubject.value();
  }
  ImagePlanar& out = blurred.value();
  const float* a = layer->plane(3);
  for (int c = 0; c < 3; ++c) {
    const float* s = layer->plane(c);
    float* dst = out.plane(c);
    for (size_t i = 0; i < out.planeSize(); ++i) dst[i] = s[i] + (1 - std::clamp(a[i], 0.0f, 1.0f)) * dst[i];
  }
  *subjectRadiusOut = subjectRadius;
  return blurred;
}

Result<ImagePlanar> PortraitRenderer::renderLinear(const RenderOptions& o, const ImagePlanar* depthMap) {
  float subjectRadius = 0;
  return renderWithSubjectRadius(*impl_, o, depthMap, &subjectRadius);
}

Result<ImageRGBA8> PortraitRenderer::render(const RenderOptions& o, const ImagePlanar* depthMap) {
  if (impl_->photo.pixels.empty()) return Status{ErrorCode::kInvalidArgument, "this renderer was made from linear planes"};
  float subjectRadius = 0;
  Result<ImagePlanar> rendered = renderWithSubjectRadius(*impl_, o, depthMap, &subjectRadius);
  if (!rendered.ok()) return rendered.status();
  // The fast encoder (within one code of exact, vectorised): the sharp subject's pixels get
  // their original bytes back below, everything else was blurred or blended.
  const ImagePlanar& r = rendered.value();
  Result<ImageRGBA8> out = ImageRGBA8::create(r.width, r.height);
  Buffer<uint32_t> packed;
  if (!out.ok()) return out;
  if (!packed.resize(r.width)) return Status{ErrorCode::kOutOfMemory, "out of memory encoding the render"};
  for (int y = 0; y < r.height; ++y) {
    const size_t at = static_cast<size_t>(y) * r.width;
    packRowToRgba8Approx(r.plane(0) + at, r.plane(1) + at, r.plane(2) + at, nullptr, r.width, packed.data());
    std::memcpy(out.value().row(y), packed.data(), static_cast<size_t>(r.width) * 4);
  }
  const Impl& p = *impl_;
  // A subject in focus stays byte for byte as it was (alpha 1); transparency always does.
  const float* alpha = p.matte.plane(0);
  uint8_t* px = out.value().pixels.data();
  const uint8_t* src = p.photo.pixels.data();
  const bool keepSubject = subjectRadius < kSharpRadius;
  for (size_t i = 0; i < p.matte.planeSize(); ++i) {
    if (keepSubject && alpha[i] >= 1.0f) px[4 * i] = src[4 * i], px[4 * i + 1] = src[4 * i + 1], px[4 * i + 2] = src[4 * i + 2];
    px[4 * i + 3] = src[4 * i + 3];
  }
  if (o.grain) {
    const NoiseLevel noise = estimateNoise(p.photo, &p.matte);  // the sharp subject's noise
    Result<ImagePlanar> weight = ImagePlanar::create(p.photo.width, p.photo.height, 1);
    if (!weight.ok()) return weight.status();
    for (size_t i = 0; i < p.matte.planeSize(); ++i) weight.value().plane(0)[i] = 1.0f - std::clamp(alpha[i], 0.0f, 1.0f);
    Status added = addGrain(out.value(), weight.value(), noise, o.grainSeed);
    if (!added.ok()) return added;
  }
  return out;
}

Result<BlurRadii> renderRadii(const ImagePlanar& matte, const RenderOptions& o, const ImagePlanar* depthMap) {
  Status ok = checkBlurOptions(o.blur);
  if (!ok.ok()) return ok;
  Result<DepthEstimate> depth = estimateDepth(matte, o.depth, depthMap);
  if (!depth.ok()) return depth.status();
  const float focus = focusDepth(depth.value(), matte, o.depth);
  const float maxRadius = static_cast<float>(blurRadiusForStrength(o.blur.strength, matte.width, matte.height));
  const float subjectDepth = depth.value().subject;
  BlurRadii radii{depth.take().background, 0};
  float* r = radii.background.plane(0);
  for (size_t i = 0; i < radii.background.planeSize(); ++i) r[i] = radiusAtDepth(r[i], focus, maxRadius);
  radii.subject = radiusAtDepth(subjectDepth, focus, maxRadius);
  return radii;
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
