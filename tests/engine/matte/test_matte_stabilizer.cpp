// Temporal stabilisation: jitter on a still subject is damped, a moving subject is followed
// at once, bad input is refused.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <utility>

#include "defocus/matte_stabilizer.h"

namespace {

using defocus::ImagePlanar;

// A disc of probability 1 (soft edge) centred at cx on a 64 x 48 map, plus uniform jitter.
ImagePlanar discFrame(float cx, float jitter, std::mt19937& rng) {
  auto frame = ImagePlanar::create(64, 48, 1).take();
  std::uniform_real_distribution<float> noise(-jitter, jitter);
  for (int y = 0; y < 48; ++y) {
    for (int x = 0; x < 64; ++x) {
      const float d = std::hypot(x - cx, y - 24.0f);
      const float p = std::clamp(12.0f - d, 0.0f, 1.0f) + noise(rng);
      frame.plane(0)[y * 64 + x] = std::clamp(p, 0.0f, 1.0f);
    }
  }
  return frame;
}

double meanAbsDiff(const ImagePlanar& a, const ImagePlanar& b) {
  double sum = 0;
  for (size_t i = 0; i < a.planeSize(); ++i) sum += std::fabs(a.plane(0)[i] - b.plane(0)[i]);
  return sum / a.planeSize();
}

TEST(MatteStabilizer, DampsJitterOnAStillSubject) {
  std::mt19937 rng(7);
  ImagePlanar state, previousRaw, previousState;
  double rawChange = 0, stableChange = 0;
  for (int frame = 0; frame < 30; ++frame) {
    ImagePlanar raw = discFrame(32, 0.03f, rng);
    ASSERT_TRUE(defocus::stabilizeMatte(state, raw).ok());
    if (frame >= 10) {  // after the start-up
      rawChange += meanAbsDiff(raw, previousRaw);
      stableChange += meanAbsDiff(state, previousState);
    }
    previousRaw = std::move(raw);
    previousState = copyPlanes(state).take();
  }
  std::printf("frame-to-frame change on a still subject: raw %.5f, stabilised %.5f\n", rawChange / 20, stableChange / 20);
  EXPECT_LT(stableChange, rawChange / 3);
}

TEST(MatteStabilizer, FollowsAMovingSubjectWithoutATrail) {
  std::mt19937 rng(7);
  ImagePlanar state;
  double worst = 0;
  for (int frame = 0; frame < 20; ++frame) {
    ImagePlanar raw = discFrame(16.0f + 2.0f * frame, 0.0f, rng);  // 2 px a frame
    ASSERT_TRUE(defocus::stabilizeMatte(state, raw).ok());
    worst = std::max(worst, meanAbsDiff(state, raw));
  }
  std::printf("worst mean distance to the moving subject's own map: %.5f\n", worst);
  // A plain 5-frame average would trail by ~0.03 of the map here.
  EXPECT_LT(worst, 0.005);
}

TEST(MatteStabilizer, RefusesMismatchedSizesAndBadOptions) {
  std::mt19937 rng(1);
  ImagePlanar state;
  ASSERT_TRUE(defocus::stabilizeMatte(state, discFrame(32, 0, rng)).ok());
  auto other = ImagePlanar::create(10, 10, 1).take();
  EXPECT_EQ(defocus::stabilizeMatte(state, other).code(), defocus::ErrorCode::kInvalidArgument);
  defocus::StabilizeOptions bad;
  bad.minFollow = 0;
  EXPECT_EQ(defocus::stabilizeMatte(state, discFrame(32, 0, rng), bad).code(), defocus::ErrorCode::kInvalidArgument);
  ImagePlanar empty;
  EXPECT_FALSE(defocus::stabilizeMatte(state, empty).ok());
}

}  // namespace
