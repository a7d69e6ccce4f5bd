#include "defocus/blur.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "defocus/color.h"
#include "defocus/gaussian_blur.h"
#include "defocus/motion_blur.h"
#include "defocus/radial_blur.h"
#include "blur/gaussian/gaussian_pyramid.h"
#include "blur/lens/lens_plan.h"
#include "blur/layers/radius_layers.h"
#include "blur/gaussian/gaussian_variable.h"
#include "blur/rgba_stages.h"

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
  // The subject layer's crop and the strips grow to hold the zoom centre: it must be in the photo.
  if (o.style == BlurStyle::kRadial) return checkRadialCentre(o.centerX, o.centerY);
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

Result<ImagePlanar> blurLinearAtRadius(const ImagePlanar& linear, double radius, const BlurOptions& o) {
  Status ok = checkBlurOptions(o);
  if (!ok.ok()) return ok;
  if (!(radius >= 0 && radius <= kMaxLensRadius)) {
    return Status{ErrorCode::kInvalidArgument, "blur radius must be in 0.." + std::to_string(int(kMaxLensRadius))};
  }
  switch (o.style) {
    case BlurStyle::kGaussian: return gaussianAnySigma(linear, radius / 2);
    case BlurStyle::kLens: return lensBlur(linear, static_cast<float>(radius), o.aperture, o.highlights);
    case BlurStyle::kMotion: return motionBlur(linear, static_cast<float>(2 * radius), o.angleDegrees);
    case BlurStyle::kRadial: return radialBlur(linear, static_cast<float>(2 * radius), o.centerX, o.centerY);
  }
  return Status{ErrorCode::kInvalidArgument, "unknown blur style"};
}

Result<ImagePlanar> blurLinear(const ImagePlanar& linear, const BlurOptions& o) {
  return blurLinearAtRadius(linear, blurRadiusForStrength(o.strength, linear.width, linear.height), o);
}

Result<ImagePlanar> blurLinearVariable(const ImagePlanar& linear, const float* radiusMap, const BlurOptions& o,
                                       const uint8_t* needed) {
  Status ok = checkBlurOptions(o);
  if (!ok.ok()) return ok;
  if (o.style == BlurStyle::kLens) return lensBlurVariable(linear, radiusMap, o.aperture, o.highlights, {}, needed);
  if (!radiusMap) return Status{ErrorCode::kInvalidArgument, "radius map is missing"};
  if (o.style == BlurStyle::kGaussian) return gaussianBlurVariable(linear, radiusMap, o, needed);
  // Motion and radial: a directional blur takes every pixel's own length in one pass (no
  // layers). The plan still checks the map and sends a constant one to the fixed blur.
  RadiusLayers layers;
  std::string reason;
  if (!layers.plan(radiusMap, linear.width, linear.height, kMaxLensRadius, kLensLayerRatio, &reason)) {
    return Status{ErrorCode::kInvalidArgument, reason};
  }
  if (layers.constant()) return blurLinearAtRadius(linear, layers.radius(0), o);
  if (o.style == BlurStyle::kMotion) return motionBlurVariable(linear, radiusMap, 2.0f, o.angleDegrees);
  return radialBlurVariable(linear, radiusMap, 2.0f, o.centerX, o.centerY);
}

namespace {

bool isOpaque(const ImageRGBA8& image) {
  // AND of every pixel as one word, no early exit, so it vectorises; AND works bytewise,
  // so byte 3 of the result is the AND of every alpha.
  uint32_t all = 0xFFFFFFFFu;
  const size_t n = image.pixels.size() / 4;
  const uint8_t* p = image.pixels.data();
  for (size_t i = 0; i < n; ++i) {
    uint32_t word;
    std::memcpy(&word, p + 4 * i, sizeof word);
    all &= word;
  }
  uint8_t bytes[4];
  std::memcpy(bytes, &all, sizeof bytes);
  return bytes[3] == 0xFF;
}

// Gaussian and lens blurs of large radii run on a reduced grid: there the conversion to
// linear light, the reduction, the interpolation back and the conversion to sRGB are fused
// (rgba_stages.h), so no full-resolution float planes are made. Returns false when the
// blur runs at full resolution and the generic path is needed.
bool blurOnReducedGrid(const ImageRGBA8& image, const BlurOptions& o, int channels, Result<ImageRGBA8>* out) {
  const int w = image.width, h = image.height;
  const double radius = blurRadiusForStrength(o.strength, w, h);
  if (o.style == BlurStyle::kGaussian && radius / 2 >= kMinGaussianSigma) {
    const GaussianPlan plan = planGaussian(w, h, radius / 2);
    if (plan.levels == 0) return false;
    const int first = std::min(plan.levels, 2);  // levels made straight from the bytes
    Result<ImagePlanar> start = halveRgba8(image, plan.margin, channels, first);
    if (!start.ok()) return *out = start.status(), true;
    Result<ImagePlanar> coarse = gaussianFromLevel(start.value(), first, plan);
    if (!coarse.ok()) return *out = coarse.status(), true;
    // Opaque and smooth at level k: interpolate sRGB codes, no transfer function per pixel.
    *out = channels == 3 && plan.smoothLevel ? expandSmoothOpaqueToRgba8(coarse.value(), plan.smooth, w, h)
                                             : expandToRgba8(coarse.value(), plan.finalGrid(), w, h);
    return true;
  }
  if (o.style == BlurStyle::kLens) {
    const LensPlan plan = planLens(w, h, radius, o.aperture);
    if (plan.factor == 1) return false;
    Result<ImagePlanar> coarse = boxReduceRgba8(image, plan.grid, channels, o.highlights);
    if (!coarse.ok()) return *out = coarse.status(), true;
    Result<ImagePlanar> blurred = gatherPlanes(coarse.value(), plan.kernel);
    if (!blurred.ok()) return *out = blurred.status(), true;
    *out = expandToRgba8(blurred.value(), plan.grid, w, h);
    return true;
  }
  return false;
}

}  // namespace

Result<ImageRGBA8> blurImage(const ImageRGBA8& image, const BlurOptions& options) {
  Status ok = checkBlurOptions(options);
  if (!ok.ok()) return ok;
  const int channels = isOpaque(image) ? 3 : 4;
  Result<ImageRGBA8> reduced = Status{};
  if (blurOnReducedGrid(image, options, channels, &reduced)) return reduced;
  Result<ImagePlanar> linear = rgba8ToLinear(image, channels);
  if (!linear.ok()) return linear.status();
  premultiplyAlpha(linear.value());
  Result<ImagePlanar> blurred = blurLinear(linear.value(), options);
  if (!blurred.ok()) return blurred.status();
  // Motion and Gaussian results take the fast encoder (within one code of exact).
  if (options.style == BlurStyle::kMotion || options.style == BlurStyle::kGaussian) {
    return blurredPlanesToRgba8(blurred.value());
  }
  unpremultiplyAlpha(blurred.value());
  return linearToRgba8(blurred.value());
}

}  // namespace defocus
