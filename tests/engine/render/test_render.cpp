// Halo-free rendering on synthetic composites with known foreground, background and alpha
// (hair-like fractional alpha included), against the ground truth: the background blurred
// on its own, the foreground composited over it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "defocus/background_fill.h"
#include "defocus/blur.h"
#include "defocus/color.h"
#include "defocus/render.h"

using namespace defocus;

namespace {

struct Composite {
  ImagePlanar foreground, background, alpha, photo;  // linear; photo = a F + (1 - a) B
};

Composite makeComposite(int w, int h) {
  Composite s{ImagePlanar::create(w, h, 3).take(), ImagePlanar::create(w, h, 3).take(),
              ImagePlanar::create(w, h, 1).take(), ImagePlanar::create(w, h, 3).take()};
  const double cx = w * 0.45, cy = h * 0.6, r = h * 0.3;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const size_t i = static_cast<size_t>(y) * w + x;
      const double d = std::hypot(x - cx, y - cy), angle = std::atan2(y - cy, x - cx);
      double a = std::clamp(r - d + 0.5, 0.0, 1.0);
      const double along = d - r;
      if (along > 0 && along < r * 0.5) {  // fine strands with fractional alpha
        const double strand = std::fmod((angle + 3.2) * 50 / 6.2832 + 0.1 * std::sin(along / 7), 1.0);
        const double across = std::fabs(strand - 0.5) * 6.2832 * d / 50;
        a = std::max(a, std::clamp(1.2 - across, 0.0, 1.0) * 0.8 * (1 - along / (r * 0.5)));
      }
      s.alpha.plane(0)[i] = static_cast<float>(a);
      // Warm, textured subject; cool background with structure at several scales.
      const double fgTexture = 0.8 + 0.2 * std::sin(x * 0.9) * std::sin(y * 0.7);
      const double bgTexture = 0.6 + 0.25 * std::sin(x * 0.05 + 1) * std::cos(y * 0.07) + 0.15 * std::sin(x * 0.4 + y * 0.3);
      const double fg[3] = {0.7 * fgTexture, 0.35 * fgTexture, 0.15 * fgTexture};
      const double bg[3] = {0.05 * bgTexture, 0.3 * bgTexture, 0.5 * bgTexture};
      for (int c = 0; c < 3; ++c) {
        s.foreground.plane(c)[i] = static_cast<float>(fg[c]);
        s.background.plane(c)[i] = static_cast<float>(bg[c]);
        s.photo.plane(c)[i] = static_cast<float>(a * fg[c] + (1 - a) * bg[c]);
      }
    }
  }
  return s;
}

// PSNR (in sRGB, as seen) over the pixels within `band` px of the subject's outline.
double bandPsnr(const ImagePlanar& a, const ImagePlanar& b, const ImagePlanar& alpha, int band) {
  const int w = a.width, h = a.height;
  double mse = 0;
  size_t n = 0;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      bool inside = false, outside = false;
      for (int dy = -band; dy <= band; dy += 3) {
        for (int dx = -band; dx <= band; dx += 3) {
          const int xx = std::clamp(x + dx, 0, w - 1), yy = std::clamp(y + dy, 0, h - 1);
          const float v = alpha.plane(0)[yy * w + xx];
          inside |= v > 0.99f, outside |= v < 0.01f;
        }
      }
      if (!(inside && outside)) continue;
      for (int c = 0; c < 3; ++c) {
        const size_t i = static_cast<size_t>(y) * w + x;
        const double d = linearToSrgb(a.plane(c)[i]) - linearToSrgb(b.plane(c)[i]);
        mse += d * d;
      }
      n += 3;
    }
  }
  return 10 * std::log10(n / mse);
}

}  // namespace

TEST(Render, NoHaloAroundTheSubjectForEveryStyle) {
  const Composite s = makeComposite(400, 300);
  for (BlurStyle style : {BlurStyle::kLens, BlurStyle::kGaussian, BlurStyle::kMotion, BlurStyle::kRadial}) {
    RenderOptions o;
    o.blur.style = style;
    o.blur.strength = 100;  // radius 10 px on this 400x300 image
    o.depth.mode = DepthMode::kFlat;  // the ground truth blurs the background uniformly
    // Ground truth: the whole background blurred alone, the foreground composited over it.
    ImagePlanar truth = blurLinear(s.background, o.blur).take();
    for (int c = 0; c < 3; ++c) {
      for (size_t i = 0; i < truth.planeSize(); ++i) {
        const float a = s.alpha.plane(0)[i];
        truth.plane(c)[i] = a * s.foreground.plane(c)[i] + (1 - a) * truth.plane(c)[i];
      }
    }
    const ImagePlanar ours = renderPortraitLinear(s.photo, s.alpha, o).take();
    RenderOptions naive = o;
    naive.fillBackground = naive.decontaminate = false;
    const ImagePlanar blurAll = renderPortraitLinear(s.photo, s.alpha, naive).take();
    const double pOurs = bandPsnr(ours, truth, s.alpha, 15), pNaive = bandPsnr(blurAll, truth, s.alpha, 15);
    std::printf("%-8s edge band PSNR: ours %.1f dB, blur-then-composite %.1f dB (+%.1f dB)\n", blurStyleName(style),
                pOurs, pNaive, pOurs - pNaive);
    EXPECT_GE(pOurs, 35.0) << blurStyleName(style);
    EXPECT_GE(pOurs - pNaive, 8.0) << blurStyleName(style);
  }
}

TEST(Render, DecontaminationRecoversTheForegroundColourOfHair) {
  const Composite s = makeComposite(400, 300);
  const ImagePlanar filled = fillBackground(s.photo, s.alpha).take();
  const ImagePlanar estimated = estimateForeground(s.photo, s.alpha, filled).take();
  double errorWith = 0, errorWithout = 0;
  size_t n = 0;
  for (size_t i = 0; i < s.alpha.planeSize(); ++i) {
    const float a = s.alpha.plane(0)[i];
    if (a < 0.1f || a > 0.9f) continue;
    for (int c = 0; c < 3; ++c) {
      const float truth = linearToSrgb(s.foreground.plane(c)[i]);
      errorWith += std::fabs(linearToSrgb(estimated.plane(c)[i]) - truth);
      errorWithout += std::fabs(linearToSrgb(s.photo.plane(c)[i]) - truth);
    }
    n += 3;
  }
  std::printf("edge colour error (sRGB, mean abs): with decontamination %.4f, without %.4f over %zu values\n",
              errorWith / n, errorWithout / n, n);
  EXPECT_LT(errorWith, errorWithout * 0.5);
}

TEST(Render, SubjectPixelsKeepTheirBytesAndBadMattesAreRefused) {
  auto photo = ImageRGBA8::create(64, 48).take();
  for (size_t i = 0; i < photo.pixels.size(); ++i) photo.pixels[i] = static_cast<uint8_t>(i * 31 + 7);
  for (size_t i = 3; i < photo.pixels.size(); i += 4) photo.pixels[i] = 255;
  auto matte = ImagePlanar::create(64, 48, 1).take();
  for (int y = 0; y < 48; ++y) {
    for (int x = 0; x < 64; ++x) matte.plane(0)[y * 64 + x] = x < 32 ? 1.0f : 0.0f;
  }
  RenderOptions o;
  o.blur.strength = 100;
  o.depth.mode = DepthMode::kFlat;
  auto out = renderPortrait(photo, matte, o);
  ASSERT_TRUE(out.ok()) << out.status().reason();
  int changedRight = 0;
  for (int y = 0; y < 48; ++y) {
    for (int x = 0; x < 64; ++x) {
      for (int c = 0; c < 4; ++c) {
        const uint8_t before = photo.row(y)[4 * x + c], after = out.value().row(y)[4 * x + c];
        if (x < 32) ASSERT_EQ(before, after) << x << "," << y;
        else changedRight += before != after;
      }
    }
  }
  EXPECT_GT(changedRight, 32 * 48) << "the background was blurred";
  // Empty and full mattes are fine; a matte of the wrong size is refused with both sizes named.
  std::fill(matte.samples.data(), matte.samples.data() + matte.samples.size(), 0.0f);
  EXPECT_TRUE(renderPortrait(photo, matte, o).ok());
  std::fill(matte.samples.data(), matte.samples.data() + matte.samples.size(), 1.0f);
  auto full = renderPortrait(photo, matte, o);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(std::memcmp(full.value().pixels.data(), photo.pixels.data(), photo.pixels.size()), 0);
  auto wrong = ImagePlanar::create(60, 48, 1).take();
  auto refused = renderPortrait(photo, wrong, o);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().reason().find("60x48"), std::string::npos);
}

TEST(Render, PreparedRendererMatchesOneOffRendersAsOptionsChange) {
  auto photo = ImageRGBA8::create(160, 120).take();
  for (size_t i = 0; i < photo.pixels.size(); ++i) photo.pixels[i] = i % 4 == 3 ? 255 : static_cast<uint8_t>((i * 53) % 251);
  auto matte = ImagePlanar::create(160, 120, 1).take();
  for (int y = 0; y < 120; ++y) {
    for (int x = 0; x < 160; ++x) matte.plane(0)[y * 160 + x] = std::clamp((40.0f - std::hypot(x - 80.0f, y - 70.0f)) / 3, 0.0f, 1.0f);
  }
  PortraitRenderer renderer = PortraitRenderer::create(photo, matte).take();
  std::vector<RenderOptions> sequence(5);
  sequence[0].blur.strength = 30;
  sequence[1].blur.strength = 80, sequence[1].depth.mode = DepthMode::kFlat;
  sequence[2].blur.strength = 80, sequence[2].depth.mode = DepthMode::kFlat, sequence[2].depth.focusX = 0.05f, sequence[2].depth.focusY = 0.05f;
  sequence[3].blur.strength = 50, sequence[3].depth.mode = DepthMode::kLinear, sequence[3].decontaminate = false;
  sequence[4].blur.strength = 50, sequence[4].fillBackground = false, sequence[4].blur.style = BlurStyle::kGaussian;
  for (size_t k = 0; k < sequence.size(); ++k) {
    const ImageRGBA8 cached = renderer.render(sequence[k]).take();
    const ImageRGBA8 fresh = renderPortrait(photo, matte, sequence[k]).take();
    EXPECT_EQ(std::memcmp(cached.pixels.data(), fresh.pixels.data(), fresh.pixels.size()), 0) << "options set " << k;
  }
}
