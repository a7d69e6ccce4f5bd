#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "blur_reference.h"
#include "radial_reference.h"
#include "defocus/blur.h"
#include "defocus/motion_blur.h"
#include "defocus/radial_blur.h"

using namespace defocus;

namespace {

constexpr double kPi = 3.14159265358979323846;

ImagePlanar pointAt(int w, int h, int x, int y) {
  auto image = ImagePlanar::create(w, h, 1).take();
  std::fill(image.samples.data(), image.samples.data() + image.samples.size(), 0.0f);
  image.plane(0)[static_cast<size_t>(y) * w + x] = 1.0f;
  return image;
}

// Orientation (degrees, counter-clockwise, 0..180) and length sqrt(12 var) of the mass
// along its principal axis: a uniform segment of length L has variance L^2 / 12.
struct Streak {
  double angle, length, cx, cy;
};

Streak measureStreak(const ImagePlanar& image) {
  const float* p = image.plane(0);
  double m = 0, sx = 0, sy = 0;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const double v = std::max(0.0f, p[y * image.width + x]);
      m += v, sx += v * x, sy += v * y;
    }
  }
  const double cx = sx / m, cy = sy / m;
  double xx = 0, yy = 0, xy = 0;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const double v = std::max(0.0f, p[y * image.width + x]);
      xx += v * (x - cx) * (x - cx), yy += v * (y - cy) * (y - cy), xy += v * (x - cx) * (y - cy);
    }
  }
  xx /= m, yy /= m, xy /= m;
  const double major = 0.5 * (xx + yy) + std::sqrt(0.25 * (xx - yy) * (xx - yy) + xy * xy);
  double angle = -0.5 * std::atan2(2 * xy, xx - yy) * 180 / kPi;  // y points down
  if (angle < 0) angle += 180;
  return {angle, std::sqrt(12 * major), cx, cy};
}

}  // namespace

TEST(MotionBlur, PointBecomesALineOfTheRightLengthAndAngle) {
  for (float angle : {0.0f, 30.0f, 45.0f, 60.0f, 90.0f, 135.0f, 200.0f}) {
    for (float length : {11.0f, 41.0f, 101.0f}) {
      auto blurred = motionBlur(pointAt(241, 241, 120, 120), length, angle);
      ASSERT_TRUE(blurred.ok()) << blurred.status().reason();
      const Streak s = measureStreak(blurred.value());
      const double expectedAngle = std::fmod(angle, 180.0f);
      const double angleError = std::min(std::fabs(s.angle - expectedAngle), 180 - std::fabs(s.angle - expectedAngle));
      EXPECT_LT(angleError, 1.0) << "angle " << angle << " length " << length << " measured " << s.angle;
      EXPECT_NEAR(s.length, length, 1.0) << "angle " << angle << " length " << length;
      EXPECT_NEAR(s.cx, 120, 0.5);
      EXPECT_NEAR(s.cy, 120, 0.5);
    }
  }
}

TEST(MotionBlur, RowsMadeAreTheWholeBlursRows) {
  // A render's strip keeps its own rows: only those are made (shallow angles transpose only
  // them back), and they are the whole blur's.
  const int w = 180, h = 140;
  const ImagePlanar image = reference::noiseWithEdges(w, h, 2, 5);
  std::vector<float> map(static_cast<size_t>(w) * h);
  for (size_t i = 0; i < map.size(); ++i) map[i] = 2.0f + 10.0f * static_cast<float>(i % w) / w;
  const RowRange rows{50, 90};
  for (const float angle : {0.0f, 20.0f, 90.0f, 135.0f}) {
    const ImagePlanar whole = motionBlur(image, 25.0f, angle).take();
    const ImagePlanar wholeMapped = motionBlurVariable(image, map.data(), 2.0f, angle).take();
    Result<ImagePlanar> part = motionBlur(image, 25.0f, angle, rows);
    Result<ImagePlanar> partMapped = motionBlurVariable(image, map.data(), 2.0f, angle, rows);
    ASSERT_TRUE(part.ok() && partMapped.ok());
    ASSERT_EQ(part.value().height, rows.to - rows.from);
    ASSERT_EQ(partMapped.value().height, rows.to - rows.from);
    const ImagePlanar wholeThere = cropPlanes(whole, 0, rows.from, w, rows.to - rows.from).take();
    const ImagePlanar mappedThere = cropPlanes(wholeMapped, 0, rows.from, w, rows.to - rows.from).take();
    EXPECT_LT(reference::maxAbsDifference(part.value(), wholeThere), 1e-5) << angle;
    EXPECT_LT(reference::maxAbsDifference(partMapped.value(), mappedThere), 1e-5) << angle;
  }
  EXPECT_FALSE(motionBlur(image, 25.0f, 0.0f, RowRange{100, 150}).ok());  // past the last row
}

TEST(MotionBlur, ConservesEnergy) {
  const ImagePlanar image = reference::noiseWithEdges(300, 200, 3, 4);
  for (float angle : {0.0f, 20.0f, 70.0f}) {
    auto blurred = motionBlur(image, 60.0f, angle);
    ASSERT_TRUE(blurred.ok());
    EXPECT_NEAR(reference::totalEnergy(blurred.value()) / reference::totalEnergy(image), 1.0, 0.01) << angle;
  }
}

TEST(RadialBlur, CentrePixelIsUnchangedAndPointsStreakTowardsIt) {
  const ImagePlanar noise = reference::noiseWithEdges(301, 201, 1, 8);
  for (auto [fx, fy] : {std::pair{0.5f, 0.5f}, {0.3f, 0.7f}, {0.0f, 1.0f}}) {
    auto blurred = radialBlur(noise, 80.0f, fx, fy);
    ASSERT_TRUE(blurred.ok()) << blurred.status().reason();
    const int cx = static_cast<int>(std::round(fx * 300)), cy = static_cast<int>(std::round(fy * 200));
    EXPECT_EQ(blurred.value().plane(0)[cy * 301 + cx], noise.plane(0)[cy * 301 + cx]) << fx << "," << fy;
  }
  // A point 100 px right and 60 px below the centre: the streak points at the centre.
  // Output pixels at distance e average [e (1 - k), e (1 + k)], k = length / (2 reach), so
  // the point at distance d reaches the pixels from d / (1 + k) to d / (1 - k).
  const int w = 401, h = 301;
  auto blurred = radialBlur(pointAt(w, h, 300, 210), 120.0f, 0.5f, 0.5f);
  ASSERT_TRUE(blurred.ok());
  const Streak s = measureStreak(blurred.value());
  const double expectedAngle = 180 - std::atan2(60, 100) * 180 / kPi;  // down-right, y down
  const double reach = std::hypot(200, 150), distance = std::hypot(100, 60);
  EXPECT_NEAR(s.angle, expectedAngle, 2.0);
  const double k = 0.5 * 120 / reach;
  EXPECT_NEAR(s.length, distance / (1 - k) - distance / (1 + k), 1.0);
}

TEST(RadialBlur, ConservesEnergy) {
  const ImagePlanar image = reference::noiseWithEdges(300, 200, 3, 6);
  auto blurred = radialBlur(image, 60.0f, 0.4f, 0.6f);
  ASSERT_TRUE(blurred.ok());
  EXPECT_NEAR(reference::totalEnergy(blurred.value()) / reference::totalEnergy(image), 1.0, 0.01);
}

// The fast polar path against direct integration along every ray (radial_reference.h), on
// hard edges with noise (the worst case for resampling) and on a smooth image.
TEST(RadialBlur, MatchesDirectIntegrationAlongTheRays) {
  const ImagePlanar edges = reference::noiseWithEdges(241, 161, 1, 9);
  ImagePlanar smooth = ImagePlanar::create(241, 161, 1).take();
  for (int y = 0; y < 161; ++y) {
    for (int x = 0; x < 241; ++x) {
      smooth.plane(0)[y * 241 + x] = 0.5f + 0.4f * std::sin(x * 0.15f) * std::cos(y * 0.11f + 0.02f * x);
    }
  }
  struct Case { const ImagePlanar* image; float length, fx, fy; double minPsnr; };
  // Bounds 1-3 dB under what the cone grids measured (32.3, 41.4, 50.0; 68.9, 72.5, 79.1 dB).
  for (const Case& c : {Case{&edges, 6, 0.5f, 0.5f, 31}, Case{&edges, 40, 0.3f, 0.6f, 40},
                        Case{&edges, 140, 1.0f, 0.0f, 48}, Case{&smooth, 6, 0.5f, 0.5f, 66},
                        Case{&smooth, 40, 0.7f, 0.2f, 70}, Case{&smooth, 140, 0.0f, 1.0f, 76}}) {
    auto blurred = radialBlur(*c.image, c.length, c.fx, c.fy);
    ASSERT_TRUE(blurred.ok()) << blurred.status().reason();
    const auto truth = reference::radialBlurPlane(c.image->plane(0), 241, 161, c.length, nullptr, c.fx, c.fy);
    const double psnr = reference::psnr(blurred.value().plane(0), truth);
    std::printf("radial %s length %3.0f centre (%.1f, %.1f): PSNR %.1f dB vs direct integration\n",
                c.image == &edges ? "edges " : "smooth", c.length, c.fx, c.fy, psnr);
    EXPECT_GE(psnr, c.minPsnr) << "length " << c.length << " centre " << c.fx << "," << c.fy;
  }
}

// A length per pixel: a ramp across the image, and a sharp disc (length 0) in a blurred
// surround, each against direct integration with every pixel's own length.
TEST(RadialBlur, VariableLengthsMatchDirectIntegration) {
  const int w = 241, h = 161;
  const ImagePlanar edges = reference::noiseWithEdges(w, h, 1, 11);
  std::vector<float> ramp(w * h), disc(w * h);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      ramp[y * w + x] = 2 + 120.0f * x / (w - 1);
      disc[y * w + x] = std::hypot(x - 150, y - 70) < 40 ? 0.0f : 80.0f;
    }
  }
  struct Case { const std::vector<float>* map; float fx, fy; double minPsnr; };
  // Measured 41.9, 45.6, 47.2 dB.
  for (const Case& c : {Case{&ramp, 0.5f, 0.5f, 40}, Case{&ramp, 0.1f, 0.9f, 44}, Case{&disc, 0.4f, 0.4f, 45}}) {
    auto blurred = radialBlurVariable(edges, c.map->data(), 1.0f, c.fx, c.fy);
    ASSERT_TRUE(blurred.ok()) << blurred.status().reason();
    const auto truth = reference::radialBlurPlane(edges.plane(0), w, h, 0, c.map->data(), c.fx, c.fy);
    const double psnr = reference::psnr(blurred.value().plane(0), truth);
    std::printf("radial %s map centre (%.1f, %.1f): PSNR %.1f dB vs direct integration\n",
                c.map == &ramp ? "ramp" : "disc", c.fx, c.fy, psnr);
    EXPECT_GE(psnr, c.minPsnr) << (c.map == &ramp ? "ramp" : "disc");
  }
  // Pixels of length 0 keep their value exactly, inside the disc too.
  auto blurred = radialBlurVariable(edges, disc.data(), 1.0f, 0.4f, 0.4f);
  ASSERT_TRUE(blurred.ok());
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      if (disc[y * w + x] == 0) ASSERT_EQ(blurred.value().plane(0)[y * w + x], edges.plane(0)[y * w + x]) << x << "," << y;
    }
  }
}

TEST(RadialBlur, ConstantMapEqualsFixedLength) {
  const ImagePlanar image = reference::noiseWithEdges(200, 150, 3, 12);
  const std::vector<float> map(200 * 150, 0.5f);
  auto fixed = radialBlur(image, 60.0f, 0.3f, 0.6f);
  auto variable = radialBlurVariable(image, map.data(), 120.0f, 0.3f, 0.6f);
  ASSERT_TRUE(fixed.ok() && variable.ok());
  EXPECT_LT(reference::maxAbsDifference(fixed.value(), variable.value()), 1e-5);
}

// The renderer's entry point: a radius map (streak 2 x radius at the farthest corner).
TEST(RadialBlur, BlurLinearVariableTakesEachPixelsRadius) {
  const int w = 241, h = 161;
  const ImagePlanar image = reference::noiseWithEdges(w, h, 3, 13);
  std::vector<float> radius(w * h), length(w * h);
  for (int i = 0; i < w * h; ++i) radius[i] = (i % w) < 100 ? 3.0f : 30.0f, length[i] = 2 * radius[i];
  BlurOptions o;
  o.style = BlurStyle::kRadial;
  o.centerX = 0.6f, o.centerY = 0.3f;
  auto blurred = blurLinearVariable(image, radius.data(), o);
  ASSERT_TRUE(blurred.ok()) << blurred.status().reason();
  for (int c = 0; c < 3; ++c) {
    const auto truth = reference::radialBlurPlane(image.plane(c), w, h, 0, length.data(), 0.6, 0.3);
    const double psnr = reference::psnr(blurred.value().plane(c), truth);
    std::printf("radial via blurLinearVariable, channel %d: PSNR %.1f dB vs direct integration\n", c, psnr);
    EXPECT_GE(psnr, 39.0) << "channel " << c;  // measured 40.5-40.7 dB
  }
}

// Every output is an average of input samples: it stays within the input's range, for
// degenerate sizes, centres on edges and corners, and lengths up to the maximum.
TEST(RadialBlur, TinyImagesAndExtremeLengthsStayInRange) {
  for (auto [w, h] : {std::pair{1, 1}, {1, 7}, {7, 1}, {2, 2}, {3, 50}, {61, 40}}) {
    const ImagePlanar image = reference::noiseWithEdges(w, h, 4, 5);
    for (float fx : {0.0f, 0.5f, 1.0f}) {
      for (float length : {0.0f, 0.5f, 3.0f, 60.0f, 8000.0f}) {
        auto blurred = radialBlur(image, length, fx, 1 - fx);
        ASSERT_TRUE(blurred.ok()) << blurred.status().reason();
        for (int c = 0; c < 4; ++c) {
          const float* in = image.plane(c);
          const float lo = *std::min_element(in, in + image.planeSize()), hi = *std::max_element(in, in + image.planeSize());
          for (size_t i = 0; i < image.planeSize(); ++i) {
            const float v = blurred.value().plane(c)[i];
            ASSERT_TRUE(v >= lo - 1e-4f && v <= hi + 1e-4f) << w << "x" << h << " length " << length << " value " << v;
          }
        }
      }
    }
  }
}

TEST(DirectionalBlur, BadParametersAreNamed) {
  const ImagePlanar image = reference::noiseWithEdges(10, 10, 1, 1);
  EXPECT_NE(motionBlur(image, NAN, 0).status().reason().find("length"), std::string::npos);
  EXPECT_NE(motionBlur(image, 5, INFINITY).status().reason().find("angle"), std::string::npos);
  EXPECT_NE(radialBlur(image, -2, 0.5f, 0.5f).status().reason().find("length"), std::string::npos);
  EXPECT_NE(radialBlur(image, 5, 1.5f, 0.5f).status().reason().find("centerX"), std::string::npos);
  EXPECT_NE(radialBlur(image, 5, 0.5f, NAN).status().reason().find("centerY"), std::string::npos);
  std::vector<float> map(100, 1.0f);
  EXPECT_NE(radialBlurVariable(image, map.data(), -1, 0.5f, 0.5f).status().reason().find("length scale"), std::string::npos);
  EXPECT_NE(radialBlurVariable(image, map.data(), 9000, 0.5f, 0.5f).status().reason().find("length scale"), std::string::npos);
  for (float bad : {-1.0f, NAN, 1e30f}) {
    map[37] = bad;
    EXPECT_NE(radialBlurVariable(image, map.data(), 2, 0.5f, 0.5f).status().reason().find("length map"), std::string::npos)
        << bad;
  }
}

TEST(RadialBlur, ACropGivesTheWholeImagesStreaks) {
  // What a render does with an out-of-focus subject: the layer is zero but for a patch, so
  // only the patch, its streaks' reach and the zoom centre are blurred.
  const int w = 320, h = 200, x0 = 90, y0 = 40, cw = 170, ch = 130;
  auto image = ImagePlanar::create(w, h, 1).take();
  std::fill(image.samples.data(), image.samples.data() + image.samples.size(), 0.0f);
  for (int y = 70; y < 140; ++y) {
    for (int x = 120; x < 230; ++x) image.plane(0)[static_cast<size_t>(y) * w + x] = 0.5f + 0.5f * std::sin(0.3 * x) * std::cos(0.2 * y);
  }
  const ImagePlanar crop = cropPlanes(image, x0, y0, cw, ch).take();
  const float length = 30, cx = 0.55f, cy = 0.6f;
  const ImagePlanar whole = radialBlur(image, length, cx, cy).take();
  const ImagePlanar part = radialBlurOfCrop(crop, x0, y0, w, h, length, cx, cy).take();
  const ImagePlanar unscaled = radialBlur(crop, length, float(radialCentrePixel(cx, w) - x0) / (cw - 1),
                                          float(radialCentrePixel(cy, h) - y0) / (ch - 1)).take();
  const ImagePlanar wholeThere = cropPlanes(whole, x0, y0, cw, ch).take();
  const std::vector<double> truth(wholeThere.plane(0), wholeThere.plane(0) + wholeThere.planeSize());
  const double psnr = reference::psnr(part.plane(0), truth), naive = reference::psnr(unscaled.plane(0), truth);
  std::printf("radial blur of a crop vs the whole image: %.1f dB (crop blurred as if it were the image: %.1f dB)\n", psnr, naive);
  EXPECT_GE(psnr, 50.0);
  EXPECT_LT(naive, psnr - 10.0);
}

TEST(RadialBlur, AStripFarFromTheCentreNeedsOnlyTheRowsItsStreaksReach) {
  // A render's strip: full-width rows below the zoom centre, holding only the rows its
  // streaks reach (a pixel's streak reaches its distance from the centre times length / 2
  // over the farthest corner's distance), and making only its own rows, not that halo.
  const int w = 300, h = 400;
  auto image = ImagePlanar::create(w, h, 2).take();
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      image.plane(0)[static_cast<size_t>(y) * w + x] = 0.5f + 0.5f * std::sin(0.3 * x) * std::cos(0.2 * y);
      image.plane(1)[static_cast<size_t>(y) * w + x] = ((x / 7 + y / 5) % 2) ? 0.9f : 0.1f;
    }
  }
  const float length = 60, cx = 0.4f, cy = 0.2f;
  const ImagePlanar whole = radialBlur(image, length, cx, cy).take();
  for (const int y0 : {150, 340}) {  // a strip below the centre, another reaching the bottom edge
    const int y1 = std::min(h, y0 + 60), halo = 40;  // reach: at most length / 2 = 30 rows
    const int a = y0 - halo, b = std::min(h, y1 + halo);
    const ImagePlanar crop = cropPlanes(image, 0, a, w, b - a).take();
    Result<ImagePlanar> part = radialBlurOfCrop(crop, 0, a, w, h, length, cx, cy, RowRange{y0 - a, y1 - a});
    ASSERT_TRUE(part.ok()) << part.status().reason();
    ASSERT_EQ(part.value().height, y1 - y0);
    const ImagePlanar wholeThere = cropPlanes(whole, 0, y0, w, y1 - y0).take();
    for (int c = 0; c < 2; ++c) {
      const std::vector<double> truth(wholeThere.plane(c), wholeThere.plane(c) + wholeThere.planeSize());
      const double psnr = reference::psnr(part.value().plane(c), truth);
      std::printf("radial blur of rows %d..%d (centre row %d) vs the whole image, plane %d: %.1f dB\n", y0, y1,
                  radialCentrePixel(cy, h), c, psnr);
      EXPECT_GE(psnr, 60.0);
    }
  }
  // Above the centre too, with a length map (the render's variable blur).
  std::vector<float> map(static_cast<size_t>(w) * h);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) map[static_cast<size_t>(y) * w + x] = 0.5f + 0.5f * x / w;
  }
  const ImagePlanar wholeMapped = radialBlurVariable(image, map.data(), length, cx, 0.9f).take();
  const int a = 100, y0 = 150, y1 = 200, b = 250;
  const ImagePlanar crop = cropPlanes(image, 0, a, w, b - a).take();
  Result<ImagePlanar> part = radialBlurVariableOfCrop(crop, 0, a, w, h, map.data() + static_cast<size_t>(a) * w, length,
                                                      cx, 0.9f, RowRange{y0 - a, y1 - a});
  ASSERT_TRUE(part.ok()) << part.status().reason();
  const ImagePlanar wholeThere = cropPlanes(wholeMapped, 0, y0, w, y1 - y0).take();
  const std::vector<double> truth(wholeThere.plane(1), wholeThere.plane(1) + wholeThere.planeSize());
  const double psnr = reference::psnr(part.value().plane(1), truth);
  std::printf("radial blur with a length map, rows %d..%d above the centre: %.1f dB\n", y0, y1, psnr);
  EXPECT_GE(psnr, 60.0);
}
