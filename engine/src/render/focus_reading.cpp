#include "defocus/focus_reading.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "defocus/color.h"
#include "defocus/gaussian_blur.h"

namespace defocus {
namespace {

constexpr float kReblurSigma = 1.0f;   // sigma0 of the re-blur, grid px
constexpr float kMaxBlur = 6.0f;       // edge blur is clamped here (grid px): wider reads as noise
constexpr float kMinEdge = 0.04f;      // gradient (gamma-encoded units per px) below which no edge is read
constexpr float kSubjectNear = 0.05f;  // edges within 2 px of matte above this are the subject's outline
constexpr float kSpatial = 40.0f;      // domain transform: spatial reach, grid px
constexpr float kRange = 0.08f;        // domain transform: luminance step that stops the spread
constexpr float kFloorShare = 0.1f;    // what the sharpest background keeps of the geometric depth
constexpr float kShareSmoothing = 0.03f;  // Gaussian sigma of the share, fraction of the grid's diagonal

// Central-difference gradient components of a plane.
void gradient(const float* p, int w, int h, int x, int y, float* gx, float* gy) {
  const auto at = [&](int xx, int yy) { return p[static_cast<size_t>(std::clamp(yy, 0, h - 1)) * w + std::clamp(xx, 0, w - 1)]; };
  *gx = 0.5f * (at(x + 1, y) - at(x - 1, y));
  *gy = 0.5f * (at(x, y + 1) - at(x, y - 1));
}

float percentile(std::vector<float> values, float q) {
  if (values.empty()) return 0;
  const size_t k = std::min(values.size() - 1, static_cast<size_t>(q * values.size()));
  std::nth_element(values.begin(), values.begin() + k, values.end());
  return values[k];
}

// One recursive pass along a line of n samples `stride` apart, forwards then backwards:
// J[i] = (1 - f) I[i] + f J[i-1] with f = a^d the feedback for the step into sample i, on
// the weighted values and on the weights alike (normalised convolution).
void recursiveLine(float* value, float* weight, const float* feedback, size_t n, size_t stride) {
  for (size_t i = 1; i < n; ++i) {
    const float f = feedback[i * stride];
    value[i * stride] += f * (value[(i - 1) * stride] - value[i * stride]);
    weight[i * stride] += f * (weight[(i - 1) * stride] - weight[i * stride]);
  }
  for (size_t i = n - 1; i-- > 0;) {
    const float f = feedback[(i + 1) * stride];
    value[i * stride] += f * (value[(i + 1) * stride] - value[i * stride]);
    weight[i * stride] += f * (weight[(i + 1) * stride] - weight[i * stride]);
  }
}

}  // namespace

Result<FocusReading> readFocus(const ImagePlanar& luminance, const ImagePlanar& matte) {
  const int w = luminance.width, h = luminance.height;
  if (luminance.channels < 1 || matte.width != w || matte.height != h || matte.channels < 1 || w < 3 || h < 3) {
    return Status{ErrorCode::kInvalidArgument, "focus reading needs a luminance plane and a matte of the same size"};
  }
  const size_t n = luminance.planeSize();
  Result<ImagePlanar> encoded = ImagePlanar::create(w, h, 1);
  if (!encoded.ok()) return encoded.status();
  float* l = encoded.value().plane(0);
  for (size_t i = 0; i < n; ++i) {  // edges as seen (gamma-encoded); NaN: black
    const float v = luminance.plane(0)[i];
    l[i] = linearToSrgb(v > 0 ? std::min(v, 1.0f) : 0.0f);
  }
  Result<ImagePlanar> reblurred = gaussianBlur(encoded.value(), kReblurSigma);
  if (!reblurred.ok()) return reblurred.status();
  const float* r = reblurred.value().plane(0);
  std::vector<float> alpha(n);  // 0..1; NaN from a caller counts as background
  for (size_t i = 0; i < n; ++i) {
    const float raw = matte.plane(0)[i];
    alpha[i] = raw > 0 ? std::min(raw, 1.0f) : 0.0f;
  }
  const float* a = alpha.data();

  // The matte's largest value within 2 px: edges there belong to the subject's outline.
  std::vector<float> nearSubject(n, 0.0f);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      float m = 0;
      for (int dy = -2; dy <= 2; ++dy) {
        for (int dx = -2; dx <= 2; ++dx) {
          m = std::max(m, a[static_cast<size_t>(std::clamp(y + dy, 0, h - 1)) * w + std::clamp(x + dx, 0, w - 1)]);
        }
      }
      nearSubject[static_cast<size_t>(y) * w + x] = m;
    }
  }

  FocusReading out;
  Result<ImagePlanar> blur = ImagePlanar::create(w, h, 1), confidence = ImagePlanar::create(w, h, 1);
  if (!blur.ok()) return blur.status();
  if (!confidence.ok()) return confidence.status();
  float* value = blur.value().plane(0);
  float* weight = confidence.value().plane(0);
  std::fill(value, value + n, 0.0f);
  std::fill(weight, weight + n, 0.0f);
  std::vector<float> subjectSigmas, backgroundSigmas;
  for (int y = 1; y < h - 1; ++y) {
    for (int x = 1; x < w - 1; ++x) {
      const size_t i = static_cast<size_t>(y) * w + x;
      float gx, gy;
      gradient(l, w, h, x, y, &gx, &gy);
      const float g = std::hypot(gx, gy);
      if (g < kMinEdge) continue;
      // A local maximum across the edge (along the stronger gradient axis).
      float g1x, g1y, g2x, g2y;
      const bool horizontal = std::fabs(gx) >= std::fabs(gy);
      gradient(l, w, h, x - horizontal, y - !horizontal, &g1x, &g1y);
      gradient(l, w, h, x + horizontal, y + !horizontal, &g2x, &g2y);
      if (g < std::hypot(g1x, g1y) || g <= std::hypot(g2x, g2y)) continue;
      float rx, ry;
      gradient(r, w, h, x, y, &rx, &ry);
      const float ratio = g / std::max(1e-6f, std::hypot(rx, ry));
      const float sigma = ratio > 1.0f ? std::min(kMaxBlur, kReblurSigma / std::sqrt(ratio * ratio - 1.0f)) : kMaxBlur;
      if (a[i] >= 0.9f && nearSubject[i] >= 0.9f) {
        subjectSigmas.push_back(sigma);
      } else if (nearSubject[i] < kSubjectNear) {
        backgroundSigmas.push_back(sigma);
        value[i] = sigma;
        weight[i] = 1.0f;
      }
    }
  }
  out.subjectEdges = static_cast<int>(subjectSigmas.size());
  out.backgroundEdges = static_cast<int>(backgroundSigmas.size());
  out.subjectBlur = subjectSigmas.empty() ? 0.0f : percentile(subjectSigmas, 0.5f);
  out.backgroundBlur = backgroundSigmas.empty() ? 0.0f : percentile(backgroundSigmas, 0.9f);

  // Spread the edge values: three iterations of the domain transform's recursive filter
  // along rows and columns, the reach shrinking each time (its sigma_H schedule). The
  // distance between neighbours grows with the luminance step and with a matte step (the
  // spread does not cross the subject).
  std::vector<float> stepX(n, 1.0f), stepY(n, 1.0f);
  const float ratio = kSpatial / kRange;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const size_t i = static_cast<size_t>(y) * w + x;
      if (x > 0) stepX[i] = 1 + ratio * (std::fabs(l[i] - l[i - 1]) + std::fabs(a[i] - a[i - 1]));
      if (y > 0) stepY[i] = 1 + ratio * (std::fabs(l[i] - l[i - w]) + std::fabs(a[i] - a[i - w]));
    }
  }
  std::vector<float> feedbackX(n), feedbackY(n);
  constexpr int kIterations = 3;
  for (int k = 0; k < kIterations; ++k) {
    const float sigmaH = kSpatial * std::sqrt(3.0f) * std::pow(2.0f, float(kIterations - 1 - k)) /
                         std::sqrt(std::pow(4.0f, float(kIterations)) - 1);
    const float logA = -std::sqrt(2.0f) / sigmaH;  // feedback a = exp(-sqrt 2 / sigma_H), raised to the step
    for (size_t i = 0; i < n; ++i) feedbackX[i] = std::exp(logA * stepX[i]), feedbackY[i] = std::exp(logA * stepY[i]);
    for (int y = 0; y < h; ++y) {
      const size_t row = static_cast<size_t>(y) * w;
      recursiveLine(value + row, weight + row, feedbackX.data() + row, w, 1);
    }
    for (int x = 0; x < w; ++x) recursiveLine(value + x, weight + x, feedbackY.data() + x, h, w);
  }
  // Weight: the density of edge evidence; a few edges within reach are enough.
  const float enough = 0.02f;
  for (size_t i = 0; i < n; ++i) {
    value[i] = weight[i] > 1e-6f ? value[i] / weight[i] : kMaxBlur;
    weight[i] = std::min(1.0f, weight[i] / enough);
  }
  out.blur = blur.take();
  out.confidence = confidence.take();
  return out;
}

Result<ImagePlanar> focusDepthShare(const FocusReading& reading, const ImagePlanar& matte) {
  Result<ImagePlanar> share = ImagePlanar::create(reading.blur.width, reading.blur.height, 1);
  if (!share.ok()) return share;
  // Depth of field to read: the background's edges clearly softer than the subject's.
  // Below 0.2 grid px of difference the photo counts as all in focus (geometry alone), from
  // 0.7 px on as having depth of field.
  const float spread = reading.backgroundBlur - reading.subjectBlur;
  const bool enoughEdges = reading.subjectEdges >= 20 && reading.backgroundEdges >= 20;
  const float t = std::clamp((spread - 0.2f) / 0.5f, 0.0f, 1.0f);
  const float dof = enoughEdges ? t * t * (3 - 2 * t) : 0.0f;
  const float scale = std::max(0.5f, spread);  // blur beyond the subject's that counts as "clearly blurred"
  const float* blur = reading.blur.plane(0);
  const float* confidence = reading.confidence.plane(0);
  float* out = share.value().plane(0);
  (void)matte;
  for (size_t i = 0; i < reading.blur.planeSize(); ++i) {
    const float extra = std::clamp((blur[i] - reading.subjectBlur) / scale, 0.0f, 1.0f);  // defocus beyond the subject's
    const float read = kFloorShare + (1 - kFloorShare) * extra;
    out[i] = 1.0f - dof * confidence[i] * (1.0f - read);
  }
  // Smooth: the render's variable blur blends fixed-radius layers, each run only where it is
  // used; a radius map that changes slowly keeps each layer to a few wide runs.
  const float sigma = kShareSmoothing * std::hypot(float(share.value().width), float(share.value().height));
  return gaussianBlur(share.value(), std::max(kMinGaussianSigma, sigma));
}

}  // namespace defocus
