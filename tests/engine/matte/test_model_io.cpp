#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "defocus/model_io.h"

using namespace defocus;

namespace {

ImageRGBA8 solid(int w, int h, uint8_t r, uint8_t g, uint8_t b) {
  auto image = ImageRGBA8::create(w, h).take();
  for (size_t i = 0; i < image.pixels.size(); i += 4) {
    image.pixels[i] = r, image.pixels[i + 1] = g, image.pixels[i + 2] = b, image.pixels[i + 3] = 255;
  }
  return image;
}

ModelInputSpec imagenet(int w, int h, bool channelsFirst) {
  ModelInputSpec s;
  s.width = w, s.height = h, s.channelsFirst = channelsFirst;
  const float mean[3] = {0.485f, 0.456f, 0.406f}, std[3] = {0.229f, 0.224f, 0.225f};
  for (int c = 0; c < 3; ++c) s.mean[c] = mean[c], s.std[c] = std[c];
  return s;
}

}  // namespace

TEST(ModelIo, NormalisesIntoBothLayouts) {
  auto photo = solid(2, 2, 255, 128, 0);
  photo.pixels[4 * 3] = 10;  // bottom-right pixel's red
  for (bool nchw : {true, false}) {
    auto prepared = prepareModelInput(photo, imagenet(2, 2, nchw));
    ASSERT_TRUE(prepared.ok()) << prepared.status().reason();
    auto at = [&](int c, int y, int x) {
      return prepared.value().tensor[nchw ? c * 4 + y * 2 + x : (y * 2 + x) * 3 + c];
    };
    EXPECT_NEAR(at(0, 0, 0), (1.0f - 0.485f) / 0.229f, 1e-5);
    EXPECT_NEAR(at(1, 0, 1), (128 / 255.0f - 0.456f) / 0.224f, 1e-5);
    EXPECT_NEAR(at(2, 1, 0), (0 - 0.406f) / 0.225f, 1e-5);
    EXPECT_NEAR(at(0, 1, 1), (10 / 255.0f - 0.485f) / 0.229f, 1e-5);
  }
}

TEST(ModelIo, LetterboxKeepsAspectAndPadsWithTheMean) {
  const auto photo = solid(400, 100, 200, 200, 200);
  ModelInputSpec spec = imagenet(64, 64, true);
  spec.letterbox = true;
  auto prepared = prepareModelInput(photo, spec);
  ASSERT_TRUE(prepared.ok());
  const InputPlacement& p = prepared.value().placement;
  EXPECT_EQ(p.width, 64);
  EXPECT_EQ(p.height, 16);
  EXPECT_EQ(p.top, 24);
  EXPECT_EQ(prepared.value().tensor[0], 0.0f) << "padding is the mean colour";
  EXPECT_NEAR(prepared.value().tensor[30 * 64 + 10], (200 / 255.0f - 0.485f) / 0.229f, 1e-4);
  // The output's letterbox region comes back as the photo's probability map, at any output size.
  for (int outSize : {64, 32}) {
    std::vector<float> out(static_cast<size_t>(outSize) * outSize, 0.25f);
    const double s = outSize / 64.0;
    for (int y = static_cast<int>(24 * s); y < static_cast<int>(40 * s); ++y) {
      for (int x = 0; x < outSize; ++x) out[y * outSize + x] = 1.0f;
    }
    ModelOutputSpec os;
    os.width = os.height = outSize;
    auto prob = probabilityFromOutput(out.data(), out.size(), os, p);
    ASSERT_TRUE(prob.ok()) << prob.status().reason();
    EXPECT_EQ(prob.value().width, outSize);
    EXPECT_EQ(prob.value().height, static_cast<int>(16 * s));
    for (size_t i = 0; i < prob.value().samples.size(); ++i) ASSERT_EQ(prob.value().samples[i], 1.0f);
  }
}

// A photo 4x or more the tensor is averaged in blocks first (shrinkCodesToPlanes), its
// block rows shared among threads: 3 threads give the one-thread tensor exactly (1001 x
// 1003 to 160 x 128: 3 x 3 blocks, 335 block rows, the last one short).
TEST(ModelIo, ThreadsPrepareTheTensorOfOneThread) {
  auto photo = ImageRGBA8::create(1001, 1003).take();
  for (size_t i = 0; i < photo.pixels.size(); ++i) photo.pixels[i] = static_cast<uint8_t>((i * 2654435761u) >> 24);
  for (bool letterbox : {false, true}) {
    ModelInputSpec spec = imagenet(160, 128, true);
    spec.letterbox = letterbox;
    auto one = prepareModelInput(photo, spec);
    auto three = prepareModelInput(photo, spec, 3);
    ASSERT_TRUE(one.ok() && three.ok());
    size_t differing = 0;
    for (size_t i = 0; i < one.value().tensor.size(); ++i) differing += one.value().tensor[i] != three.value().tensor[i];
    EXPECT_EQ(differing, 0u) << "letterbox " << letterbox;
  }
}

TEST(ModelIo, LogitsChannelsAndBadOutputs) {
  ModelInputSpec in;
  in.width = in.height = 2;
  const InputPlacement whole = prepareModelInput(solid(5, 5, 0, 0, 0), in).take().placement;
  const float nhwc[] = {0, 9, NAN, -9, 0, 0, 0, 0};  // 2x2, 2 channels, NHWC
  ModelOutputSpec os;
  os.width = os.height = 2, os.channels = 2, os.channelsFirst = false, os.channel = 1, os.logits = true;
  auto prob = probabilityFromOutput(nhwc, 8, os, whole);
  ASSERT_TRUE(prob.ok());
  EXPECT_NEAR(prob.value().plane(0)[0], 1 / (1 + std::exp(-9.0)), 1e-6);
  EXPECT_NEAR(prob.value().plane(0)[1], 1 / (1 + std::exp(9.0)), 1e-6);
  EXPECT_EQ(prob.value().plane(0)[2], 0.5f);
  os.channel = 0;
  EXPECT_EQ(probabilityFromOutput(nhwc, 8, os, whole).take().plane(0)[1], 0.0f) << "NaN becomes 0";
  auto wrong = probabilityFromOutput(nhwc, 7, os, whole);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().reason().find("expected 8"), std::string::npos);
  os.channel = 2;
  EXPECT_EQ(probabilityFromOutput(nhwc, 8, os, whole).status().code(), ErrorCode::kInvalidArgument);
}

TEST(ModelIo, OnePixelStripsAndBadSpecs) {
  ModelInputSpec spec;
  spec.width = spec.height = 320;
  spec.letterbox = true;
  auto prepared = prepareModelInput(solid(1000, 1, 50, 60, 70), spec);
  ASSERT_TRUE(prepared.ok()) << prepared.status().reason();
  EXPECT_EQ(prepared.value().placement.height, 1);
  spec.std[1] = 0;
  EXPECT_EQ(prepareModelInput(solid(4, 4, 0, 0, 0), spec).status().code(), ErrorCode::kInvalidArgument);
  spec.std[1] = 1;
  spec.width = 0;
  EXPECT_EQ(prepareModelInput(solid(4, 4, 0, 0, 0), spec).status().code(), ErrorCode::kInvalidArgument);
}

TEST(ModelIo, DepthOutputIsNormalisedAndOrientedNearToFar) {
  ModelInputSpec in;
  in.width = in.height = 2;
  const InputPlacement whole = prepareModelInput(solid(4, 4, 0, 0, 0), in).take().placement;
  const float disparity[] = {10, 20, 30, 50};  // large = near
  ModelOutputSpec os;
  os.width = os.height = 2;
  const ImagePlanar fromDisparity = depthFromOutput(disparity, 4, os, whole, true).take();
  EXPECT_FLOAT_EQ(fromDisparity.plane(0)[0], 1.0f);  // smallest disparity: farthest
  EXPECT_FLOAT_EQ(fromDisparity.plane(0)[3], 0.0f);
  EXPECT_FLOAT_EQ(fromDisparity.plane(0)[1], 0.75f);
  const ImagePlanar fromDepth = depthFromOutput(disparity, 4, os, whole, false).take();
  EXPECT_FLOAT_EQ(fromDepth.plane(0)[3], 1.0f);
  EXPECT_EQ(depthFromOutput(disparity, 3, os, whole, true).status().code(), ErrorCode::kInvalidArgument);
}
