// Cutout and replace (cutout.h) on composites with a known subject colour, background and
// soft alpha: the transparent cutout gives the subject's own colour back at the edge, a
// replacement background takes the old one's place without its colour, blurred on request.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "defocus/color.h"
#include "defocus/cutout.h"
#include "defocus/render.h"

using namespace defocus;

namespace {

constexpr int kW = 240, kH = 180;
constexpr float kSubject[3] = {0.60f, 0.20f, 0.05f};     // linear orange
constexpr float kBackground[3] = {0.02f, 0.45f, 0.08f};  // linear green, textured below

struct Scene {
  ImageRGBA8 photo;
  ImagePlanar matte;
};

// A disc subject with a soft 12 px edge over a green background with a slow wave.
Scene makeScene() {
  Scene s{ImageRGBA8::create(kW, kH).take(), ImagePlanar::create(kW, kH, 1).take()};
  for (int y = 0; y < kH; ++y) {
    for (int x = 0; x < kW; ++x) {
      const size_t i = static_cast<size_t>(y) * kW + x;
      const float d = std::hypot(x - 120.0f, y - 95.0f);
      const float a = std::clamp((60.0f - d) / 12.0f, 0.0f, 1.0f);
      s.matte.plane(0)[i] = a;
      const float stripe = 0.8f + 0.2f * std::sin(x * 0.05f);  // slow: the fill can follow it
      for (int c = 0; c < 3; ++c) {
        const float lin = a * kSubject[c] + (1 - a) * kBackground[c] * stripe;
        s.photo.pixels[4 * i + c] = linearToSrgb8(lin);
      }
      s.photo.pixels[4 * i + 3] = 255;
    }
  }
  return s;
}

}  // namespace

TEST(Cutout, TransparentKeepsTheSubjectsOwnColourAndAlphaIsTheMatte) {
  const Scene s = makeScene();
  auto renderer = PortraitRenderer::create(s.photo, s.matte);
  ASSERT_TRUE(renderer.ok());
  RenderOptions o;
  o.background = BackgroundMode::kTransparent;
  auto cut = renderer.value().render(o);
  ASSERT_TRUE(cut.ok()) << cut.status().reason();
  int worstAlpha = 0, clearNonZero = 0;
  double errCut = 0, errPhoto = 0;
  int edge = 0;
  for (size_t i = 0; i < s.matte.planeSize(); ++i) {
    const float a = s.matte.plane(0)[i];
    const uint8_t* px = cut.value().pixels.data() + 4 * i;
    worstAlpha = std::max(worstAlpha, std::abs(px[3] - static_cast<int>(std::lround(255 * a))));
    if (a <= 0) clearNonZero += px[0] + px[1] + px[2] + px[3] != 0;
    if (a >= 0.35f && a < 0.85f) {  // the soft edge: the old background is mixed in here
      ++edge;
      for (int c = 0; c < 3; ++c) {
        const double truth = linearToSrgb8(kSubject[c]);
        errCut += std::fabs(px[c] - truth);
        errPhoto += std::fabs(s.photo.pixels[4 * i + c] - truth);
      }
    }
  }
  errCut /= 3.0 * edge, errPhoto /= 3.0 * edge;
  std::printf("transparent: edge colour error %.2f codes (photo as it is: %.2f) over %d px; alpha off by <= %d\n", errCut,
              errPhoto, edge, worstAlpha);
  EXPECT_LE(worstAlpha, 1);
  EXPECT_EQ(clearNonZero, 0);
  EXPECT_GT(edge, 1000);
  // Within a few codes (the fill guesses the striped background behind the edge), where the
  // photo's own mixed colours are several times farther off.
  EXPECT_LT(errCut, 6.0);
  EXPECT_LT(errCut, errPhoto / 3);
}

TEST(Cutout, ReplacementColourTakesTheOldBackgroundsPlace) {
  const Scene s = makeScene();
  auto renderer = PortraitRenderer::create(s.photo, s.matte);
  ASSERT_TRUE(renderer.ok());
  auto blue = solidBackground(40, 60, 200, kW, kH);
  ASSERT_TRUE(blue.ok());
  RenderOptions o;
  o.background = BackgroundMode::kReplace;
  o.replacement = &blue.value();
  o.blur.strength = 60;
  auto out = renderer.value().render(o);
  ASSERT_TRUE(out.ok()) << out.status().reason();
  int worstBackground = 0;
  double errEdge = 0;
  int edge = 0;
  const uint8_t blueCodes[3] = {40, 60, 200};
  for (size_t i = 0; i < s.matte.planeSize(); ++i) {
    const float a = s.matte.plane(0)[i];
    const uint8_t* px = out.value().pixels.data() + 4 * i;
    if (a <= 0) {
      for (int c = 0; c < 3; ++c) worstBackground = std::max(worstBackground, std::abs(px[c] - blueCodes[c]));
    } else if (a < 1) {  // a F + (1 - a) blue, with F the subject's colour
      ++edge;
      for (int c = 0; c < 3; ++c) {
        const float truth = a * kSubject[c] + (1 - a) * srgb8ToLinear(blueCodes[c]);
        errEdge += std::fabs(px[c] - linearToSrgb8(truth));
      }
    }
  }
  errEdge /= 3.0 * edge;
  std::printf("replace with a colour: background off by <= %d codes, edge error %.2f codes over %d px\n", worstBackground,
              errEdge, edge);
  EXPECT_LE(worstBackground, 1);
  EXPECT_LT(errEdge, 6.0);
}

TEST(Cutout, ReplacementImageIsBlurredByDepthOnlyWhenAsked) {
  const Scene s = makeScene();
  auto stripes = ImageRGBA8::create(400, 150).take();  // wider than the frame: covered, centre kept
  for (int y = 0; y < 150; ++y) {
    for (int x = 0; x < 400; ++x) {
      uint8_t* px = stripes.row(y) + 4 * x;
      px[0] = px[1] = px[2] = (x / 6) % 2 ? 230 : 20;
      px[3] = 255;
    }
  }
  auto fitted = coverBackground(stripes, kW, kH);
  ASSERT_TRUE(fitted.ok()) << fitted.status().reason();
  auto renderer = PortraitRenderer::create(s.photo, s.matte);
  ASSERT_TRUE(renderer.ok());
  RenderOptions o;
  o.background = BackgroundMode::kReplace;
  o.replacement = &fitted.value();
  o.blur.strength = 50;
  o.depth.mode = DepthMode::kFlat;
  const auto energy = [&](const ImageRGBA8& image) {  // horizontal gradient energy where the matte is 0
    double e = 0;
    for (int y = 0; y < kH; ++y) {
      for (int x = 1; x < kW; ++x) {
        const size_t i = static_cast<size_t>(y) * kW + x;
        if (s.matte.plane(0)[i] > 0 || s.matte.plane(0)[i - 1] > 0) continue;
        const double d = double(image.pixels[4 * i + 1]) - image.pixels[4 * (i - 1) + 1];
        e += d * d;
      }
    }
    return e;
  };
  auto blurred = renderer.value().render(o);
  o.blurReplacement = false;
  auto sharp = renderer.value().render(o);
  ASSERT_TRUE(blurred.ok() && sharp.ok());
  const double eSharp = energy(sharp.value()), eBlurred = energy(blurred.value());
  std::printf("replacement stripes: gradient energy sharp %.3g, blurred at strength 50 %.3g\n", eSharp, eBlurred);
  EXPECT_GT(eSharp, 50 * eBlurred);
  // Unblurred, the background is the covered image itself: 6 px stripes, 1.2x scale.
  const uint8_t* mid = sharp.value().row(5);
  int changes = 0;
  for (int x = 1; x < kW; ++x) changes += (mid[4 * x] > 125) != (mid[4 * (x - 1)] > 125);
  EXPECT_NEAR(changes, kW / (6 * 1.2), 3);
}

TEST(Cutout, BadReplacementIsRefusedAndTheRendererStaysUsable) {
  const Scene s = makeScene();
  auto renderer = PortraitRenderer::create(s.photo, s.matte);
  ASSERT_TRUE(renderer.ok());
  auto small = solidBackground(1, 2, 3, 10, 10);
  RenderOptions o;
  o.background = BackgroundMode::kReplace;
  o.replacement = &small.value();
  auto bad = renderer.value().render(o);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().reason().find("photo's size"), std::string::npos);
  o.replacement = nullptr;
  EXPECT_FALSE(renderer.value().render(o).ok());
  EXPECT_FALSE(coverBackground(ImageRGBA8{}, 10, 10).ok());
  o.background = BackgroundMode::kBlur;
  EXPECT_TRUE(renderer.value().render(o).ok());
}
