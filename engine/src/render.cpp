#include "defocus/render.h"

#include <algorithm>
#include <cmath>
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

Result<BlurRadii> renderRadii(const ImagePlanar& matte, const RenderOptions& o, const ImagePlanar* depthMap) {
  Status ok = checkBlurOptions(o.blur);
  if (!ok.ok()) return ok;
  Result<DepthEstimate> depth = estimateDepth(matte, o.depth, depthMap);
  if (!depth.ok()) return depth.status();
  const float focus = focusDepth(depth.value(), matte, o.depth);
  const float maxRadius = static_cast<float>(blurRadiusForStrength(o.blur.strength, matte.width, matte.height));
  BlurRadii radii{depth.take().background, 0};
  float* r = radii.background.plane(0);
  for (size_t i = 0; i < radii.background.planeSize(); ++i) r[i] = radiusAtDepth(r[i], focus, maxRadius);
  radii.subject = radiusAtDepth(depth.value().subject, focus, maxRadius);
  return radii;
}

namespace {

// Below this radius the subject counts as in focus and is not blurred.
constexpr float kSharpRadius = 0.25f;

// The render on linear planes; also says how much the subject itself was blurred.
Result<ImagePlanar> renderCore(const ImagePlanar& linear, const ImagePlanar& matte, const RenderOptions& o,
                               const ImagePlanar* depthMap, float* subjectRadiusOut) {
  Status ok = checkMatte(matte, linear.width, linear.height);
  if (!ok.ok()) return ok;
  if (linear.channels != 3) return Status{ErrorCode::kInvalidArgument, "render needs 3 linear colour planes"};
  Result<BlurRadii> radii = renderRadii(matte, o, depthMap);
  if (!radii.ok()) return radii.status();
  Result<ImagePlanar> filled = o.fillBackground ? fillBackground(linear, matte) : Result<ImagePlanar>(Status{});
  if (o.fillBackground && !filled.ok()) return filled;
  const ImagePlanar& background = o.fillBackground ? filled.value() : linear;
  Result<ImagePlanar> blurred = blurLinearVariable(background, radii.value().background.plane(0), o.blur);
  if (!blurred.ok()) return blurred;
  ImagePlanar& out = blurred.value();
  const float* alpha = matte.plane(0);
  const size_t n = linear.planeSize();
  // The subject's own colour (decontaminated at fractional alpha), premultiplied.
  Result<ImagePlanar> subject = ImagePlanar::create(linear.width, linear.height, 4);
  if (!subject.ok()) return subject;
  for (int c = 0; c < 3; ++c) {
    const float* in = linear.plane(c);
    const float* b = background.plane(c);
    float* s = subject.value().plane(c);
    for (size_t i = 0; i < n; ++i) {
      const float a = std::clamp(alpha[i], 0.0f, 1.0f);
      const float fg = o.decontaminate && a < 1.0f ? foregroundOf(in[i], b[i], a) : in[i];
      s[i] = a * fg;
    }
  }
  for (size_t i = 0; i < n; ++i) subject.value().plane(3)[i] = std::clamp(alpha[i], 0.0f, 1.0f);
  // In focus (the usual case) the subject stays sharp; else it is blurred as a layer.
  const float subjectRadius = radii.value().subject;
  *subjectRadiusOut = subjectRadius;
  const ImagePlanar* layer = &subject.value();
  Result<ImagePlanar> blurredSubject = Status{};
  if (subjectRadius >= kSharpRadius) {
    blurredSubject = blurLinearAtRadius(subject.value(), subjectRadius, o.blur);
    if (!blurredSubject.ok()) return blurredSubject;
    layer = &blurredSubject.value();
  }
  const float* a = layer->plane(3);
  for (int c = 0; c < 3; ++c) {
    const float* s = layer->plane(c);
    float* dst = out.plane(c);
    for (size_t i = 0; i < n; ++i) dst[i] = s[i] + (1 - std::clamp(a[i], 0.0f, 1.0f)) * dst[i];
  }
  return blurred;
}

}  // namespace

Result<ImagePlanar> renderPortraitLinear(const ImagePlanar& linear, const ImagePlanar& matte, const RenderOptions& o,
                                         const ImagePlanar* depthMap) {
  float subjectRadius = 0;
  return renderCore(linear, matte, o, depthMap, &subjectRadius);
}

Result<ImageRGBA8> renderPortrait(const ImageRGBA8& photo, const ImagePlanar& matte, const RenderOptions& o,
                                  const ImagePlanar* depthMap) {
  Status ok = checkMatte(matte, photo.width, photo.height);
  if (!ok.ok()) return ok;
  Result<ImagePlanar> linear = rgba8ToLinear(photo, 3);
  if (!linear.ok()) return linear.status();
  float subjectRadius = 0;
  Result<ImagePlanar> rendered = renderCore(linear.value(), matte, o, depthMap, &subjectRadius);
  if (!rendered.ok()) return rendered.status();
  Result<ImageRGBA8> out = linearToRgba8(rendered.value());
  if (!out.ok()) return out;
  // A subject in focus stays byte for byte as it was (alpha 1); transparency always does.
  const float* alpha = matte.plane(0);
  uint8_t* px = out.value().pixels.data();
  const uint8_t* src = photo.pixels.data();
  const bool keepSubject = subjectRadius < kSharpRadius;
  for (size_t i = 0; i < matte.planeSize(); ++i) {
    if (keepSubject && alpha[i] >= 1.0f) px[4 * i] = src[4 * i], px[4 * i + 1] = src[4 * i + 1], px[4 * i + 2] = src[4 * i + 2];
    px[4 * i + 3] = src[4 * i + 3];
  }
  if (o.grain) {
    const NoiseLevel noise = estimateNoise(photo, &matte);  // the sharp subject's noise
    Result<ImagePlanar> weight = ImagePlanar::create(photo.width, photo.height, 1);
    if (!weight.ok()) return weight.status();
    for (size_t i = 0; i < matte.planeSize(); ++i) weight.value().plane(0)[i] = 1.0f - std::clamp(alpha[i], 0.0f, 1.0f);
    Status added = addGrain(out.value(), weight.value(), noise, o.grainSeed);
    if (!added.ok()) return added;
  }
  return out;
}

}  // namespace defocus
