// The variable-radius Gaussian on grouped layers (radius_layers_grouped.h). A layer of
// radius r is a Gaussian of sigma r / 2; from radius 3 up it runs on a grid reduced by the
// largest power of two f <= r / 1.5 (4/3 sigma: few groups, each still >= 0.75 coarse pixel
// of sigma), its sigma corrected for the f x f box's variance (f^2 - 1) / 12. So every
// layer's sigma on its grid is below 1.5 pixels, and a direct filter of at most 13 taps
// per axis, run only over the box of pixels the layer is used on, beats a recursive one
// (whose cost per pixel does not shrink with sigma) over whole rows. Gaussians of
// neighbouring sigmas blend into one of a sigma between them closely, so the layers are
// further apart than the lens blur's (whose discs' rims would show as two rings).
#include <algorithm>
#include <cmath>
#include <vector>

#include "defocus/blur.h"
#include "defocus/buffer.h"
#include "blur/gaussian/gaussian_variable.h"
#include "blur/layers/radius_layers_grouped.h"

namespace defocus {
namespace {

// Sampled Gaussian taps out to 4 sigma (the tail beyond holds under 7e-5), normalised.
std::vector<float> gaussianTaps(float sigma) {
  const int reach = std::max(1, static_cast<int>(std::ceil(4 * sigma)));
  std::vector<float> taps(2 * reach + 1);
  double sum = 0;
  for (int i = -reach; i <= reach; ++i) {
    const double v = sigma > 0 ? std::exp(-0.5 * i * i / (double(sigma) * sigma)) : (i == 0 ? 1.0 : 0.0);
    taps[i + reach] = static_cast<float>(v), sum += v;
  }
  for (float& t : taps) t = static_cast<float>(t / sum);
  return taps;
}

// Scratch of filterBox, kept from call to call (every sample is written before it is read).
struct FilterScratch {
  Buffer<float> padded, across;
};

// The separable filter over columns x0..x1 of rows y0..y1 (it reads `reach` beyond them,
// edge pixels repeated past the plane's edges): along x into `across`, then along y. Each
// tap is a unit-stride multiply-add over a row, so the loops vectorise. False when out of memory.
bool filterBox(const float* in, int width, int height, const std::vector<float>& taps, int x0, int x1, int y0, int y1,
               FilterScratch& scratch, float* out) {
  const int reach = static_cast<int>(taps.size() / 2), cw = x1 - x0 + 1, rows = y1 - y0 + 1 + 2 * reach;
  if (!scratch.padded.resize(cw + 2 * reach) || !scratch.across.resize(static_cast<size_t>(rows) * cw)) return false;
  float *padded = scratch.padded.data(), *across = scratch.across.data();
  for (int j = 0; j < rows; ++j) {
    const float* src = in + static_cast<size_t>(std::clamp(y0 - reach + j, 0, height - 1)) * width;
    for (int i = 0; i < cw + 2 * reach; ++i) padded[i] = src[std::clamp(x0 - reach + i, 0, width - 1)];
    float* dst = across + static_cast<size_t>(j) * cw;
    for (int x = 0; x < cw; ++x) dst[x] = taps[0] * padded[x];
    for (size_t t = 1; t < taps.size(); ++t) {
      const float k = taps[t], *p = padded + t;
      for (int x = 0; x < cw; ++x) dst[x] += k * p[x];
    }
  }
  for (int y = y0; y <= y1; ++y) {
    float* dst = out + static_cast<size_t>(y) * width + x0;
    const float* first = across + static_cast<size_t>(y - y0) * cw;  // row y - reach
    for (int x = 0; x < cw; ++x) dst[x] = taps[0] * first[x];
    for (size_t t = 1; t < taps.size(); ++t) {
      const float k = taps[t], *p = first + t * cw;
      for (int x = 0; x < cw; ++x) dst[x] += k * p[x];
    }
  }
  return true;
}

class GaussianLayers : public GroupedLayerStyle {
 public:
  int factor(float radius) override { return powerOfTwoAtMost(radius / 1.5); }

  Status blurPlane(const float* in, int width, int height, float radius, int f, const LayerRanges& r,
                   float* out) override {
    const double sigma = radius / 2.0;
    const float coarse = static_cast<float>(std::sqrt(std::max(0.0, sigma * sigma - (f * f - 1) / 12.0)) / f);
    int x0 = width, x1 = -1;  // the columns the ranges span
    for (const LayerRanges::Run& run : r.runs) x0 = std::min(x0, run.x0), x1 = std::max(x1, run.x1);
    if (x1 < x0) return Status::success();
    if (!filterBox(in, width, height, gaussianTaps(coarse), x0, x1, r.y0, r.y1, scratch_, out)) {
      return {ErrorCode::kOutOfMemory, "out of memory for the variable Gaussian blur"};
    }
    return Status::success();
  }

 private:
  FilterScratch scratch_;
};

}  // namespace

Result<ImagePlanar> gaussianBlurVariable(const ImagePlanar& linear, const float* map, const BlurOptions& o,
                                         const uint8_t* needed, RowRange rows, float top) {
  GaussianLayers style;
  return blurVariableOnGroupedLayers(linear, map, o, kGaussianLayerRatio, style, needed, rows, top);
}

}  // namespace defocus
