// The strip render (full-size photos, bounded memory) against the whole-image render (the
// preview path) of the same photo, matte and options: every style, every depth mode, the
// subject sharp and out of focus. And no visible step where one strip meets the next.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "defocus/allocation_failure.h"
#include "defocus/codec.h"
#include "defocus/color.h"
#include "defocus/cutout.h"
#include "defocus/render.h"
#include "defocus/resample.h"
#include "fixtures.h"

using namespace defocus;

namespace {

using fixtures::loadScene;
using fixtures::Scene;

double psnrRgb(const ImageRGBA8& a, const ImageRGBA8& b) {
  double mse = 0;
  size_t n = 0;
  for (size_t i = 0; i < a.pixels.size(); ++i) {
    if (i % 4 == 3) continue;
    const double d = double(a.pixels[i]) - b.pixels[i];
    mse += d * d, ++n;
  }
  return mse == 0 ? 99.0 : 10 * std::log10(255.0 * 255.0 * n / mse);
}

// Mean absolute difference (codes) between rows y - 1 and y, over colour channels.
double rowStep(const ImageRGBA8& image, int y) {
  double sum = 0;
  for (int x = 0; x < image.width; ++x) {
    for (int c = 0; c < 3; ++c) sum += std::abs(int(image.row(y)[4 * x + c]) - image.row(y - 1)[4 * x + c]);
  }
  return sum / (3.0 * image.width);
}

struct Case {
  const char* name;
  BlurStyle style;
  DepthMode depth;
  bool focusOnBackground;
};

std::vector<Case> allCases() {
  std::vector<Case> cases;
  const BlurStyle styles[] = {BlurStyle::kLens, BlurStyle::kGaussian, BlurStyle::kMotion, BlurStyle::kRadial};
  const DepthMode depths[] = {DepthMode::kAuto, DepthMode::kFlat, DepthMode::kLinear, DepthMode::kRadial, DepthMode::kMap};
  for (BlurStyle s : styles) {
    for (DepthMode d : depths) cases.push_back({"", s, d, false});
    cases.push_back({"", s, DepthMode::kAuto, true});
  }
  return cases;
}

RenderOptions optionsFor(const Case& c, float strength) {
  RenderOptions o;
  o.blur.style = c.style;
  o.blur.strength = strength;
  o.blur.angleDegrees = 60;  // motion: a slanted streak reaches across strip borders
  o.blur.centerX = 0.4f, o.blur.centerY = 0.3f;
  o.depth.mode = c.depth;
  if (c.focusOnBackground) o.depth.focusX = 0.05f, o.depth.focusY = 0.05f;
  return o;
}

// A depth map of its own size (as a user's model gives): near at the bottom, far at the top.
ImagePlanar depthMap() {
  ImagePlanar map = ImagePlanar::create(64, 48, 1).take();
  for (int y = 0; y < 48; ++y) {
    for (int x = 0; x < 64; ++x) map.plane(0)[y * 64 + x] = 1.0f - y / 47.0f + 0.1f * std::sin(x * 0.2f);
  }
  return map;
}

std::string describe(const Case& c) {
  const char* depths[] = {"auto", "flat", "linear", "radial", "map"};
  return std::string(blurStyleName(c.style)) + "/" + depths[static_cast<int>(c.depth)] +
         (c.focusOnBackground ? "/focus-on-background" : "");
}

}  // namespace

TEST(RenderStrips, EqualTheWholeImageRenderForEveryStyleAndDepthMode) {
  const Scene scene = loadScene("people/hike_00000", 900);
  const ImagePlanar map = depthMap();
  double worst = 1e9;
  for (const Case& c : allCases()) {
    for (float strength : {30.0f, 100.0f}) {
      PortraitRenderer renderer = PortraitRenderer::create(scene.photo, scene.matte).take();
      RenderOptions o = optionsFor(c, strength);
      const ImageRGBA8 whole = renderer.render(o, &map).take();
      o.stripRows = 64;
      const ImageRGBA8 strips = renderer.render(o, &map).take();
      const double psnr = psnrRgb(whole, strips);
      std::printf("%-32s strength %3.0f: strips vs whole %.1f dB\n", describe(c).c_str(), strength, psnr);
      EXPECT_GE(psnr, 50.0) << describe(c) << " strength " << strength;
      // The lens's and the Gaussian's layers are spaced down from the strength's radius in
      // the strips as in the whole image (BlurFrame::radiusTop): the same layers, only
      // rounding differs. Spaced between each strip's own extremes, these gave 50.9-60.0 dB
      // (lens 53.4-58.9, Gaussian 50.9-60.0), and without the top 10 of them fail. (Flat
      // depth has no layers.)
      const bool layered = c.style == BlurStyle::kLens || c.style == BlurStyle::kGaussian;
      if (layered && c.depth != DepthMode::kFlat) {
        EXPECT_GE(psnr, 65.0) << describe(c) << " strength " << strength << ": the strips' layers differ from the whole's";
      }
      worst = std::min(worst, psnr);
    }
  }
  std::printf("worst %.1f dB\n", worst);
}

// Strips shared out among threads (runs of consecutive strips, each with its own planes)
// give the bytes of one thread: every style and depth mode, the subject sharp and out of
// focus, grain on, and a cover-fitted replacement (whose rows several threads read at once).
// Fails when runs share scratch: with the fill's one cache of half-size rows shared by the
// threads, 2 to 1450 bytes differed in lens/flat, lens/radial and lens/map (tried).
TEST(RenderStrips, ThreadsRenderTheBytesOfOneThread) {
  const Scene scene = loadScene("people/hike_00000", 600);
  const ImagePlanar map = depthMap();
  const auto bytes = fixtures::readFile(fixtures::testdataPath("masks/cows_00000.jpg"));
  const ImageRGBA8 backdrop = decodeImage(bytes.data(), bytes.size()).take().image;
  const ReplacementRows cover = ReplacementRows::cover(backdrop, scene.photo.width, scene.photo.height).take();
  std::vector<std::pair<std::string, RenderOptions>> cases;
  for (const Case& c : allCases()) cases.emplace_back(describe(c), optionsFor(c, 60));
  RenderOptions grain = optionsFor({"", BlurStyle::kLens, DepthMode::kAuto, false}, 60);
  grain.grain = true;
  cases.emplace_back("lens/grain", grain);
  RenderOptions replaced = optionsFor({"", BlurStyle::kLens, DepthMode::kAuto, false}, 60);
  replaced.background = BackgroundMode::kReplace;
  replaced.replacementRows = &cover;
  cases.emplace_back("replace image", replaced);
  for (auto& [name, o] : cases) {
    PortraitRenderer renderer = PortraitRenderer::create(scene.photo, scene.matte).take();
    o.stripRows = 64;
    const ImageRGBA8 one = renderer.render(o, &map).take();
    for (int threads : {2, 3}) {
      o.threads = threads;
      const ImageRGBA8 many = renderer.render(o, &map).take();
      size_t differing = 0;
      for (size_t i = 0; i < one.pixels.size(); ++i) differing += one.pixels[i] != many.pixels[i];
      EXPECT_EQ(differing, 0u) << name << ", " << threads << " threads";
    }
  }
}

// A motion strip's halo is the streak's vertical extent (none for a horizontal streak):
// horizontal, near-horizontal, slanted and vertical streaks over sharp horizontal bands
// still equal the whole render. Fails if the halo is cut below what a streak reads (tried:
// no halo beyond the fixed 32 rows gives 39.9 dB at 90 degrees, 45.8 at 60).
TEST(RenderStrips, MotionStripsReadTheRowsTheirStreaksReach) {
  const int w = 900, h = 600;
  ImageRGBA8 bands = ImageRGBA8::create(w, h).take();
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      uint8_t* p = bands.row(y) + 4 * x;
      const bool light = (y / 24) % 2 == 0;
      p[0] = light ? 240 : 20, p[1] = static_cast<uint8_t>(light ? 200 : 40 + x / 8), p[2] = static_cast<uint8_t>((x / 30) % 2 ? 180 : 60);
      p[3] = 255;
    }
  }
  ImagePlanar matte = ImagePlanar::create(w, h, 1).take();  // a round subject
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) matte.plane(0)[y * w + x] = std::clamp(120.0f - std::hypot(x - 450.0f, y - 330.0f), 0.0f, 1.0f);
  }
  for (float angle : {0.0f, 10.0f, 60.0f, 90.0f}) {
    for (bool focusOnBackground : {false, true}) {
      PortraitRenderer renderer = PortraitRenderer::create(bands, matte).take();
      RenderOptions o = optionsFor({"", BlurStyle::kMotion, DepthMode::kFlat, focusOnBackground}, 100.0f);
      o.blur.angleDegrees = angle;
      const ImageRGBA8 whole = renderer.render(o).take();
      o.stripRows = 64;
      const double psnr = psnrRgb(whole, renderer.render(o).take());
      std::printf("motion %3.0f degrees%s: strips vs whole %.1f dB\n", angle, focusOnBackground ? ", focus on background" : "", psnr);
      EXPECT_GE(psnr, 50.0) << angle << " degrees";
    }
  }
}

// Cutout and replace (a colour, an image; blurred by the depth or not; the subject sharp and
// out of focus) in strips: the whole-image render's pixels, with no step at strip borders.
struct BackgroundCase {
  const char* name;
  BackgroundMode mode;
  bool image, blurred;
};
const BackgroundCase kBackgroundCases[] = {
    {"cutout", BackgroundMode::kTransparent, false, false},
    {"replace colour", BackgroundMode::kReplace, false, false},
    {"replace image", BackgroundMode::kReplace, true, false},
    {"replace image, blurred", BackgroundMode::kReplace, true, true},
};

TEST(RenderStrips, CutoutAndReplaceEqualTheWholeImageRenderWithoutSeams) {
  const Scene scene = loadScene("people/hike_00000", 900);
  const int w = scene.photo.width, h = scene.photo.height, stripRows = 64;
  const auto bytes = fixtures::readFile(fixtures::testdataPath("masks/cows_00000.jpg"));
  const ImageRGBA8 backdrop = decodeImage(bytes.data(), bytes.size()).take().image;
  const ReplacementRows colour = ReplacementRows::solid(40, 90, 160, w, h);
  const ReplacementRows image = ReplacementRows::cover(backdrop, w, h).take();
  const ImagePlanar imagePlanes = coverBackground(backdrop, w, h).take();
  for (const BackgroundCase& b : kBackgroundCases) {
    for (BlurStyle style : {BlurStyle::kLens, BlurStyle::kMotion}) {
      for (bool focusOnBackground : {false, true}) {
        if (b.mode == BackgroundMode::kTransparent && (style != BlurStyle::kLens || focusOnBackground)) continue;
        const std::string name = std::string(b.name) + "/" + blurStyleName(style) + (focusOnBackground ? "/focus-on-background" : "");
        PortraitRenderer renderer = PortraitRenderer::create(scene.photo, scene.matte).take();
        RenderOptions o = optionsFor({"", style, DepthMode::kAuto, focusOnBackground}, 60);
        o.background = b.mode;
        o.blurReplacement = b.blurred;
        o.replacementRows = b.image ? &image : &colour;
        const ImageRGBA8 whole = renderer.render(o).take();
        o.stripRows = stripRows;
        const ImageRGBA8 strips = renderer.render(o).take();
        // The replacement as full planes (coverBackground) gives the same strips.
        RenderOptions withPlanes = o;
        withPlanes.replacementRows = nullptr;
        withPlanes.replacement = &imagePlanes;
        const double psnr = psnrRgb(whole, strips);
        double alpha = 0, worstStep = 0;
        for (size_t i = 3; i < whole.pixels.size(); i += 4) alpha = std::max(alpha, std::fabs(double(whole.pixels[i]) - strips.pixels[i]));
        for (int y = stripRows; y < h; y += stripRows) worstStep = std::max(worstStep, std::fabs(rowStep(strips, y) - rowStep(whole, y)));
        std::printf("%-40s strips vs whole %.1f dB, alpha off by %.0f, extra step at borders %.3f codes\n", name.c_str(), psnr,
                    alpha, worstStep);
        EXPECT_GE(psnr, 50.0) << name;
        EXPECT_LE(alpha, 1.0) << name;
        EXPECT_LE(worstStep, 0.1) << name;
        if (b.image) {
          const double planesPsnr = psnrRgb(strips, renderer.render(withPlanes).take());
          EXPECT_GE(planesPsnr, 60.0) << name << ": rows against coverBackground's planes";
        }
        // The strips show the replacement, not the photo's own background: far from a portrait.
        if (b.mode == BackgroundMode::kReplace) {
          RenderOptions portrait = optionsFor({"", style, DepthMode::kAuto, focusOnBackground}, 60);
          portrait.stripRows = stripRows;
          EXPECT_LT(psnrRgb(strips, renderer.render(portrait).take()), 30.0) << name;
        }
      }
    }
  }
}

// Banded rows against the cover-fit done on the whole image (scaled to cover with the
// windowed resize, the centre cropped), so the one cover-fit both paths share (coverBackground is made
// from these rows) is checked against an independent one.
TEST(RenderStrips, ReplacementRowsAreTheWholeImageCoverFit) {
  const auto bytes = fixtures::readFile(fixtures::testdataPath("masks/cows_00000.jpg"));
  const ImageRGBA8 backdrop = decodeImage(bytes.data(), bytes.size()).take().image;
  const ImagePlanar linear = rgba8ToLinear(backdrop, 3).take();
  for (const auto& [w, h] : {std::pair{300, 900}, std::pair{1200, 500}, std::pair{854, 480}}) {
    const double scale = std::max(double(w) / backdrop.width, double(h) / backdrop.height);
    const int sw = std::max(w, static_cast<int>(std::ceil(backdrop.width * scale - 1e-6)));
    const int sh = std::max(h, static_cast<int>(std::ceil(backdrop.height * scale - 1e-6)));
    ImagePlanar planes = cropPlanes(resize(linear, sw, sh).take(), (sw - w) / 2, (sh - h) / 2, w, h).take();
    for (size_t i = 0; i < planes.samples.size(); ++i) planes.samples[i] = std::max(0.0f, planes.samples[i]);
    const ReplacementRows rows = ReplacementRows::cover(backdrop, w, h).take();
    ImagePlanar made = ImagePlanar::create(w, h, 3).take();
    for (int y0 = 0; y0 < h; y0 += 100) {  // in bands, as the strips ask
      const int y1 = std::min(h, y0 + 100);
      float* out[3];
      for (int c = 0; c < 3; ++c) out[c] = made.plane(c) + static_cast<size_t>(y0) * w;
      rows.rows(y0, y1, out);
    }
    double worst = 0;
    for (size_t i = 0; i < planes.samples.size(); ++i) worst = std::max(worst, double(std::fabs(planes.samples[i] - made.samples[i])));
    EXPECT_LE(worst, 1e-6) << w << "x" << h;
  }
}

// No step at a strip border: on a smooth ramp the row-to-row change there is what it is
// between any two rows, and on real photos the strip render differs from the whole one no
// more at the borders than elsewhere.
TEST(RenderStrips, NoSeamAtStripBordersOnARamp) {
  const int w = 640, h = 480, stripRows = 64;
  ImageRGBA8 ramp = ImageRGBA8::create(w, h).take();
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      uint8_t* p = ramp.row(y) + 4 * x;
      p[0] = static_cast<uint8_t>(40 + 160 * y / (h - 1)), p[1] = static_cast<uint8_t>(200 - 120 * y / (h - 1));
      p[2] = static_cast<uint8_t>(60 + 100 * x / (w - 1)), p[3] = 255;
    }
  }
  ImagePlanar matte = ImagePlanar::create(w, h, 1).take();  // a round subject in the middle
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      matte.plane(0)[y * w + x] = std::clamp(90.0f - std::hypot(x - 320.0f, y - 260.0f), 0.0f, 1.0f);
    }
  }
  const ImagePlanar map = depthMap();
  for (const Case& c : allCases()) {
    PortraitRenderer renderer = PortraitRenderer::create(ramp, matte).take();
    RenderOptions o = optionsFor(c, 60);
    const ImageRGBA8 whole = renderer.render(o, &map).take();
    o.stripRows = stripRows;
    const ImageRGBA8 out = renderer.render(o, &map).take();
    // The step between the last row of a strip and the first of the next, against the
    // step the whole-image render has between the same rows.
    double worst = 0;
    for (int y = stripRows; y < h; y += stripRows) worst = std::max(worst, std::fabs(rowStep(out, y) - rowStep(whole, y)));
    std::printf("%-32s ramp: extra step at strip borders %.3f codes\n", describe(c).c_str(), worst);
    EXPECT_LE(worst, 0.1) << describe(c);
  }
}

TEST(RenderStrips, NoSeamAtStripBordersOnRealPhotos) {
  const ImagePlanar map = depthMap();
  for (const char* name : {"people/kite-walk_00000", "masks/blackswan_00000", "masks/cows_00000"}) {
    const Scene scene = loadScene(name, 800);
    const int stripRows = 64, w = scene.photo.width, h = scene.photo.height;
    for (const Case& c : allCases()) {
      PortraitRenderer renderer = PortraitRenderer::create(scene.photo, scene.matte).take();
      RenderOptions o = optionsFor(c, 50);
      const ImageRGBA8 whole = renderer.render(o, &map).take();
      o.stripRows = stripRows;
      const ImageRGBA8 strips = renderer.render(o, &map).take();
      // Mean |strips - whole| on the rows either side of each border, and on all rows: strips
      // may differ from the whole image a little everywhere (a strip's radius range picks
      // its own blur layers), but a seam is a difference that gathers at the borders.
      const auto rowDifference = [&](int y) {
        double sum = 0;
        for (int x = 0; x < w; ++x) {
          for (int ch = 0; ch < 3; ++ch) sum += std::abs(int(strips.row(y)[4 * x + ch]) - whole.row(y)[4 * x + ch]);
        }
        return sum / (3.0 * w);
      };
      double border = 0, all = 0;
      int borderRows = 0;
      for (int y = stripRows; y < h; y += stripRows) border += rowDifference(y - 1) + rowDifference(y), borderRows += 2;
      for (int y = 0; y < h; ++y) all += rowDifference(y) / h;
      border /= borderRows;
      std::printf("%s %-32s mean difference at strip borders %.3f codes, everywhere %.3f\n", name, describe(c).c_str(),
                  border, all);
      EXPECT_LE(border, 1.5 * all + 0.05) << name << " " << describe(c);
    }
  }
}

// Allocation failures anywhere inside a strip render (the fill's pyramid, a strip's planes,
// a blur's scratch, the output) are answered with kOutOfMemory (or std::bad_alloc for the
// bindings to answer), and the same renderer then renders exactly what it renders clean.
TEST(RenderStrips, AFailedAllocationMidRenderIsOutOfMemoryAndTheNextRenderWorks) {
  const Scene scene = loadScene("people/hike_00000", 480);
  const ReplacementRows colour = ReplacementRows::solid(40, 90, 160, scene.photo.width, scene.photo.height);
  const std::pair<BlurStyle, BackgroundMode> cases[] = {
      {BlurStyle::kLens, BackgroundMode::kBlur},   {BlurStyle::kGaussian, BackgroundMode::kBlur},
      {BlurStyle::kMotion, BackgroundMode::kBlur}, {BlurStyle::kRadial, BackgroundMode::kBlur},
      {BlurStyle::kLens, BackgroundMode::kTransparent}, {BlurStyle::kLens, BackgroundMode::kReplace}};
  for (const auto& [style, background] : cases) {
    RenderOptions o;
    o.blur.style = style;
    o.blur.strength = 50;
    o.background = background;
    o.replacementRows = &colour;
    o.stripRows = 64;
    const ImageRGBA8 clean = renderPortrait(scene.photo, scene.matte, o).take();
    const uint64_t before = allocationCount();
    PortraitRenderer counting = PortraitRenderer::create(scene.photo, scene.matte).take();
    ASSERT_TRUE(counting.render(o).ok());
    const uint64_t allocations = allocationCount() - before;
    int failed = 0;
    for (uint64_t k = 0; k < allocations; k += std::max<uint64_t>(1, allocations / 12)) {
      PortraitRenderer renderer = PortraitRenderer::create(scene.photo, scene.matte).take();
      failAllocationAfter(k);
      bool threw = false;
      Result<ImageRGBA8> out = Status{};
      try {
        out = renderer.render(o);
      } catch (const std::bad_alloc&) {
        threw = true;
      }
      const bool fired = !allocationFailurePending();
      cancelAllocationFailure();
      if (!fired) continue;  // the renderer's own allocations came first
      ++failed;
      if (!threw) EXPECT_EQ(out.status().code(), ErrorCode::kOutOfMemory) << blurStyleName(style) << " at " << k;
      Result<ImageRGBA8> next = renderer.render(o);
      ASSERT_TRUE(next.ok()) << blurStyleName(style) << " at " << k << ": " << next.status().reason();
      EXPECT_EQ(std::memcmp(next.value().pixels.data(), clean.pixels.data(), clean.pixels.size()), 0)
          << blurStyleName(style) << ": the render after a failure at allocation " << k << " differs";
    }
    std::printf("%s: %llu allocations in a strip render, %d failures answered\n", blurStyleName(style),
                static_cast<unsigned long long>(allocations), failed);
    EXPECT_GT(failed, background == BackgroundMode::kTransparent ? 1 : 5) << blurStyleName(style);
  }
}
