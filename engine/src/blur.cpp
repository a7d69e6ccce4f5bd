#include "defocus/blur.h"

#include <cmath>
#include <cstring>
#include <string>

#include "defocus/color.h"
#include "defocus/gaussian_blur.h"
#include "defocus/motion_blur.h"

namespace defocus {

bool parseBlurStyle(const std::string& name, BlurStyle* style) {
  static const struct { const char* name; BlurStyle style; } kStyles[] = {
      {"gaussian", BlurStyle::kGaussian}, {"lens", BlurStyle::kLens},
      {"motion", BlurStyle::kMotion}, {"radial", BlurStyle::kRadial}};
  for (const auto& s : kStyles) {
    if (name == s.name) return *style = s.style, true;
  }
  return false;
}

const char* blurStyleName(BlurStyle style) {
  switch (style) {
    case BlurStyle::kGaussian: return "gaussian";
    case BlurStyle::kLens: return "lens";
    case BlurStyle::kMotion: return "motion";
    case BlurStyle::kRadial: return "radial";
  }
  return "unknown";
}

double blurRadiusForStrength(double strength, int width, int height) {
  return strength / 100.0 * kStrengthDiagonalFraction * std::hypot(double(width), double(height));
}

Status checkBlurOptions(const BlurOptions& o) {
  if (!(o.strength >= kMinStrength && o.strength <= kMaxStrength)) {
    return {ErrorCode::kInvalidArgument, "strength must be in 1..100, got " + std::to_string(o.strength)};
  }
  if (o.style == BlurStyle::kLens) {
    Status s = checkAperture(o.aperture);
    return s.ok() ? checkHighlights(o.highlights) : s;
  }
  return Status::success();
}

namespace {

// Below the smallest sigma the recursive filter models, fade from the image to that blur
// so the strength still acts continuously.
Result<ImagePlanar> gaussianAnySigma(const ImagePlanar& linear, double sigma) {
  Result<ImagePlanar> out = gaussianBlur(linear, static_cast<float>(std::max<double>(sigma, kMinGaussianSigma)));
  if (!out.ok() || sigma >= kMinGaussianSigma) return out;
  const float t = static_cast<float>(sigma / kMinGaussianSigma);
  float* o = out.value().samples.data();
  const float* in = linear.samples.data();
  for (size_t i = 0; i < linear.samples.size(); ++i) o[i] = in[i] + t * (o[i] - in[i]);
  return out;
}

}  // namespace

Result<ImagePlanar> blurLinear(const ImagePlanar& linear, const BlurOptions& o) {
  Status ok = checkBlurOptions(o);
  if (!ok.ok()) return ok;
  const double radius = blurRadiusForStrength(o.strength, linear.width, linear.height);
  switch (o.style) {
    case BlurStyle::kGaussian: return gaussianAnySigma(linear, radius / 2);
    case BlurStyle::kLens: return lensBlur(linear, static_cast<float>(radius), o.aperture, o.highlights);
    case BlurStyle::kMotion: return motionBlur(linear, static_cast<float>(2 * radius), o.angleDegrees);
    case BlurStyle::kRadial: return radialBlur(linear, static_cast<float>(2 * radius), o.centreX, o.centreY);
  }
  return Status{ErrorCode::kInvalidArgument, "unknown blur style"};
}

Result<ImageRGBA8> blurImage(const ImageRGBA8& image, const BlurOptions& options) {
  Status ok = checkBlurOptions(options);
  if (!ok.ok()) return ok;
  bool opaque = true;
  for (size_t i = 3; i < image.pixels.size() && opaque; i += 4) opaque = image.pixels[i] == 255;
  Result<ImagePlanar> linear = rgba8ToLinear(image, opaque ? 3 : 4);
  if (!linear.ok()) return linear.status();
  premultiplyAlpha(linear.value());
  Result<ImagePlanar> blurred = blurLinear(linear.value(), options);
  if (!blurred.ok()) return blurred.status();
  unpremultiplyAlpha(blurred.value());
  return linearToRgba8(blurred.value());
}

}  // namespace defocus
