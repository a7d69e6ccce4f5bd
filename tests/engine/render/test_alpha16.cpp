// The 16-bit matte (alpha16.h) the engine's Photo keeps: its steps against the float matte,
// and renders from it against renders from the same values as a float plane, whole-image
// and in strips (on one thread and three), for every style, both depth sources and the backgrounds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "defocus/alpha16.h"
#include "defocus/cutout.h"
#include "defocus/photo.h"
#include "defocus/render.h"
#include "defocus/resample.h"
#include "fixtures.h"

using namespace defocus;

TEST(Alpha16, KeepsAlphaWithinHalfAStepAndTheEndsExactly) {
  ImagePlanar m = ImagePlanar::create(7, 1, 1).take();
  const float values[7] = {0.0f, 1.0f, 0.5f, 1e-6f, 0.999999f, -0.25f, 1.5f};
  for (int i = 0; i < 7; ++i) m.plane(0)[i] = values[i];
  const Alpha16 a = Alpha16::fromPlane(m).take();
  const ImagePlanar back = a.toPlane().take();
  EXPECT_EQ(a.steps[0], 0);
  EXPECT_EQ(a.steps[1], 65535);
  EXPECT_EQ(back.plane(0)[1], 1.0f);  // full cover stays full cover (the render keeps those bytes)
  EXPECT_EQ(a.steps[5], 0);           // clamped
  EXPECT_EQ(a.steps[6], 65535);
  for (int i = 0; i < 5; ++i) EXPECT_LE(std::fabs(back.plane(0)[i] - values[i]), 0.5f / 65535 + 1e-7f) << values[i];
  m.plane(0)[0] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(Alpha16::fromPlane(m).take().steps[0], 0);
}

// Made on three threads (rows 0..63, 64..127 and 128..200: unequal runs) it has the
// one-thread steps; its mean is the float matte's within half a step.
TEST(Alpha16, ThreadsMakeTheStepsOfOneThreadAndTheMeanIsTheFloatMean) {
  ImagePlanar m = ImagePlanar::create(301, 201, 1).take();
  double sum = 0;
  for (size_t i = 0; i < m.planeSize(); ++i) sum += m.plane(0)[i] = static_cast<float>((i * 7919) % 1000) / 999.0f;
  const Alpha16 one = Alpha16::fromPlane(m).take(), three = Alpha16::fromPlane(m, 3).take();
  size_t differing = 0;
  for (size_t i = 0; i < m.planeSize(); ++i) differing += one.steps[i] != three.steps[i];
  EXPECT_EQ(differing, 0u);
  EXPECT_NEAR(three.mean(), sum / m.planeSize(), 0.5 / 65535);
  EXPECT_EQ(Alpha16{}.mean(), 0.0);
}

TEST(Alpha16, RowsReadAsTheFloatPlaneTheyMake) {
  ImagePlanar m = ImagePlanar::create(300, 5, 1).take();
  for (size_t i = 0; i < m.planeSize(); ++i) m.plane(0)[i] = static_cast<float>((i * 7919) % 1000) / 999.0f;
  const Alpha16 a = Alpha16::fromPlane(m).take();
  const ImagePlanar plane = a.toPlane().take();
  const AlphaRows compact(a), floats(plane);
  std::vector<float> scratch(300);
  for (int y = 0; y < 5; ++y) {
    const float* r = compact.row(y, scratch.data());
    for (int x = 0; x < 300; ++x) {
      ASSERT_EQ(r[x], floats.row(y, nullptr)[x]);
      ASSERT_EQ(compact.at(x, y), r[x]);
    }
  }
}


// Every reader of the 16-bit matte sees the values its float plane holds: the same bytes as
// a renderer given that plane, in strips (which read it by rows) and whole (which makes the
// plane), for the styles, depth modes, the subject blurred, grain, cutout and replace.
// Fails when a reader sees less than the 16 bits (tried: the strips' subject rows read at 8
// bits, steps >> 8: 104-600 bytes differ in every strip case but the cutout).
TEST(Alpha16, RendersTheBytesOfItsFloatPlane) {
  auto [photo, matte] = fixtures::loadScene("people/hike_00000", 700);
  auto shared = std::make_shared<const ImageRGBA8>(std::move(photo));
  auto compact = std::make_shared<const Alpha16>(Alpha16::fromPlane(matte).take());
  auto plane = std::make_shared<const ImagePlanar>(compact->toPlane().take());
  struct Case {
    std::string name;
    RenderOptions o;
  };
  std::vector<Case> cases;
  for (BlurStyle s : {BlurStyle::kLens, BlurStyle::kGaussian, BlurStyle::kMotion, BlurStyle::kRadial}) {
    RenderOptions o;
    o.blur.style = s;
    o.blur.strength = 100;
    cases.push_back({blurStyleName(s), o});
  }
  RenderOptions o;
  o.depth.mode = DepthMode::kLinear;
  cases.push_back({"linear depth", o});
  o = {};
  o.depth.focusX = 0.05f, o.depth.focusY = 0.05f;
  cases.push_back({"focus on background", o});
  o = {};
  o.grain = true;
  cases.push_back({"grain", o});
  o = {};
  o.background = BackgroundMode::kTransparent;
  cases.push_back({"cutout", o});
  const ImagePlanar backdrop = solidBackground(40, 90, 160, shared->width, shared->height).take();
  o = {};
  o.background = BackgroundMode::kReplace;
  o.replacement = &backdrop;
  cases.push_back({"replace", o});
  for (Case& c : cases) {
    for (int stripRows : {64, -1}) {
      c.o.stripRows = stripRows;
      const ImageRGBA8 a = PortraitRenderer::create(shared, compact).take().render(c.o).take();
      const ImageRGBA8 b = PortraitRenderer::create(shared, plane).take().render(c.o).take();
      size_t differing = 0;
      for (size_t i = 0; i < a.pixels.size(); ++i) differing += a.pixels[i] != b.pixels[i];
      EXPECT_EQ(differing, 0u) << c.name << (stripRows > 0 ? " in strips" : " whole");
      if (stripRows < 0) continue;
      c.o.threads = 3;  // each thread converts the rows it reads in scratch of its own
      const ImageRGBA8 threaded = PortraitRenderer::create(shared, compact).take().render(c.o).take();
      c.o.threads = 1;
      differing = 0;
      for (size_t i = 0; i < a.pixels.size(); ++i) differing += threaded.pixels[i] != b.pixels[i];
      EXPECT_EQ(differing, 0u) << c.name << " in strips on 3 threads";
    }
  }
}

// An engine Photo keeps its matte in 16 bits: within half a step of the refined float matte.
TEST(Alpha16, APhotosMatteIsTheRefinedMatteInSteps) {
  auto [photo, matte] = fixtures::loadScene("people/hike_00000", 400);
  const ImageRGBA8 copy = ImageRGBA8::fromPixels(photo.pixels.data(), photo.pixels.size(), photo.width, photo.height).take();
  Photo p = Photo::fromPixels(std::move(photo)).take();
  const ImagePlanar probability = resize(matte, 64, 48, UpscaleKernel::kBilinear).take();
  ASSERT_TRUE(p.setMatteFrom(probability, MatteOptions{}, true).ok());
  const ImagePlanar refined = refineMatte(copy, probability, MatteOptions{}).take();
  const ImagePlanar kept = p.matte().toPlane().take();
  double worst = 0;
  for (size_t i = 0; i < refined.planeSize(); ++i) {
    worst = std::max(worst, std::fabs(double(kept.plane(0)[i]) - std::clamp(refined.plane(0)[i], 0.0f, 1.0f)));
  }
  EXPECT_LE(worst, 0.5 / 65535 + 1e-7);
}
