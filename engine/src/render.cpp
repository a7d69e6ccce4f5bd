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

Result<ImagePlanar> renderPortraitLinear(const ImagePlanar& linear, const ImagePlanar& matte, const RenderOptions& o) {
  Status ok = checkMatte(matte, linear.width, linear.height);
  if (!ok.ok()) return ok;
  if (linear.channels != 3) return Status{ErrorCode::kInvalidArgument, "render needs 3 linear colour planes"};
  Result<ImagePlanar> filled = o.fillBackground ? fillBackground(linear, matte) : Result<ImagePlanar>(Status{});
  if (o.fillBackground && !filled.ok()) return filled;
  const ImagePlanar& background = o.fillBackground ? filled.value() : linear;
  Result<ImagePlanar> blurred = blurLinear(background, o.blur);
  if (!blurred.ok()) return blurred;
  ImagePlanar& out = blurred.value();
  const float* alpha = matte.plane(0);
  for (int c = 0; c < 3; ++c) {
    const float* in = linear.plane(c);
    const float* b = background.plane(c);
    float* dst = out.plane(c);
    for (size_t i = 0; i < linear.planeSize(); ++i) {
      const float a = std::clamp(alpha[i], 0.0f, 1.0f);
      if (a <= 0.0f) continue;  // pure background: the blur as it is
      float fg = in[i];
      if (o.decontaminate && a < 1.0f) fg = foregroundOf(in[i], b[i], a);
      dst[i] = a * fg + (1 - a) * dst[i];
    }
  }
  return blurred;
}

Result<ImageRGBA8> renderPortrait(const ImageRGBA8& photo, const ImagePlanar& matte, const RenderOptions& o) {
  Status ok = checkMatte(matte, photo.width, photo.height);
  if (!ok.ok()) return ok;
  Result<ImagePlanar> linear = rgba8ToLinear(photo, 3);
  if (!linear.ok()) return linear.status();
  Result<ImagePlanar> rendered = renderPortraitLinear(linear.value(), matte, o);
  if (!rendered.ok()) return rendered.status();
  Result<ImageRGBA8> out = linearToRgba8(rendered.value());
  if (!out.ok()) return out;
  // The subject itself stays byte for byte as it was (alpha 1), and so does transparency.
  const float* alpha = matte.plane(0);
  uint8_t* px = out.value().pixels.data();
  const uint8_t* src = photo.pixels.data();
  for (size_t i = 0; i < matte.planeSize(); ++i) {
    if (alpha[i] >= 1.0f) px[4 * i] = src[4 * i], px[4 * i + 1] = src[4 * i + 1], px[4 * i + 2] = src[4 * i + 2];
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
