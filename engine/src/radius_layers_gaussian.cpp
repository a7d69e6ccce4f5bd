// The variable-radius Gaussian on grouped layers (radius_layers_grouped.h). A layer of
// radius r is a Gaussian of sigma r / 2; from radius 3 up it runs on a grid reduced by the
// largest power of two f <= r / 1.5 (4/3 sigma: few groups, each still >= 0.75 coarse pixel of sigma), its
// sigma corrected for the f x f box's variance (f^2 - 1) / 12. Gaussians of neighbouring
// sigmas blend into one of a sigma between them closely, so the layers are further apart
// than the lens blur's (whose discs' rims would show as two rings).
#include <algorithm>
#include <cmath>

#include "defocus/blur.h"
#include "defocus/gaussian_blur.h"
#include "radius_layers_grouped.h"

namespace defocus {
namespace {

class GaussianLayers : public GroupedLayerStyle {
 public:
  int factor(float radius) override { return powerOfTwoAtMost(radius / 1.5); }

  Status blurPlane(const float* in, int width, int height, float radius, int f, const LayerRanges& r,
                   float* out) override {
    const double sigma = radius / 2.0;
    const float coarse = static_cast<float>(std::sqrt(std::max(0.0, sigma * sigma - (f * f - 1) / 12.0)) / f);
    // The rows used plus the Gaussian's reach (5 sigma: its tail there is below 4e-6).
    const int margin = static_cast<int>(std::ceil(5 * coarse)) + 8;
    const int y0 = std::max(0, r.y0 - margin), y1 = std::min(height - 1, r.y1 + margin);
    Result<ImagePlanar> crop = ImagePlanar::create(width, y1 - y0 + 1, 1);
    if (!crop.ok()) return crop.status();
    std::copy_n(in + static_cast<size_t>(y0) * width, crop.value().planeSize(), crop.value().plane(0));
    Result<ImagePlanar> blurred = gaussianBlur(crop.value(), std::max(coarse, kMinGaussianSigma));
    if (!blurred.ok()) return blurred.status();
    // Below the smallest sigma the filter models, fade from the plane to that blur.
    const float t = std::min(1.0f, coarse / kMinGaussianSigma);
    for (int y = r.y0; y <= r.y1; ++y) {
      const float* b = blurred.value().plane(0) + static_cast<size_t>(y - y0) * width;
      const float* s = in + static_cast<size_t>(y) * width;
      float* o = out + static_cast<size_t>(y) * width;
      for (int x = 0; x < width; ++x) o[x] = s[x] + t * (b[x] - s[x]);
    }
    return Status::success();
  }
};

}  // namespace

Result<ImagePlanar> gaussianBlurVariable(const ImagePlanar& linear, const float* map, const BlurOptions& o) {
  GaussianLayers style;
  return blurVariableOnGroupedLayers(linear, map, o, kGaussianLayerRatio, style);
}

}  // namespace defocus
