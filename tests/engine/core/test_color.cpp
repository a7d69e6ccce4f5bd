#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "defocus/color.h"

using namespace defocus;

TEST(Color, EightBitRoundTripIsExactForAll256Values) {
  for (int v = 0; v < 256; ++v) {
    EXPECT_EQ(linearToSrgb8(srgb8ToLinear(static_cast<uint8_t>(v))), v) << "value " << v;
  }
}

TEST(Color, LinearValuesMatchTheStandardFormula) {
  EXPECT_EQ(srgb8ToLinear(0), 0.0f);
  EXPECT_EQ(srgb8ToLinear(255), 1.0f);
  // Reference values from the IEC 61966-2-1 formula evaluated independently.
  EXPECT_NEAR(srgb8ToLinear(10), 10 / 255.0 / 12.92, 1e-7);
  EXPECT_NEAR(srgb8ToLinear(128), std::pow((128 / 255.0 + 0.055) / 1.055, 2.4), 1e-7);
  EXPECT_NEAR(srgb8ToLinear(128), 0.2158605, 1e-6);
}

TEST(Color, QuantisationRoundsToTheNearestCode) {
  // Against a double-precision reference over a dense sweep of linear values.
  for (int i = 0; i <= 200000; ++i) {
    const double v = i / 200000.0;
    const double encoded = v <= 0.0031308 ? v * 12.92 : 1.055 * std::pow(v, 1 / 2.4) - 0.055;
    const double code = encoded * 255.0;
    const double frac = code - std::floor(code);
    if (std::fabs(frac - 0.5) < 1e-4) continue;  // float vs double tie: either answer is right
    ASSERT_EQ(linearToSrgb8(static_cast<float>(v)), static_cast<int>(std::lround(code))) << "linear " << v;
  }
}

TEST(Color, OutOfRangeAndNaNAreClamped) {
  EXPECT_EQ(linearToSrgb8(-1.0f), 0);
  EXPECT_EQ(linearToSrgb8(7.0f), 255);
  EXPECT_EQ(linearToSrgb8(std::nanf("")), 0);
  EXPECT_FLOAT_EQ(linearToSrgb(2.0f), 1.0f);
  EXPECT_FLOAT_EQ(srgbToLinear(-0.5f), 0.0f);
}

TEST(Color, ContinuousFunctionsAreInverse) {
  for (int i = 0; i <= 1000; ++i) {
    const float e = i / 1000.0f;
    EXPECT_NEAR(linearToSrgb(srgbToLinear(e)), e, 2e-6f);
  }
}

TEST(Color, Rgba8PlanarRoundTripKeepsEveryPixel) {
  auto image = ImageRGBA8::create(7, 5).take();
  for (size_t i = 0; i < image.pixels.size(); ++i) image.pixels[i] = static_cast<uint8_t>(i * 37);
  auto linear = rgba8ToLinear(image);
  ASSERT_TRUE(linear.ok());
  auto back = linearToRgba8(linear.value());
  ASSERT_TRUE(back.ok());
  for (size_t i = 0; i < image.pixels.size(); ++i) ASSERT_EQ(back.value().pixels[i], image.pixels[i]) << i;
}

TEST(Color, BucketedQuantisationMatchesThresholdCountingOnEveryFloatSampled) {
  // Definition: the code is the number of thresholds srgbToLinear((k + 0.5) / 255) <= v.
  std::vector<float> thresholds;
  for (int k = 0; k < 255; ++k) {
    const double e = (k + 0.5) / 255;
    thresholds.push_back(static_cast<float>(e <= 0.04045 ? e / 12.92 : std::pow((e + 0.055) / 1.055, 2.4)));
  }
  for (uint32_t bits = 0; bits <= 0x3F800000u; bits += 61) {  // every 61st float in [0, 1]
    float v;
    std::memcpy(&v, &bits, sizeof v);
    const int expected = static_cast<int>(std::upper_bound(thresholds.begin(), thresholds.end(), v) - thresholds.begin());
    ASSERT_EQ(linearToSrgb8(v), expected) << "linear " << v;
  }
  for (float t : thresholds) {  // both sides of every threshold exactly
    const int below = static_cast<int>(std::lower_bound(thresholds.begin(), thresholds.end(), t) - thresholds.begin());
    ASSERT_EQ(linearToSrgb8(t), below + 1);
    ASSERT_EQ(linearToSrgb8(std::nextafter(t, 0.0f)), below);
  }
}

TEST(Color, FastEncoderIsWithinOneCodeAndMostlyExact) {
  std::vector<float> linear;
  for (int i = 0; i <= 1000000; ++i) linear.push_back(i / 1000000.0f);
  linear.push_back(-0.5f);
  linear.push_back(3.0f);
  linear.push_back(std::nanf(""));
  std::vector<float> codes(linear.size());
  linearToSrgb8Approx(linear.data(), codes.data(), linear.size());
  size_t exact = 0;
  for (size_t i = 0; i < linear.size(); ++i) {
    const int reference = linearToSrgb8(linear[i]);
    ASSERT_LE(std::abs(codes[i] - reference), 1.0f) << "linear " << linear[i];
    exact += codes[i] == reference;
  }
  EXPECT_GT(exact, linear.size() * 0.9) << "exact for " << exact << " of " << linear.size();
  for (int v = 0; v < 256; ++v) {  // every 8-bit value survives the round trip
    const float l = srgb8ToLinear(static_cast<uint8_t>(v));
    float code;
    linearToSrgb8Approx(&l, &code, 1);
    EXPECT_EQ(code, v);
  }
}
