// Variable-radius blurs of the other styles against a plain reference: every layer
// blurred over the whole image at full resolution, blended per pixel with hat weights.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "defocus/blur.h"
#include "fixtures.h"

using namespace defocus;

namespace {

// Layers 0, 0.5 .. max a factor `ratio` apart, each the style's fixed blur of the whole
// image; each pixel blends its two nearest linearly in radius.
ImagePlanar referenceBlend(const ImagePlanar& image, const std::vector<float>& map, const BlurOptions& o, float ratio) {
  const float hi = *std::max_element(map.begin(), map.end());
  std::vector<float> radii{0.0f};
  const int steps = static_cast<int>(std::ceil(std::log(hi / 0.5f) / std::log(ratio)));
  for (int k = 0; k <= steps; ++k) radii.push_back(0.5f * std::pow(hi / 0.5f, float(k) / steps));
  ImagePlanar out = ImagePlanar::create(image.width, image.height, image.channels).take();
  std::fill(out.samples.data(), out.samples.data() + out.samples.size(), 0.0f);
  for (size_t k = 0; k < radii.size(); ++k) {
    const ImagePlanar layer = blurLinearAtRadius(image, radii[k], o).take();
    for (size_t i = 0; i < image.planeSize(); ++i) {
      const float r = map[i];
      float w = 0;
      if (r == radii[k]) w = 1;
      else if (k > 0 && r < radii[k] && r > radii[k - 1]) w = (r - radii[k - 1]) / (radii[k] - radii[k - 1]);
      else if (k + 1 < radii.size() && r > radii[k] && r < radii[k + 1]) w = (radii[k + 1] - r) / (radii[k + 1] - radii[k]);
      for (int c = 0; c < image.channels; ++c) out.plane(c)[i] += w * layer.plane(c)[i];
    }
  }
  return out;
}

}  // namespace

TEST(VariableBlur, GaussianMotionAndRadialStayCloseToThePerLayerReference) {
  // (Motion and radial take each pixel's own length in one pass, with no layers: the layer
  // blend is checked against all the same, as what the Gaussian's layers are held to.)
  const ImagePlanar& photo = fixtures::photoLinear("dandelions_backlit.jpg", 600);
  const std::vector<float> map = fixtures::depthLikeMap(photo.width, photo.height, 40.0f);
  for (BlurStyle style : {BlurStyle::kGaussian, BlurStyle::kMotion, BlurStyle::kRadial}) {
    BlurOptions o;
    o.style = style;
    o.angleDegrees = 25;
    o.centerX = 0.4f, o.centerY = 0.6f;
    auto fast = blurLinearVariable(photo, map.data(), o);
    ASSERT_TRUE(fast.ok()) << fast.status().reason();
    const ImagePlanar reference = referenceBlend(photo, map, o, 1.25f);
    // The metric must tell layer spacings apart, else it proves nothing.
    const ImagePlanar sparse = referenceBlend(photo, map, o, 4.0f);
    const double psnr = fixtures::psnrSrgb(fast.value(), reference);
    const double psnrSparse = fixtures::psnrSrgb(sparse, reference);
    std::printf("%-8s variable vs per-layer reference PSNR %.1f dB (reference with layers 4x apart: %.1f dB)\n",
                blurStyleName(style), psnr, psnrSparse);
    EXPECT_GE(psnr, 40.0) << blurStyleName(style);
    EXPECT_LT(psnrSparse, psnr - 3.0) << blurStyleName(style);
  }
}

TEST(VariableBlur, PixelsNotNeededAreSkippedAndTheRestAreUnchanged) {
  // What a render asks for: the background behind a sharp subject (an ellipse) is hidden.
  const ImagePlanar& photo = fixtures::photoLinear("dandelions_backlit.jpg", 600);
  const int w = photo.width, h = photo.height;
  const std::vector<float> map = fixtures::depthLikeMap(w, h, 40.0f);
  std::vector<uint8_t> needed(photo.planeSize());
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const float dx = (x - 0.5f * w) / (0.2f * w), dy = (y - 0.6f * h) / (0.35f * h);
      needed[static_cast<size_t>(y) * w + x] = dx * dx + dy * dy >= 1;
    }
  }
  // (Motion and radial take every pixel's length in one pass and blur everything.)
  for (BlurStyle style : {BlurStyle::kLens, BlurStyle::kGaussian}) {
    BlurOptions o;
    o.style = style;
    const ImagePlanar whole = blurLinearVariable(photo, map.data(), o).take();
    const ImagePlanar masked = blurLinearVariable(photo, map.data(), o, needed.data()).take();
    double worst = 0;
    size_t hidden = 0, skipped = 0;
    for (size_t i = 0; i < photo.planeSize(); ++i) {
      for (int c = 0; c < photo.channels; ++c) {
        const double d = std::fabs(double(masked.plane(c)[i]) - whole.plane(c)[i]);
        if (needed[i]) worst = std::max(worst, d);
      }
      if (!needed[i]) hidden++, skipped += masked.plane(0)[i] == 0 && whole.plane(0)[i] != 0;
    }
    std::printf("%-8s needed pixels: worst change %.2e; hidden pixels left unblurred: %.1f%%\n", blurStyleName(style),
                worst, 100.0 * skipped / hidden);
    EXPECT_LT(worst, 1e-4) << blurStyleName(style);
    EXPECT_GT(skipped, hidden / 2) << blurStyleName(style);  // the mask really saved work
  }
}

// A radius map with a value out of range (negative, NaN or past any radius) is refused
// wherever it sits: within a row's four-at-a-time part or its last columns.
TEST(VariableBlur, MapsWithAValueOutOfRangeAreRefused) {
  const int w = 203, h = 20;  // 203 = 50 x 4 + 3
  ImagePlanar photo = ImagePlanar::create(w, h, 3).take();
  std::fill(photo.samples.data(), photo.samples.data() + photo.samples.size(), 0.25f);
  const std::vector<uint8_t> needed(photo.planeSize(), 1);
  for (BlurStyle style : {BlurStyle::kLens, BlurStyle::kGaussian}) {
    BlurOptions o;
    o.style = style;
    std::vector<float> map(photo.planeSize(), 3.0f);
    ASSERT_TRUE(blurLinearVariable(photo, map.data(), o).ok());
    for (float bad : {-1.0f, 1e9f, NAN}) {  // NaN last: were it taken, the layer plan would not end
      for (int x : {5, w - 1}) {
        map.assign(photo.planeSize(), 3.0f);
        map[static_cast<size_t>(7) * w + x] = bad;
        for (const uint8_t* mask : {static_cast<const uint8_t*>(nullptr), needed.data()}) {
          const auto blurred = blurLinearVariable(photo, map.data(), o, mask);
          EXPECT_EQ(blurred.status().code(), ErrorCode::kInvalidArgument)
              << blurStyleName(style) << " value " << bad << " at x " << x << (mask ? " with a mask" : "");
        }
      }
    }
  }
}
