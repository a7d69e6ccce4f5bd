// The strength-driven front end over all styles: resolution independence, energy,
// transparency, argument errors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <iterator>
#include <string>
#include <vector>

#include "blur_reference.h"
#include "defocus/blur.h"
#include "defocus/codec.h"
#include "defocus/color.h"
#include "defocus/resample.h"
#include "fixtures.h"

using namespace defocus;

namespace {

const ImagePlanar& photo() { return fixtures::photoLinear("mountain_trail.jpg", 1632); }  // half size: 1632x1224

BlurOptions styleAt(BlurStyle style, float strength) {
  BlurOptions o;
  o.style = style;
  o.strength = strength;
  o.angleDegrees = 25;
  o.centerX = 0.4f;
  o.centerY = 0.6f;
  o.aperture.blades = 6;
  return o;
}

const BlurStyle kAllStyles[] = {BlurStyle::kGaussian, BlurStyle::kLens, BlurStyle::kMotion, BlurStyle::kRadial};

}  // namespace

TEST(BlurStyles, StrengthMapsToAFractionOfTheDiagonal) {
  // 4.21% of the diagonal at strength 100 (an 85 mm f/1.4 at 1.5 m, blur.h).
  EXPECT_NEAR(blurRadiusForStrength(100, 4000, 3000), 210.5, 1e-9);
  EXPECT_NEAR(blurRadiusForStrength(50, 1000, 750), 26.3125, 1e-9);
}

TEST(BlurStyles, SameStrengthLooksTheSameAtAnyResolution) {
  // Blur the full image, then shrink it 4x; or shrink first and blur the preview at the
  // same strength. The two must agree closely.
  const ImagePlanar& big = photo();
  const ImagePlanar small = resize(big, big.width / 4, big.height / 4).take();
  for (BlurStyle style : kAllStyles) {
    for (float strength : {20.0f, 80.0f}) {
      const BlurOptions o = styleAt(style, strength);
      auto blurredBig = blurLinear(big, o);
      auto blurredSmall = blurLinear(small, o);
      ASSERT_TRUE(blurredBig.ok() && blurredSmall.ok());
      const ImagePlanar shrunk = resize(blurredBig.value(), small.width, small.height).take();
      const double psnr = fixtures::psnrSrgb(shrunk, blurredSmall.value());
      std::printf("%-8s strength %3.0f: preview vs full-size PSNR %.1f dB\n", blurStyleName(style), strength, psnr);
      EXPECT_GT(psnr, 32.0) << blurStyleName(style) << " strength " << strength;
    }
  }
}

TEST(BlurStyles, EveryStyleConservesEnergyOnAPhoto) {
  const ImagePlanar& image = photo();
  const double before = reference::totalEnergy(image);
  for (BlurStyle style : kAllStyles) {
    for (float strength : {10.0f, 50.0f, 100.0f}) {
      auto blurred = blurLinear(image, styleAt(style, strength));
      ASSERT_TRUE(blurred.ok());
      const double ratio = reference::totalEnergy(blurred.value()) / before;
      EXPECT_NEAR(ratio, 1.0, 0.01) << blurStyleName(style) << " strength " << strength;
    }
  }
}

TEST(BlurStyles, TransparentPixelsDoNotBleedColour) {
  auto image = ImageRGBA8::create(64, 32).take();
  for (int y = 0; y < 32; ++y) {
    for (int x = 0; x < 64; ++x) {
      uint8_t* p = image.row(y) + 4 * x;
      const bool left = x < 32;
      p[0] = left ? 255 : 0, p[1] = left ? 0 : 255, p[2] = 0, p[3] = left ? 255 : 0;
    }
  }
  for (BlurStyle style : kAllStyles) {
    auto blurred = blurImage(image, styleAt(style, 60));
    ASSERT_TRUE(blurred.ok()) << blurStyleName(style);
    for (int x = 0; x < 64; ++x) {
      const uint8_t* p = blurred.value().row(16) + 4 * x;
      if (p[3] > 8) EXPECT_LT(p[1], 8) << blurStyleName(style) << " x " << x;
    }
  }
}

TEST(BlurStyles, BadOptionsAreNamed) {
  const ImagePlanar image = reference::noiseWithEdges(16, 16, 3, 2);
  for (float strength : {0.0f, 100.5f, NAN, -INFINITY}) {
    auto r = blurLinear(image, styleAt(BlurStyle::kLens, strength));
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().reason().find("strength"), std::string::npos);
  }
  BlurStyle style;
  EXPECT_FALSE(parseBlurStyle("tilt", &style));
  EXPECT_TRUE(parseBlurStyle("radial", &style));
  EXPECT_EQ(style, BlurStyle::kRadial);
}

TEST(BlurStyles, EveryStyleIsOneRowOfTheTable) {
  // Names round-trip through the table, in its order; a value outside it is refused by the
  // option check, and each style's own check runs there (not first deep in its blur).
  const std::vector<std::string> names = blurStyleNames();
  EXPECT_EQ(names, (std::vector<std::string>{"gaussian", "lens", "motion", "radial"}));
  ASSERT_EQ(names.size(), std::size(kAllStyles));
  for (size_t i = 0; i < names.size(); ++i) {
    BlurStyle style;
    ASSERT_TRUE(parseBlurStyle(names[i], &style)) << names[i];
    EXPECT_EQ(style, kAllStyles[i]);
    EXPECT_EQ(blurStyleName(style), names[i]);
  }
  BlurOptions o;
  o.style = static_cast<BlurStyle>(99);
  EXPECT_EQ(checkBlurOptions(o).reason(), "unknown blur style");
  EXPECT_STREQ(blurStyleName(o.style), "unknown");
  o = styleAt(BlurStyle::kMotion, 30);
  o.angleDegrees = NAN;
  EXPECT_NE(checkBlurOptions(o).reason().find("angle"), std::string::npos);
  o = styleAt(BlurStyle::kRadial, 30);
  o.centerY = 1.5f;
  EXPECT_NE(checkBlurOptions(o).reason().find("centerY"), std::string::npos);
  o = styleAt(BlurStyle::kLens, 30);
  o.aperture.blades = 2;
  EXPECT_NE(checkBlurOptions(o).reason().find("blades"), std::string::npos);
}

TEST(BlurStyles, FusedRgbaPathMatchesThePlanarPath) {
  // blurImage fuses colour conversion into the reduced-grid stages; it must give what
  // converting, blurring the planes and converting back gives.
  auto bytes = fixtures::readFile(fixtures::testdataPath("photos/paintbrushes.jpg"));
  ImageRGBA8 image = decodeImage(bytes.data(), bytes.size()).take().image;
  for (bool transparent : {false, true}) {
    if (transparent) {
      for (int y = 0; y < image.height; ++y) {
        for (int x = 0; x < image.width; ++x) image.row(y)[4 * x + 3] = static_cast<uint8_t>((x * 255) / image.width);
      }
    }
    for (BlurStyle style : {BlurStyle::kGaussian, BlurStyle::kLens}) {
      for (float strength : {10.0f, 30.0f, 100.0f}) {
        BlurOptions o = styleAt(style, strength);
        o.highlights.boost = 6;
        auto fused = blurImage(image, o);
        ASSERT_TRUE(fused.ok()) << fused.status().reason();
        ImagePlanar linear = rgba8ToLinear(image, transparent ? 4 : 3).take();
        premultiplyAlpha(linear);
        ImagePlanar blurred = blurLinear(linear, o).take();
        unpremultiplyAlpha(blurred);
        const ImageRGBA8 planar = linearToRgba8(blurred).take();
        int worst = 0;
        for (size_t i = 0; i < planar.pixels.size(); ++i) {
          if (transparent && planar.pixels[i | 3] < 8) continue;  // colour of nearly clear pixels is noise
          worst = std::max(worst, std::abs(int(planar.pixels[i]) - int(fused.value().pixels[i])));
        }
        std::printf("%s strength %g transparent %d: worst %d code(s)\n", blurStyleName(style), strength, transparent, worst);
        EXPECT_LE(worst, 1) << blurStyleName(style) << " strength " << strength << " transparent " << transparent;
      }
    }
  }
}
