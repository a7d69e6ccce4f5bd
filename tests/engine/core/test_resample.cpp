#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <tuple>
#include <utility>

#include "defocus/alpha16.h"
#include "defocus/codec.h"
#include "defocus/color.h"
#include "defocus/resample.h"
#include "fixtures.h"

using namespace defocus;

namespace {

double planeMean(const ImagePlanar& image, int c) {
  double sum = 0;
  const float* p = image.plane(c);
  for (size_t i = 0; i < image.planeSize(); ++i) sum += p[i];
  return sum / image.planeSize();
}

ImagePlanar linearPhoto(const char* name) {
  auto bytes = fixtures::readFile(fixtures::testdataPath(std::string("photos/") + name));
  auto decoded = decodeImage(bytes.data(), bytes.size());
  EXPECT_TRUE(decoded.ok()) << decoded.status().reason();
  return rgba8ToLinear(decoded.value().image).take();
}

}  // namespace

TEST(Resample, AreaDownscalePreservesMeanEnergy) {
  const ImagePlanar photo = linearPhoto("mountain_trail.jpg");  // 3264x2448
  const int sizes[][2] = {{1632, 1224}, {1000, 750}, {317, 211}, {97, 1000}, {1, 1}};
  for (const auto& s : sizes) {
    auto small = resize(photo, s[0], s[1]);
    ASSERT_TRUE(small.ok());
    for (int c = 0; c < 3; ++c) {
      const double before = planeMean(photo, c);
      const double after = planeMean(small.value(), c);
      const double drift = std::fabs(after - before) / before;
      EXPECT_LT(drift, 0.005) << s[0] << "x" << s[1] << " channel " << c;
      EXPECT_LT(drift, 1e-4) << "area averaging should be exact up to float rounding";
    }
  }
}

TEST(Resample, UpscaleKeepsConstantsAndBilinearNeverOvershoots) {
  auto image = ImagePlanar::create(5, 4, 1).take();
  for (size_t i = 0; i < image.planeSize(); ++i) image.plane(0)[i] = 0.25f;
  auto big = resize(image, 23, 17);
  ASSERT_TRUE(big.ok());
  for (size_t i = 0; i < big.value().planeSize(); ++i) ASSERT_NEAR(big.value().plane(0)[i], 0.25f, 1e-6f);

  // A hard step: bilinear stays inside [0, 1] and is monotone along the row.
  auto step = ImagePlanar::create(8, 1, 1).take();
  for (int x = 0; x < 8; ++x) step.plane(0)[x] = x < 4 ? 0.0f : 1.0f;
  auto up = resize(step, 64, 1, UpscaleKernel::kBilinear);
  ASSERT_TRUE(up.ok());
  for (int x = 1; x < 64; ++x) {
    EXPECT_GE(up.value().plane(0)[x], up.value().plane(0)[x - 1]);
    EXPECT_GE(up.value().plane(0)[x], 0.0f);
    EXPECT_LE(up.value().plane(0)[x], 1.0f);
  }
}

TEST(Resample, MitchellUpscaleThenAreaDownscaleRecoversThePhoto) {
  ImagePlanar photo = linearPhoto("cat_chelsea.png");  // 451x300
  auto up = resize(photo, 451 * 3, 300 * 3);
  ASSERT_TRUE(up.ok());
  auto back = resize(up.value(), 451, 300);
  ASSERT_TRUE(back.ok());
  double mse = 0;
  for (int c = 0; c < 3; ++c) {
    for (size_t i = 0; i < photo.planeSize(); ++i) {
      const double d = linearToSrgb(back.value().plane(c)[i]) - linearToSrgb(photo.plane(c)[i]);
      mse += d * d;
    }
  }
  const double psnr = 10 * std::log10(1.0 / (mse / (3 * photo.planeSize())));
  EXPECT_GT(psnr, 35.0);
}

TEST(Resample, PremultipliedResizeDoesNotBleedTransparentColour) {
  // Left half opaque red, right half fully transparent green: no green may appear.
  auto image = ImageRGBA8::create(8, 2).take();
  for (int y = 0; y < 2; ++y) {
    for (int x = 0; x < 8; ++x) {
      uint8_t* p = image.row(y) + 4 * x;
      const bool left = x < 4;
      p[0] = left ? 255 : 0;
      p[1] = left ? 0 : 255;
      p[2] = 0;
      p[3] = left ? 255 : 0;
    }
  }
  for (int w : {3, 5, 13}) {
    auto small = resizeRgba8(image, w, 2);
    ASSERT_TRUE(small.ok());
    for (int x = 0; x < w; ++x) {
      const uint8_t* p = small.value().row(0) + 4 * x;
      if (p[3] > 0) EXPECT_EQ(p[1], 0) << "width " << w << " x " << x;
    }
  }
}

TEST(Resample, RejectsBadSizes) {
  auto image = ImagePlanar::create(4, 4, 3).take();
  EXPECT_EQ(resize(image, 0, 4).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(resize(image, 4, -1).status().code(), ErrorCode::kInvalidArgument);
  ImagePlanar empty;
  empty.channels = 1;
  EXPECT_EQ(resize(empty, 4, 4).status().code(), ErrorCode::kInvalidArgument);
}

TEST(Resample, SameSizeIsACopy) {
  const ImagePlanar photo = linearPhoto("cat_chelsea.png");
  auto same = resize(photo, photo.width, photo.height);
  ASSERT_TRUE(same.ok());
  for (size_t i = 0; i < photo.samples.size(); ++i) ASSERT_EQ(same.value().samples[i], photo.samples[i]) << i;
}

// The block pre-reduction must give what the windowed resize gives straight from the bytes
// (a smooth gradient with a sharp disc, 12x smaller): it only changes how many pixels the
// windowed resize reads.
TEST(Resample, ShrinkCodesMatchesTheWindowedResize) {
  const int w = 1536, h = 1152;
  ImageRGBA8 photo = ImageRGBA8::create(w, h).take();
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      uint8_t* p = photo.row(y) + 4 * x;
      const bool disc = std::hypot(x - 700.0, y - 500.0) < 300;
      p[0] = static_cast<uint8_t>(x * 255 / w), p[1] = static_cast<uint8_t>(y * 255 / h);
      p[2] = disc ? 230 : 20, p[3] = 255;
    }
  }
  float codes[256];
  for (int i = 0; i < 256; ++i) codes[i] = i / 255.0f;
  for (const auto [tw, th] : {std::pair{128, 96}, std::pair{500, 400}}) {
    ImagePlanar direct = resizeBytesToPlanes(photo, tw, th, codes).take();
    ImagePlanar shrunk = shrinkCodesToPlanes(photo, tw, th).take();
    ASSERT_EQ(shrunk.width, tw);
    ASSERT_EQ(shrunk.height, th);
    double sum = 0, worst = 0;
    for (size_t i = 0; i < direct.samples.size(); ++i) {
      const double d = std::fabs(direct.samples[i] - shrunk.samples[i]);
      sum += d, worst = std::max(worst, d);
    }
    // 12x: blocks of 6 first; 3x: no blocks, the same numbers.
    EXPECT_LT(sum / direct.samples.size(), tw == 128 ? 2e-3 : 1e-7) << tw;
    EXPECT_LT(worst, tw == 128 ? 0.05 : 1e-6) << tw;
  }
}

// shrinkCodesToPlanes is the windowed resize of the photo's f x f block means, each the
// exact integer mean rounded: with 16-bit column sums (f = 12) and 32-bit ones (f = 272 rows
// of bytes from 240: sums past 65535), partial blocks at the right and bottom, on one thread
// and on two.
TEST(Resample, ShrinkCodesIsTheResizeOfExactBlockMeans) {
  float codes[256];
  for (int i = 0; i < 256; ++i) codes[i] = i * (1.0f / 255.0f);  // as shrinkCodesToPlanes reads a byte
  for (const auto [w, h, tw, th, lo] : {std::tuple{1003, 771, 40, 30, 0}, std::tuple{1100, 1090, 2, 2, 240}}) {
    ImageRGBA8 photo = fixtures::noiseImage(w, h, 5);
    for (size_t i = 0; i < photo.pixels.size(); ++i) photo.pixels[i] = static_cast<uint8_t>(lo + photo.pixels[i] % (256 - lo));
    const int f = std::min(w / tw, h / th) / 2;
    ImageRGBA8 blocks = ImageRGBA8::create((w + f - 1) / f, (h + f - 1) / f).take();
    for (int by = 0; by < blocks.height; ++by) {
      for (int bx = 0; bx < blocks.width; ++bx) {
        uint32_t sum[3] = {0, 0, 0}, count = 0;
        for (int y = by * f; y < std::min(h, (by + 1) * f); ++y) {
          for (int x = bx * f; x < std::min(w, (bx + 1) * f); ++x, ++count) {
            for (int c = 0; c < 3; ++c) sum[c] += photo.row(y)[4 * x + c];
          }
        }
        uint8_t* p = blocks.row(by) + 4 * bx;
        for (int c = 0; c < 3; ++c) p[c] = static_cast<uint8_t>((sum[c] + count / 2) / count);
        p[3] = 255;
      }
    }
    const ImagePlanar expected = resizeBytesToPlanes(blocks, tw, th, codes).take();
    for (int threads : {2, 1}) {  // two first: the one-thread run's freed memory cannot stand in for a row
      const ImagePlanar got = shrinkCodesToPlanes(photo, tw, th, threads).take();
      ASSERT_EQ(got.samples.size(), expected.samples.size());
      for (size_t i = 0; i < got.samples.size(); ++i) {
        ASSERT_EQ(got.samples[i], expected.samples[i]) << "f " << f << ", threads " << threads << ", sample " << i;
      }
    }
  }
}

TEST(Resample, BytesToPlanesOnTwoThreadsIsTheOneThreadResult) {
  const ImageRGBA8 photo = fixtures::noiseImage(517, 389, 5);
  // Two first: the one-thread run's freed memory cannot stand in for a row left unmade.
  const ImagePlanar two = resizeBytesToPlanes(photo, 64, 48, srgb8ToLinearTable(), 2).take();
  const ImagePlanar one = resizeBytesToPlanes(photo, 64, 48, srgb8ToLinearTable(), 1).take();
  ASSERT_EQ(one.samples.size(), two.samples.size());
  for (size_t i = 0; i < one.samples.size(); ++i) ASSERT_EQ(one.samples[i], two.samples[i]) << i;
}

// PSNR of two RGBA8 images over their colour bytes.
static double psnrBytes(const ImageRGBA8& a, const ImageRGBA8& b) {
  double sum = 0;
  size_t n = 0;
  for (int y = 0; y < a.height; ++y) {
    for (int x = 0; x < 4 * a.width; ++x) {
      if (x % 4 == 3) continue;
      const double d = a.row(y)[x] - b.row(y)[x];
      sum += d * d, ++n;
    }
  }
  return sum == 0 ? INFINITY : 10 * std::log10(255.0 * 255.0 * n / sum);
}

TEST(Resample, ShrinkRgba8MatchesTheFullResizeWithoutItsPlanes) {
  const auto bytes = fixtures::readFile(fixtures::testdataPath("photos/mountain_trail.jpg"));  // 3264x2448
  const ImageRGBA8 photo = decodeImage(bytes.data(), bytes.size()).take().image;
  // 8x: blocks of 4 first (the resize averages areas, so only float rounding differs: 89 dB;
  // blocks averaged in sRGB codes instead of linear light give 42.8 dB); 3x: no blocks, the same bytes.
  for (const auto [w, h, least] : {std::tuple{408, 306, 60.0}, std::tuple{1088, 816, double(INFINITY)}}) {
    const ImageRGBA8 full = resizeRgba8(photo, w, h).take();
    // The blocks' rows shared between two threads (made first: reusing the one-thread
    // shrink's freed memory, a row left unmade could still hold its values).
    const ImageRGBA8 two = shrinkRgba8(photo, w, h, 2).take();
    const ImageRGBA8 shrunk = shrinkRgba8(photo, w, h).take();
    ASSERT_EQ(shrunk.width, w);
    ASSERT_EQ(shrunk.height, h);
    const double p = psnrBytes(full, shrunk);
    std::printf("shrinkRgba8 %dx%d: %.1f dB against resizeRgba8\n", w, h, p);
    EXPECT_GE(p, least) << w;
    EXPECT_TRUE(std::equal(two.pixels.data(), two.pixels.data() + two.pixels.size(), shrunk.pixels.data())) << w;
  }
}

TEST(Resample, ShrinkRgba8DoesNotBleedTransparentColour) {
  // Left half: transparent but red underneath; right half: opaque blue. A shrink that
  // averaged unpremultiplied colour would turn the boundary purple.
  ImageRGBA8 photo = ImageRGBA8::create(800, 400).take();
  for (int y = 0; y < 400; ++y) {
    for (int x = 0; x < 800; ++x) {
      uint8_t* p = photo.row(y) + 4 * x;
      const bool left = x < 400;
      p[0] = left ? 255 : 0, p[1] = 0, p[2] = left ? 0 : 255, p[3] = left ? 0 : 255;
    }
  }
  const ImageRGBA8 small = shrinkRgba8(photo, 80, 40).take();
  for (int y = 0; y < 40; ++y) {
    for (int x = 0; x < 80; ++x) {
      const uint8_t* p = small.row(y) + 4 * x;
      if (p[3] > 8) EXPECT_LE(p[0], 2) << x << "," << y << " alpha " << int(p[3]);
    }
  }
}

// The depth grid's matte from a photo's 16-bit matte, read a row at a time: every value of
// resize() of the matte's float plane, shrinking (12 MP to the 512 grid's shape) and
// enlarging. Fails when a row is read from the wrong place (tried: row y - 1 for odd rows).
TEST(Resample, AlphaRowsResizeAsTheFloatPlane) {
  const int w = 1203, h = 677;
  ImagePlanar soft = ImagePlanar::create(w, h, 1).take();
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) soft.plane(0)[y * w + x] = std::clamp(0.5f + 0.4f * std::sin(x * 0.05f + y * 0.11f), 0.0f, 1.0f);
  }
  const Alpha16 steps = Alpha16::fromPlane(soft).take();
  const ImagePlanar stepsPlane = steps.toPlane().take();
  for (auto [gw, gh] : {std::pair{512, 288}, std::pair{1500, 900}}) {
    const ImagePlanar fromRows = resizeAlphaRows(steps, gw, gh).take();
    const ImagePlanar fromPlane = resize(stepsPlane, gw, gh).take();
    const ImagePlanar floatRows = resizeAlphaRows(soft, gw, gh).take();
    const ImagePlanar floatPlane = resize(soft, gw, gh).take();
    ASSERT_EQ(fromRows.width, gw);
    ASSERT_EQ(fromRows.height, gh);
    size_t differing = 0;
    for (size_t i = 0; i < fromRows.planeSize(); ++i) {
      differing += fromRows.plane(0)[i] != fromPlane.plane(0)[i];
      differing += floatRows.plane(0)[i] != floatPlane.plane(0)[i];
    }
    EXPECT_EQ(differing, 0u) << gw << " x " << gh;
  }
  EXPECT_FALSE(resizeAlphaRows(steps, 0, 10).ok());
}
