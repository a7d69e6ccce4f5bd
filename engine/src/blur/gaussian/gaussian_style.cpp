// The Gaussian's row of the style table (blur/style_table.h): sigma = radius / 2, the sigma
// of a disc of that radius (same second moment).
#include <algorithm>

#include "defocus/gaussian_blur.h"
#include "blur/gaussian/gaussian_pyramid.h"
#include "blur/gaussian/gaussian_variable.h"
#include "blur/rgba_stages.h"
#include "blur/style_table.h"

namespace defocus {
namespace {

// Below the smallest sigma the recursive filter models, fade from the image to that blur
// so the strength still acts continuously.
Result<ImagePlanar> atRadius(const ImagePlanar& linear, const BlurFrame&, double radius, const BlurOptions&) {
  const double sigma = radius / 2;
  Result<ImagePlanar> out = gaussianBlur(linear, static_cast<float>(std::max<double>(sigma, kMinGaussianSigma)));
  if (!out.ok() || sigma >= kMinGaussianSigma) return out;
  const float t = static_cast<float>(sigma / kMinGaussianSigma);
  float* o = out.value().samples.data();
  const float* in = linear.samples.data();
  for (size_t i = 0; i < linear.samples.size(); ++i) o[i] = in[i] + t * (o[i] - in[i]);
  return out;
}

Result<ImagePlanar> variable(const ImagePlanar& linear, const BlurFrame& frame, const float* radiusMap,
                             const BlurOptions& o, const uint8_t* needed) {
  return gaussianBlurVariable(linear, radiusMap, o, needed, frame.rows, frame.radiusTop);
}

// The first pyramid levels straight from the bytes, the rest on planes; opaque and smooth at
// level k: interpolate sRGB codes, no transfer function per full-resolution pixel.
bool onReducedGrid(const ImageRGBA8& image, double radius, const BlurOptions&, int channels, Result<ImageRGBA8>* out) {
  if (radius / 2 < kMinGaussianSigma) return false;
  const int w = image.width, h = image.height;
  const GaussianPlan plan = planGaussian(w, h, radius / 2);
  if (plan.levels == 0) return false;
  const int first = std::min(plan.levels, 2);  // levels made straight from the bytes
  Result<ImagePlanar> start = halveRgba8(image, plan.margin, channels, first);
  if (!start.ok()) return *out = start.status(), true;
  Result<ImagePlanar> coarse = gaussianFromLevel(start.value(), first, plan);
  if (!coarse.ok()) return *out = coarse.status(), true;
  *out = channels == 3 && plan.smoothLevel ? expandSmoothOpaqueToRgba8(coarse.value(), plan.smooth, w, h)
                                           : expandToRgba8(coarse.value(), plan.finalGrid(), w, h);
  return true;
}

}  // namespace

// Reach: taken to 4 sigma = 2 radii.
extern const BlurStyleEntry kGaussianStyle{
    BlurStyle::kGaussian, "gaussian", nullptr, atRadius, variable, onReducedGrid, 2.0, true, nullptr};

}  // namespace defocus
