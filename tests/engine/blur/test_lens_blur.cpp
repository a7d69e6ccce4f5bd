#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "blur/lens_layers_reference.h"
#include "blur_reference.h"
#include "defocus/lens_blur.h"
#include "fixtures.h"
#include "spot_metrics.h"

using namespace defocus;

namespace {

// A black linear image with one bright pixel (all three colour planes).
ImagePlanar pointLight(int size, float value, int x, int y) {
  auto image = ImagePlanar::create(size, size, 3).take();
  std::fill(image.samples.data(), image.samples.data() + image.samples.size(), 0.0f);
  for (int c = 0; c < 3; ++c) image.plane(c)[static_cast<size_t>(y) * size + x] = value;
  return image;
}

spot::Disc blurPoint(float radius, const Aperture& aperture, int size = 301) {
  const ImagePlanar image = pointLight(size, 1000.0f, size / 2 + 1, size / 2 - 2);
  auto blurred = lensBlur(image, radius, aperture);
  EXPECT_TRUE(blurred.ok()) << blurred.status().reason();
  return spot::measure(blurred.value().plane(0), size, size);
}

}  // namespace

class LensDisc : public ::testing::TestWithParam<float> {};

TEST_P(LensDisc, PointBecomesAFlatDiscOfTheExpectedRadius) {
  const float radius = GetParam();
  const spot::Disc d = blurPoint(radius, Aperture{});
  std::printf("radius %5.1f: measured %.2f, interior CV %.2f%%, corners %d\n", radius, d.radius, 100 * d.interiorCv,
              spot::countCorners(d.rim));
  EXPECT_NEAR(d.radius, radius, 1.0);
  EXPECT_LT(d.interiorCv, 0.05);
  // Below ~20 px the disc is rendered on a grid where it is only 4-6 pixels wide: its rim
  // ripples by a few percent (still within the radius bound above); larger discs are round.
  if (radius >= 20) EXPECT_EQ(spot::countCorners(d.rim), 0) << "a circular aperture has no corners";
}

INSTANTIATE_TEST_SUITE_P(Radii, LensDisc, ::testing::Values(4.0f, 8.0f, 12.5f, 30.0f, 64.0f, 110.0f));

TEST(LensBlur, PolygonApertureShowsItsBlades) {
  for (int blades : {5, 6, 7, 9}) {
    const spot::Disc d = blurPoint(60.0f, Aperture{blades, 0.0f, 0.0f}, 241);
    const int corners = spot::countCorners(d.rim);
    std::printf("%d blades: %d corners, radius %.1f\n", blades, corners, d.radius);
    EXPECT_EQ(corners, blades);
  }
  // Full curvature rounds the blades into a circle again.
  EXPECT_EQ(spot::countCorners(blurPoint(60.0f, Aperture{6, 0.0f, 1.0f}, 241).rim), 0);
}

TEST(LensBlur, RotationTurnsTheCorners) {
  const spot::Disc a = blurPoint(40.0f, Aperture{6, 0.0f, 0.0f}, 161);
  const spot::Disc b = blurPoint(40.0f, Aperture{6, 30.0f, 0.0f}, 161);
  // A hexagon rotated by 30 degrees puts an edge midpoint where a corner was.
  EXPECT_GT(a.rim[0], b.rim[0] + 2);
  EXPECT_GT(b.rim[30], a.rim[30] + 2);
}

TEST(LensBlur, ConservesEnergy) {
  const ImagePlanar image = reference::noiseWithEdges(320, 240, 3, 5);
  for (float radius : {3.0f, 15.0f, 80.0f}) {
    auto blurred = lensBlur(image, radius, Aperture{6, 10.0f, 0.2f});
    ASSERT_TRUE(blurred.ok());
    const double ratio = reference::totalEnergy(blurred.value()) / reference::totalEnergy(image);
    EXPECT_NEAR(ratio, 1.0, 0.01) << "radius " << radius;
  }
}

TEST(LensBlur, HighlightsBloomIntoBrightDiscsAndOnlyAboveThreshold) {
  const int size = 161;
  const float radius = 20;
  auto plateau = [&](float value, float boost) {
    const ImagePlanar image = pointLight(size, value, 80, 80);
    auto blurred = lensBlur(image, radius, Aperture{}, Highlights{0.75f, boost});
    EXPECT_TRUE(blurred.ok());
    return spot::measure(blurred.value().plane(0), size, size).plateau;
  };
  // A clipped light (1.0) is boosted by 1 + boost; a mid-grey point (0.5) is not.
  EXPECT_NEAR(plateau(1.0f, 20.0f) / plateau(1.0f, 0.0f), 21.0, 21.0 * 0.05);
  EXPECT_NEAR(plateau(0.5f, 20.0f) / plateau(0.5f, 0.0f), 1.0, 0.01);
}

TEST(LensBlur, VariableRadiusWithConstantMapEqualsFixedRadius) {
  const ImagePlanar image = reference::noiseWithEdges(200, 150, 3, 9);
  std::vector<float> map(image.planeSize(), 12.0f);
  auto fixed = lensBlur(image, 12.0f, Aperture{});
  auto variable = lensBlurVariable(image, map.data(), Aperture{});
  ASSERT_TRUE(fixed.ok() && variable.ok());
  EXPECT_LE(reference::maxAbsDifference(fixed.value(), variable.value()), 1e-6);
}

TEST(LensBlur, RampMapHasNoSeams) {
  // Horizontal bars blurred with a radius growing from 0 (sharp) to 40 left to right. Each
  // column then depends only on its radius, so the column-to-column change must vary
  // smoothly; a seam between radius layers (or resolutions) stands out as a spike.
  const int w = 480, h = 200;
  auto bars = ImagePlanar::create(w, h, 3).take();
  unsigned state = 12345;
  float value = 0;
  for (int y = 0, next = 0; y < h; ++y) {
    if (y == next) {
      state = state * 1664525u + 1013904223u;
      next = y + 3 + static_cast<int>((state >> 16) % 18);
      value = value > 0.5f ? 0.05f : 0.9f;
    }
    for (int c = 0; c < 3; ++c) std::fill(bars.plane(c) + y * w, bars.plane(c) + (y + 1) * w, value);
  }
  std::vector<float> map(static_cast<size_t>(w) * h);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) map[y * w + x] = 40.0f * x / (w - 1);
  }
  auto blurred = lensBlurVariable(bars, map.data(), Aperture{});
  ASSERT_TRUE(blurred.ok()) << blurred.status().reason();
  const float* out = blurred.value().plane(0);
  std::vector<double> step(w - 1);
  for (int x = 0; x + 1 < w; ++x) {
    double acc = 0;
    for (int y = 50; y < h - 50; ++y) acc += std::fabs(out[y * w + x + 1] - out[y * w + x]);
    step[x] = acc / (h - 100);
  }
  double worst = 0;
  int worstX = 0;
  for (int x = 60; x + 60 < w - 1; ++x) {  // away from the left/right image borders
    std::vector<double> window(step.begin() + x - 8, step.begin() + x + 9);
    std::nth_element(window.begin(), window.begin() + 8, window.end());
    if (step[x] / window[8] > worst) worst = step[x] / window[8], worstX = x;
  }
  std::printf("ramp: worst column step vs local median %.2f at radius %.1f\n", worst, map[worstX]);
  if (std::getenv("DEFOCUS_DUMP")) {
    for (int x = 0; x < w - 1; ++x) std::printf("%d:%.5f%s", x, step[x], x % 10 == 9 ? "\n" : " ");
  }
  EXPECT_LT(worst, 1.5);
}

TEST(LensBlur, FastVariablePathStaysCloseToTheReferenceLayers) {
  // The fast layer layout (fewer layers, small radii on a half-resolution grid) against
  // the reference (layers 1.25x apart, every disc at least 4 coarse pixels), on a photo
  // with a depth-like map: sharp at the bottom, 0..30 px upwards, plus a smooth bump.
  const ImagePlanar& photo = fixtures::photoLinear("dandelions_backlit.jpg", 600);
  const std::vector<float> map = fixtures::depthLikeMap(photo.width, photo.height, 30.0f);
  for (const Aperture aperture : {Aperture{}, Aperture{6, 15.0f, 0.0f}}) {
    const Highlights bloom{0.75f, 8.0f};
    auto reference = reference::lensBlurVariable(photo, map.data(), aperture, bloom);
    auto fast = lensBlurVariable(photo, map.data(), aperture, bloom);
    ASSERT_TRUE(reference.ok() && fast.ok());
    // The same disc a layer apart must differ (else the comparison proves nothing).
    auto coarse = lensBlurVariable(photo, map.data(), aperture, bloom, VariableLensTuning{4.0f, 1.0});
    ASSERT_TRUE(coarse.ok());
    const double psnr = fixtures::psnrSrgb(fast.value(), reference.value());
    const double psnrCoarse = fixtures::psnrSrgb(coarse.value(), reference.value());
    std::printf("blades %d: fast variable lens vs reference PSNR %.1f dB (layers 4x apart: %.1f dB)\n", aperture.blades,
                psnr, psnrCoarse);
    EXPECT_GE(psnr, 40.0);
    EXPECT_LT(psnrCoarse, psnr - 3.0);
  }
}

TEST(LensBlur, LongRowsKeepFullPrecision) {
  // The span sums come from per-row prefix sums in float. Far along a 16000-pixel row of
  // bright noise they must still agree with the same pixels blurred in a short crop (small
  // sums): a plain float prefix sum there would be off by about 1e-3.
  const int w = 16000, h = 24, cropX = w - 300, cw = 300;
  auto wide = ImagePlanar::create(w, h, 1).take();
  unsigned state = 7;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      state = state * 1664525u + 1013904223u;
      wide.plane(0)[static_cast<size_t>(y) * w + x] = 0.9f + 0.1f * static_cast<float>(state >> 8) / (1u << 24);
    }
  }
  const ImagePlanar crop = cropPlanes(wide, cropX, 0, cw, h).take();
  for (float radius : {2.5f, 40.0f}) {  // full resolution and a reduced grid
    auto a = lensBlur(wide, radius, Aperture{});
    auto b = lensBlur(crop, radius, Aperture{});
    ASSERT_TRUE(a.ok() && b.ok());
    double worst = 0;
    for (int y = 0; y < h; ++y) {
      for (int x = 100; x < 200; ++x) {  // beyond the kernel's reach from the crop's sides
        worst = std::max(worst, double(std::fabs(a.value().plane(0)[static_cast<size_t>(y) * w + cropX + x] -
                                                 b.value().plane(0)[static_cast<size_t>(y) * cw + x])));
      }
    }
    std::printf("radius %.1f: long row vs short crop, largest difference %.2g\n", radius, worst);
    EXPECT_LT(worst, 2e-5) << "radius " << radius;
  }
}

TEST(LensBlur, BadParametersAreNamed) {
  const ImagePlanar image = reference::noiseWithEdges(20, 20, 3, 1);
  auto reasonOf = [](const Result<ImagePlanar>& r) { return r.ok() ? std::string("ok") : r.status().reason(); };
  EXPECT_NE(reasonOf(lensBlur(image, NAN, Aperture{})).find("radius"), std::string::npos);
  EXPECT_NE(reasonOf(lensBlur(image, -1, Aperture{})).find("radius"), std::string::npos);
  EXPECT_NE(reasonOf(lensBlur(image, 5, Aperture{2, 0, 0})).find("blades"), std::string::npos);
  EXPECT_NE(reasonOf(lensBlur(image, 5, Aperture{6, 0, 1.5f})).find("curvature"), std::string::npos);
  EXPECT_NE(reasonOf(lensBlur(image, 5, Aperture{}, Highlights{1.2f, 1})).find("threshold"), std::string::npos);
  EXPECT_NE(reasonOf(lensBlur(image, 5, Aperture{}, Highlights{0.5f, -1})).find("boost"), std::string::npos);
  std::vector<float> map(image.planeSize(), 3.0f);
  map[17] = NAN;
  EXPECT_NE(reasonOf(lensBlurVariable(image, map.data(), Aperture{})).find("radius map"), std::string::npos);
  ImagePlanar empty;
  EXPECT_EQ(lensBlur(empty, 3, Aperture{}).status().code(), ErrorCode::kInvalidArgument);
}
