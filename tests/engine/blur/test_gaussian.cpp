#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "blur_reference.h"
#include "defocus/color.h"
#include "defocus/gaussian_blur.h"

using namespace defocus;

namespace {

struct Errors {
  double maxFloat = 0;  // largest |ours - exact| on the [0, 1] plane
  int maxCodes = 0;     // largest difference after 8-bit quantisation
};

Errors compareWithExact(const ImagePlanar& image, float sigma) {
  auto blurred = gaussianBlur(image, sigma);
  EXPECT_TRUE(blurred.ok()) << blurred.status().reason();
  Errors e;
  for (int c = 0; c < image.channels; ++c) {
    const auto exact = reference::gaussianBlurPlane(image.plane(c), image.width, image.height, sigma);
    const float* ours = blurred.value().plane(c);
    for (size_t i = 0; i < exact.size(); ++i) {
      e.maxFloat = std::max(e.maxFloat, std::fabs(ours[i] - exact[i]));
      const int a = static_cast<int>(std::lround(std::clamp(double(ours[i]), 0.0, 1.0) * 255));
      const int b = static_cast<int>(std::lround(std::clamp(exact[i], 0.0, 1.0) * 255));
      e.maxCodes = std::max(e.maxCodes, std::abs(a - b));
    }
  }
  return e;
}

}  // namespace

class GaussianAccuracy : public ::testing::TestWithParam<float> {};

TEST_P(GaussianAccuracy, WithinOneLevelOfExactFloat64Convolution) {
  const float sigma = GetParam();
  // Big enough that the blur is not all border, odd sizes to catch block/phase errors.
  // The sigmas include ones just above each switch to a coarser level (4.2, 8.4, 16.7, 33.4),
  // where the coarse sigma is smallest and interpolation error largest.
  const int width = sigma < 20 ? 157 : 613, height = sigma < 20 ? 101 : 409;
  const ImagePlanar image = reference::noiseWithEdges(width, height, 1, 7);
  const Errors e = compareWithExact(image, sigma);
  std::printf("sigma %6.1f: max error %.5f (%.3f / 255), %d code(s) after 8-bit rounding\n", sigma, e.maxFloat,
              e.maxFloat * 255, e.maxCodes);
  EXPECT_LE(e.maxFloat, 1.0 / 255) << "sigma " << sigma;
  EXPECT_LE(e.maxCodes, 1) << "sigma " << sigma;
}

INSTANTIATE_TEST_SUITE_P(Sigmas, GaussianAccuracy,
                         ::testing::Values(0.5f, 0.8f, 1.0f, 1.5f, 2.0f, 3.0f, 4.2f, 5.3f, 8.4f, 10.0f, 13.0f, 16.7f,
                                           20.0f, 33.4f, 50.0f, 100.0f, 200.0f));

TEST(Gaussian, SweepOfSigmasStaysWithinOneLevel) {
  // Every pyramid level switch lies somewhere in this sweep (4% steps); just above a
  // switch the coarse sigma is smallest and the reconstruction error largest.
  const ImagePlanar image = reference::noiseWithEdges(157, 101, 1, 5);
  double worst = 0, worstSigma = 0;
  for (double sigma = 0.5; sigma <= 40; sigma *= 1.04) {
    const Errors e = compareWithExact(image, static_cast<float>(sigma));
    if (e.maxFloat > worst) worst = e.maxFloat, worstSigma = sigma;
    EXPECT_LE(e.maxFloat, 1.0 / 255) << "sigma " << sigma;
  }
  std::printf("sweep: max error %.3f / 255 at sigma %.2f\n", worst * 255, worstSigma);
}

TEST(Gaussian, ConservesEnergyAndConstants) {
  const ImagePlanar image = reference::noiseWithEdges(300, 200, 3, 3);
  for (float sigma : {1.0f, 10.0f, 80.0f}) {
    auto blurred = gaussianBlur(image, sigma);
    ASSERT_TRUE(blurred.ok());
    // Clamp-to-edge changes total energy a little near borders; a constant must stay exact.
    const double drift = std::fabs(reference::totalEnergy(blurred.value()) / reference::totalEnergy(image) - 1);
    EXPECT_LT(drift, 0.01) << "sigma " << sigma;
  }
  auto flat = ImagePlanar::create(50, 40, 1).take();
  for (size_t i = 0; i < flat.planeSize(); ++i) flat.plane(0)[i] = 0.375f;
  for (float sigma : {0.5f, 7.0f, 150.0f}) {
    auto blurred = gaussianBlur(flat, sigma);
    ASSERT_TRUE(blurred.ok());
    for (size_t i = 0; i < flat.planeSize(); ++i) ASSERT_NEAR(blurred.value().plane(0)[i], 0.375f, 4e-5f) << sigma;  // float recursion
  }
}

TEST(Gaussian, OnePixelStripsAndTinyImages) {
  for (auto [w, h] : {std::pair{1, 1}, {1, 300}, {300, 1}, {2, 3}}) {
    const ImagePlanar image = reference::noiseWithEdges(w, h, 1, 11);
    for (float sigma : {0.5f, 4.0f, 60.0f}) {
      const Errors e = compareWithExact(image, sigma);
      EXPECT_LE(e.maxFloat, 1.0 / 255) << w << "x" << h << " sigma " << sigma;
    }
  }
}

TEST(Gaussian, RejectsBadSigma) {
  const ImagePlanar image = reference::noiseWithEdges(8, 8, 1, 1);
  for (float sigma : {0.0f, 0.49f, -3.0f, 2001.0f, NAN, INFINITY}) {
    auto r = gaussianBlur(image, sigma);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(r.status().reason().find("sigma"), std::string::npos);
  }
}
