// Depth-aware blur: the circle of confusion each pixel gets from the depth heuristics,
// the user's gradients, a supplied depth map and the focus point.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "defocus/render.h"
#include "defocus/resample.h"

using namespace defocus;

namespace {

constexpr int W = 400, H = 300;

// A standing figure: a column from y0 to y1 (feet), x 170..230; `scale` times larger.
ImagePlanar figure(int y0, int y1, int scale = 1) {
  const int w = W * scale, h = H * scale;
  auto m = ImagePlanar::create(w, h, 1).take();
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const bool inside = y >= y0 * scale && y < (y1 + 1) * scale && x >= 170 * scale && x < 231 * scale;
      m.plane(0)[y * w + x] = inside ? 1.0f : 0.0f;
    }
  }
  return m;
}

RenderOptions withDepth(DepthMode mode) {
  RenderOptions o;
  o.blur.strength = 100;  // 21 px at 400x300
  o.depth.mode = mode;
  return o;
}

float at(const BlurRadii& r, int x, int y) { return r.background.plane(0)[y * W + x]; }

double maxStep(const ImagePlanar& p) {
  double worst = 0;
  const int w = p.width;
  for (int y = 0; y + 1 < p.height; ++y) {
    for (int x = 0; x + 1 < w; ++x) {
      const float v = p.plane(0)[y * w + x];
      worst = std::max({worst, double(std::fabs(p.plane(0)[y * w + x + 1] - v)), double(std::fabs(p.plane(0)[(y + 1) * w + x] - v))});
    }
  }
  return worst;
}

// The radius of the farthest depth at strength 100 (withDepth's), in pixels at W x H.
float largestRadius() { return static_cast<float>(blurRadiusForStrength(100, W, H)); }

}  // namespace

TEST(Depth, GroundIsSharpAtTheFeetAndBlursWithDistanceBothWays) {
  const ImagePlanar m = figure(60, 220);
  const BlurRadii r = renderRadii(m, withDepth(DepthMode::kAuto)).take();
  const float maxR = largestRadius();
  std::printf("radius beside the feet %.2f, 40 rows behind %.2f, 80 behind %.2f, at the bottom %.2f, top corner %.2f\n",
              at(r, 260, 220), at(r, 260, 180), at(r, 260, 140), at(r, 260, 299), at(r, 5, 5));
  EXPECT_EQ(r.subject, 0.0f) << "focus on the subject by default";
  EXPECT_LT(at(r, 260, 220), 0.25f * maxR);
  EXPECT_LT(at(r, 260, 220), at(r, 260, 180));
  EXPECT_LT(at(r, 260, 180), at(r, 260, 140));
  EXPECT_GT(at(r, 260, 299), at(r, 260, 230)) << "the ground in front blurs too (foreground bokeh)";
  EXPECT_GT(at(r, 5, 5), 0.9f * maxR) << "far background is fully blurred";
  EXPECT_LT(maxStep(r.background), 0.05 * maxR) << "no visible steps";
}

TEST(Depth, WithoutGroundFarBackgroundBlursMoreThanBackgroundNextToTheSubject) {
  const ImagePlanar m = figure(80, H - 1);  // a head-and-shoulders crop: no feet in frame
  const BlurRadii r = renderRadii(m, withDepth(DepthMode::kAuto)).take();
  const float maxR = largestRadius();
  EXPECT_GT(at(r, 240, 150), 0.5f * maxR) << "next to the subject: clearly blurred";
  EXPECT_LT(at(r, 240, 150), at(r, 390, 20)) << "farther from the subject: more";
  EXPECT_GT(at(r, 390, 20), 0.9f * maxR);
}

TEST(Depth, FocusOnTheBackgroundBlursTheSubjectInstead) {
  const ImagePlanar m = figure(60, 220);
  RenderOptions o = withDepth(DepthMode::kFlat);
  o.depth.focusX = 0.02f, o.depth.focusY = 0.02f;
  const BlurRadii r = renderRadii(m, o).take();
  EXPECT_LT(at(r, 5, 5), 0.05f * largestRadius());
  EXPECT_GT(r.subject, 0.5f * largestRadius());
  // The rendered subject changes (it is blurred), the background keeps its detail.
  auto photo = ImageRGBA8::create(W, H).take();
  for (size_t i = 0; i < photo.pixels.size(); ++i) photo.pixels[i] = i % 4 == 3 ? 255 : static_cast<uint8_t>((i * 73) % 256);
  const ImageRGBA8 out = renderPortrait(photo, m, o).take();
  auto changed = [&](int x0, int y0, int x1, int y1) {
    double diff = 0;
    for (int y = y0; y < y1; ++y) {
      for (int x = x0; x < x1; ++x) diff += std::abs(int(out.row(y)[4 * x]) - photo.row(y)[4 * x]);
    }
    return diff / ((x1 - x0) * (y1 - y0));
  };
  EXPECT_GT(changed(180, 100, 220, 200), 20.0) << "subject blurred";
  EXPECT_LT(changed(2, 2, 12, 12), changed(180, 100, 220, 200) / 4) << "focused background kept";
  // A focus point outside the photo is clamped to its edge, not an error.
  o.depth.focusX = 7.0f;
  EXPECT_TRUE(renderRadii(m, o).ok());
}

TEST(Depth, GradientsTiltShiftAndRadial) {
  const ImagePlanar m = figure(140, 160);
  RenderOptions o = withDepth(DepthMode::kLinear);  // near at the bottom, far at the top
  o.depth.focusX = 0.5f, o.depth.focusY = 1.0f;
  BlurRadii r = renderRadii(m, o).take();
  EXPECT_LT(at(r, 20, 290), at(r, 20, 150));
  EXPECT_LT(at(r, 20, 150), at(r, 20, 10));
  o.depth.tiltShift = true;
  o.depth.focusY = 0.5f;  // the band halfway is sharp
  r = renderRadii(m, o).take();
  EXPECT_LT(at(r, 20, 150), 0.05f * largestRadius());
  EXPECT_GT(at(r, 20, 5), 0.8f * largestRadius());
  EXPECT_GT(at(r, 20, 295), 0.8f * largestRadius());
  o = withDepth(DepthMode::kRadial);
  o.depth.startX = 0.25f, o.depth.startY = 0.5f, o.depth.endX = 0.75f, o.depth.endY = 0.5f;
  o.depth.focusX = 0.25f, o.depth.focusY = 0.5f;
  r = renderRadii(m, o).take();
  EXPECT_LT(at(r, 100, 150), 0.05f * largestRadius());
  EXPECT_LT(at(r, 100, 150), at(r, 160, 150));
  EXPECT_LT(at(r, 160, 150), at(r, 300, 150));
  o.depth.endX = o.depth.startX, o.depth.endY = o.depth.startY;
  EXPECT_FALSE(renderRadii(m, o).ok()) << "a gradient needs two different points";
}

TEST(Depth, SuppliedDepthMapOfAnySize) {
  const ImagePlanar m = figure(60, 220);
  auto map = ImagePlanar::create(40, 30, 1).take();  // near on the left, far on the right
  for (int y = 0; y < 30; ++y) {
    for (int x = 0; x < 40; ++x) map.plane(0)[y * 40 + x] = x / 39.0f;
  }
  RenderOptions o = withDepth(DepthMode::kMap);
  EXPECT_FALSE(renderRadii(m, o).ok()) << "map mode without a map";
  const BlurRadii r = renderRadii(m, o, &map).take();
  // The subject (x 170..230) is at depth ~0.5: blur grows away from it on both sides.
  EXPECT_LT(at(r, 200, 250), 0.15f * largestRadius());
  EXPECT_GT(at(r, 10, 250), at(r, 120, 250));
  EXPECT_GT(at(r, 390, 250), at(r, 280, 250));
  o.depth.focusX = NAN;
  EXPECT_FALSE(renderRadii(m, o, &map).ok());
}

// Depth is worked out on a grid of at most 512 px a side: a photo 5x the size of the test
// scenes (2000x1500) gets the same radii, relative to its largest, as the scene itself.
TEST(Depth, ALargePhotoGetsTheSameDepthAsItsPreview) {
  auto map = ImagePlanar::create(40, 30, 1).take();
  for (int i = 0; i < 40 * 30; ++i) map.plane(0)[i] = (i % 40) / 39.0f;
  struct Case { const char* name; int y0, y1; DepthMode mode; bool tilt; };
  for (const Case& c : {Case{"auto, feet in frame", 60, 220, DepthMode::kAuto, false},
                        Case{"auto, no ground", 80, H - 1, DepthMode::kAuto, false},
                        Case{"linear tilt-shift", 60, 220, DepthMode::kLinear, true},
                        Case{"radial, focus far", 60, 220, DepthMode::kRadial, false},
                        Case{"map", 60, 220, DepthMode::kMap, false}}) {
    RenderOptions o = withDepth(c.mode);
    o.depth.tiltShift = c.tilt;
    if (c.mode == DepthMode::kRadial) o.depth.focusX = 0.9f, o.depth.focusY = 0.1f;  // the subject blurs
    const BlurRadii small = renderRadii(figure(c.y0, c.y1), o, &map).take();
    const BlurRadii large = renderRadii(figure(c.y0, c.y1, 5), o, &map).take();
    const ImagePlanar shrunk = resize(large.background, W, H).take();
    const double largeMax = blurRadiusForStrength(o.blur.strength, 5 * W, 5 * H);  // the largest radius of each
    const double smallMax = blurRadiusForStrength(o.blur.strength, W, H);
    double worst = 0, sum = 0;
    for (int i = 0; i < W * H; ++i) {
      const double d = std::fabs(shrunk.plane(0)[i] / largeMax - small.background.plane(0)[i] / smallMax);
      worst = std::max(worst, d), sum += d;
    }
    std::printf("%-20s radius / largest, 2000x1500 vs 400x300: mean difference %.4f, worst %.4f; subject %.3f vs %.3f\n",
                c.name, sum / (W * H), worst, large.subject / largeMax, small.subject / smallMax);
    EXPECT_LT(sum / (W * H), 0.004) << c.name;
    EXPECT_LT(worst, 0.025) << c.name;
    EXPECT_NEAR(large.subject / largeMax, small.subject / smallMax, 0.005) << c.name;
    EXPECT_LT(maxStep(large.background), 0.002 * largeMax) << c.name << ": no visible steps at full size";
  }
}
