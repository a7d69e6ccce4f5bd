#include "defocus/background_fill.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace defocus {
namespace {

constexpr float kTrustedAlpha = 0.25f;  // from this alpha on, a pixel's colour is not used

// One level of the pyramid: colour planes premultiplied by confidence, and the confidence.
struct Level {
  int width = 0, height = 0, channels = 0;
  std::vector<float> weighted;  // channels planes
  std::vector<float> weight;
  float* plane(int c) { return weighted.data() + static_cast<size_t>(c) * width * height; }
};

// 2x2 box sum of the next finer level (edge pixels of odd sizes are repeated).
Level push(Level& fine) {
  Level coarse;
  coarse.width = (fine.width + 1) / 2;
  coarse.height = (fine.height + 1) / 2;
  coarse.channels = fine.channels;
  const size_t n = static_cast<size_t>(coarse.width) * coarse.height;
  coarse.weighted.assign(n * coarse.channels, 0.0f);
  coarse.weight.assign(n, 0.0f);
  const int pairs = fine.width / 2;  // columns 2x, 2x + 1 both inside: a straight loop
  auto sum = [&](const float* src, float* dst) {
    for (int y = 0; y < coarse.height; ++y) {
      const float* r0 = src + static_cast<size_t>(2 * y) * fine.width;
      const float* r1 = src + static_cast<size_t>(std::min(2 * y + 1, fine.height - 1)) * fine.width;
      float* d = dst + static_cast<size_t>(y) * coarse.width;
      for (int x = 0; x < pairs; ++x) d[x] = 0.25f * (r0[2 * x] + r0[2 * x + 1] + r1[2 * x] + r1[2 * x + 1]);
      if (pairs < coarse.width) d[pairs] = 0.5f * (r0[fine.width - 1] + r1[fine.width - 1]);
    }
  };
  sum(fine.weight.data(), coarse.weight.data());
  for (int c = 0; c < fine.channels; ++c) sum(fine.plane(c), coarse.plane(c));
  return coarse;
}

// Fills the finer level: where its confidence w is below 1, blend in the coarser level's
// (already filled) colour, bilinearly upsampled, by 1 - w.
void pull(Level& fine, Level& coarse) {
  for (int y = 0; y < fine.height; ++y) {
    const float v = std::clamp((y + 0.5f) / 2 - 0.5f, 0.0f, coarse.height - 1.0f);
    const int j0 = static_cast<int>(v), j1 = std::min(j0 + 1, coarse.height - 1);
    const float fy = v - j0;
    for (int x = 0; x < fine.width; ++x) {
      const size_t i = static_cast<size_t>(y) * fine.width + x;
      // Fully confident pixels keep their colour: at full size that is most of the photo.
      if (fine.weight[i] >= 1.0f) continue;
      const float w = fine.weight[i];
      const float u = std::clamp((x + 0.5f) / 2 - 0.5f, 0.0f, coarse.width - 1.0f);
      const int i0 = static_cast<int>(u), i1 = std::min(i0 + 1, coarse.width - 1);
      const float fx = u - i0;
      for (int c = 0; c < fine.channels; ++c) {
        const float* p = coarse.plane(c);
        const float top = p[j0 * coarse.width + i0] + fx * (p[j0 * coarse.width + i1] - p[j0 * coarse.width + i0]);
        const float bottom = p[j1 * coarse.width + i0] + fx * (p[j1 * coarse.width + i1] - p[j1 * coarse.width + i0]);
        const float below = top + fy * (bottom - top);
        // Own colour where confident, the coarser estimate where not: for premultiplied
        // values, weighted + (1 - w) * below is both at once.
        fine.plane(c)[i] += (1 - w) * below;
      }
      fine.weight[i] = 1.0f;
    }
  }
}

}  // namespace

Result<ImagePlanar> fillBackground(const ImagePlanar& linear, const ImagePlanar& matte) {
  if (linear.samples.empty() || matte.width != linear.width || matte.height != linear.height || matte.channels < 1) {
    return Status{ErrorCode::kInvalidArgument, "matte must be one plane of the image's size"};
  }
  std::vector<Level> levels(1);
  Level& base = levels[0];  // valid until levels grows below
  base.width = linear.width;
  base.height = linear.height;
  base.channels = linear.channels;
  const size_t n = linear.planeSize();
  base.weight.resize(n);
  base.weighted.resize(n * linear.channels);
  bool anyBackground = false;
  for (size_t i = 0; i < n; ++i) {
    // Only what is nearly pure background is trusted: edge pixels mix in the subject.
    const float trust = std::clamp(1.0f - matte.plane(0)[i] / kTrustedAlpha, 0.0f, 1.0f);
    base.weight[i] = trust * trust;
    anyBackground |= base.weight[i] > 0;
  }
  for (int c = 0; c < linear.channels; ++c) {
    for (size_t i = 0; i < n; ++i) base.plane(c)[i] = linear.plane(c)[i] * base.weight[i];
  }
  if (!anyBackground) return copyPlanes(linear);  // nothing to fill from: the image is all subject
  Result<ImagePlanar> out = ImagePlanar::create(linear.width, linear.height, linear.channels);
  if (!out.ok()) return out;
  while (levels.back().width > 1 || levels.back().height > 1) levels.push_back(push(levels.back()));
  // The 1x1 top is the confidence-weighted mean colour: normalise it.
  Level& top = levels.back();
  for (int c = 0; c < top.channels; ++c) top.plane(c)[0] = top.weight[0] > 0 ? top.plane(c)[0] / top.weight[0] : 0;
  top.weight[0] = 1;
  for (size_t l = levels.size() - 1; l > 0; --l) pull(levels[l - 1], levels[l]);
  for (int c = 0; c < linear.channels; ++c) {  // levels grew: take the base level afresh
    std::memcpy(out.value().plane(c), levels[0].plane(c), n * sizeof(float));
  }
  return out;
}

}  // namespace defocus
