#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>

#include "defocus/brush.h"
#include "defocus/grain.h"
#include "defocus/render.h"
#include "defocus/resample.h"

using namespace defocus;

TEST(Grain, BlurredBackgroundGetsTheSubjectsNoiseBack) {
  // Left half: subject, mid grey with sensor-like noise of 4 codes; right half: background,
  // another grey with the same noise. Blurring wipes the background's noise out.
  const int w = 400, h = 300;
  auto photo = ImageRGBA8::create(w, h).take();
  uint32_t state = 99;
  auto gaussian = [&] {
    double s = 0;
    for (int k = 0; k < 12; ++k) state = state * 1664525u + 1013904223u, s += (state >> 8) / 16777216.0;
    return s - 6;  // unit variance
  };
  auto matte = ImagePlanar::create(w, h, 1).take();
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const bool subject = x < w / 2;
      for (int c = 0; c < 3; ++c) photo.row(y)[4 * x + c] = static_cast<uint8_t>(std::lround((subject ? 120 : 90) + 4 * gaussian()));
      photo.row(y)[4 * x + 3] = 255;
      matte.plane(0)[y * w + x] = subject ? 1.0f : 0.0f;
    }
  }
  auto backgroundMask = ImagePlanar::create(w, h, 1).take();
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) backgroundMask.plane(0)[y * w + x] = x > w * 0.75 ? 1.0f : 0.0f;
  }
  const NoiseLevel subject = estimateNoise(photo, matte);
  RenderOptions o;
  o.blur.strength = 60;
  o.depth.mode = DepthMode::kFlat;
  const ImageRGBA8 smooth = renderPortrait(photo, matte, o).take();
  o.grain = true;
  const ImageRGBA8 grained = renderPortrait(photo, matte, o).take();
  const NoiseLevel before = estimateNoise(smooth, backgroundMask), after = estimateNoise(grained, backgroundMask);
  std::printf("noise (codes): subject %.2f, blurred background %.2f, with grain %.2f\n", subject.sigma[1],
              before.sigma[1], after.sigma[1]);
  for (int c = 0; c < 3; ++c) {
    EXPECT_NEAR(subject.sigma[c], 4.0, 0.6) << "the estimator finds the noise that was put in";
    EXPECT_LT(before.sigma[c], subject.sigma[c] * 0.5) << "blur removes noise";
    EXPECT_NEAR(after.sigma[c], subject.sigma[c], subject.sigma[c] * 0.25) << "grain puts it back";
  }
  // Deterministic: the same seed gives the same bytes, another seed other bytes.
  EXPECT_EQ(std::memcmp(renderPortrait(photo, matte, o).take().pixels.data(), grained.pixels.data(), grained.pixels.size()), 0);
  o.grainSeed = 2;
  EXPECT_NE(std::memcmp(renderPortrait(photo, matte, o).take().pixels.data(), grained.pixels.data(), grained.pixels.size()), 0);
}

namespace {

ImagePlanar emptyMatte(int w, int h) {
  auto m = ImagePlanar::create(w, h, 1).take();
  std::fill(m.samples.data(), m.samples.data() + m.samples.size(), 0.0f);
  return m;
}

BrushStroke stroke(bool restore, std::vector<BrushPoint> points, float radius = 0.05f, float hardness = 0.8f) {
  BrushStroke s;
  s.restore = restore, s.radius = radius, s.hardness = hardness, s.points = std::move(points);
  return s;
}

double sum(const ImagePlanar& m) {
  double s = 0;
  for (size_t i = 0; i < m.samples.size(); ++i) s += m.samples[i];
  return s;
}

}  // namespace

TEST(Brush, RestoreEraseAndUndoByReplay) {
  std::vector<BrushStroke> strokes = {stroke(true, {{0.2f, 0.5f}, {0.8f, 0.5f}}), stroke(false, {{0.5f, 0.5f}}, 0.03f, 1.0f)};
  auto one = emptyMatte(200, 100);
  ASSERT_TRUE(applyStrokes(one, {strokes[0]}).ok());
  auto two = emptyMatte(200, 100);
  ASSERT_TRUE(applyStrokes(two, strokes).ok());
  EXPECT_EQ(one.plane(0)[50 * 200 + 40], 1.0f);   // on the restore stroke
  EXPECT_EQ(one.plane(0)[5 * 200 + 40], 0.0f);    // away from it
  EXPECT_EQ(two.plane(0)[50 * 200 + 100], 0.0f);  // erased again in the middle
  EXPECT_EQ(two.plane(0)[50 * 200 + 40], 1.0f);
  // Undo = replay without the last stroke: identical to the earlier state.
  auto undone = emptyMatte(200, 100);
  ASSERT_TRUE(applyStrokes(undone, std::vector<BrushStroke>(strokes.begin(), strokes.end() - 1)).ok());
  EXPECT_EQ(std::memcmp(undone.samples.data(), one.samples.data(), one.samples.size() * sizeof(float)), 0);
  // Soft edges: fractional coverage between the hard core and the radius.
  bool fractional = false;
  for (size_t i = 0; i < one.samples.size(); ++i) fractional |= one.samples[i] > 0.05f && one.samples[i] < 0.95f;
  EXPECT_TRUE(fractional);
}

TEST(Brush, SameStrokesOnPreviewAndFullSizeMatte) {
  const std::vector<BrushStroke> strokes = {stroke(true, {{0.1f, 0.2f}, {0.6f, 0.7f}, {0.9f, 0.3f}}, 0.04f, 0.5f)};
  auto full = emptyMatte(1600, 1200), preview = emptyMatte(400, 300);
  ASSERT_TRUE(applyStrokes(full, strokes).ok() && applyStrokes(preview, strokes).ok());
  const ImagePlanar shrunk = resize(full, 400, 300).take();
  double diff = 0;
  for (size_t i = 0; i < shrunk.samples.size(); ++i) diff += std::fabs(shrunk.samples[i] - preview.samples[i]);
  EXPECT_LT(diff / sum(preview), 0.05) << "the brushed area differs by more than 5% between resolutions";
}

TEST(Brush, OutsidePointsAndBadStrokes) {
  auto m = emptyMatte(100, 100);
  ASSERT_TRUE(applyStrokes(m, {stroke(true, {{-5.0f, -5.0f}, {-4.0f, 7.0f}})}).ok());
  EXPECT_EQ(sum(m), 0.0) << "a stroke entirely outside changes nothing";
  ASSERT_TRUE(applyStrokes(m, {stroke(true, {{-0.5f, 0.5f}, {1e6f, 0.5f}})}).ok()) << "far points do not hang";
  const auto bad = applyStrokes(m, {stroke(true, {{0.5f, 0.5f}}), stroke(true, {{0.5f, 0.5f}}, 0.0f)});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.reason().find("stroke 2: brush radius"), std::string::npos) << bad.reason();
  EXPECT_FALSE(applyStrokes(m, {stroke(false, {})}).ok());
  EXPECT_FALSE(applyStrokes(m, {stroke(false, {{NAN, 0.5f}})}).ok());
}
