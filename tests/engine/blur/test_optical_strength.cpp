// Strength 100 is an 85 mm f/1.4 portrait at 1.5 m: a distant point light behind the
// subject spreads into a disc whose radius is 4-4.5% of the frame diagonal (the thin-lens
// circle of confusion f^2 / (N (s - f)) on a 36x24 mm frame: 4.21%).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "defocus/render.h"
#include "spot_metrics.h"

using namespace defocus;

namespace {

// Thin lens, computed here from the optics rather than read from the engine's constant.
double cocRadiusFraction(double focalMm, double fNumber, double distanceMm) {
  const double diameter = focalMm * focalMm / (fNumber * (distanceMm - focalMm));
  return diameter / 2 / std::hypot(36.0, 24.0);
}

}  // namespace

TEST(OpticalStrength, PointLightAtStrength100IsTheDiscOfAn85mmF14) {
  const int w = 900, h = 600;  // 3:2 like the 36x24 frame
  auto linear = ImagePlanar::create(w, h, 3).take();
  auto matte = ImagePlanar::create(w, h, 1).take();
  std::fill(linear.samples.data(), linear.samples.data() + linear.samples.size(), 0.05f);  // flat background
  std::fill(matte.samples.data(), matte.samples.data() + matte.samples.size(), 0.0f);
  for (int y = 500; y < 600; ++y) {  // a small subject in the corner, far from the light
    for (int x = 0; x < 100; ++x) matte.plane(0)[static_cast<size_t>(y) * w + x] = 1.0f;
  }
  for (int c = 0; c < 3; ++c) linear.plane(c)[static_cast<size_t>(300) * w + 500] = 2000.0f;
  RenderOptions o;
  o.blur.strength = 100;
  o.depth.mode = DepthMode::kFlat;  // the background at infinity
  o.grain = false;
  auto out = renderPortraitLinear(linear, matte, o);
  ASSERT_TRUE(out.ok()) << out.status().reason();
  std::vector<float> light(static_cast<size_t>(w) * h);
  for (size_t i = 0; i < light.size(); ++i) light[i] = out.value().plane(1)[i] - 0.05f;  // the disc alone
  const spot::Disc disc = spot::measure(light.data(), w, h);
  const double fraction = disc.radius / std::hypot(double(w), double(h));
  const double optics = cocRadiusFraction(85, 1.4, 1500);
  std::printf("disc radius %.1f px = %.2f%% of the diagonal (85 mm f/1.4 at 1.5 m: %.2f%%)\n", disc.radius, 100 * fraction,
              100 * optics);
  EXPECT_GE(fraction, 0.040);
  EXPECT_LE(fraction, 0.045);
  EXPECT_NEAR(fraction, optics, 0.002);
  EXPECT_NEAR(disc.centerX, 500, 2);
  EXPECT_NEAR(disc.centerY, 300, 2);
}
