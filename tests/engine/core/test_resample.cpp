#include <gtest/gtest.h>

#include <cmath>

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
