// Matte refinement on synthetic composites with known alpha, including hair-thin strands.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "defocus/matte.h"
#include "defocus/matte_metrics.h"
#include "defocus/resample.h"

using namespace defocus;

namespace {

struct Scene {
  ImageRGBA8 photo;
  ImagePlanar truth;  // alpha
};

// A round "head" with thin curved strands around it, over a textured background; the
// foreground and background colours differ, as they do in real portraits.
Scene hairyScene(int w, int h) {
  Scene s{ImageRGBA8::create(w, h).take(), ImagePlanar::create(w, h, 1).take()};
  const double cx = w * 0.5, cy = h * 0.55, radius = h * 0.28;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const double dx = x - cx, dy = y - cy, d = std::hypot(dx, dy), angle = std::atan2(dy, dx);
      double alpha = std::clamp(radius - d + 0.5, 0.0, 1.0);  // anti-aliased body
      // 40 strands leaving the body, each about 1.2 px wide, waving.
      const double along = d - radius;
      if (along > 0 && along < radius * 0.6) {
        const double strand = std::fmod((angle + 3.2) * 40 / 6.2832 + 0.15 * std::sin(along / 9), 1.0);
        const double across = std::fabs(strand - 0.5) * 6.2832 * d / 40;  // px from the strand centre
        alpha = std::max(alpha, std::clamp(0.6 - across + 0.5, 0.0, 1.0) * (1 - along / (radius * 0.6)));
      }
      s.truth.plane(0)[static_cast<size_t>(y) * w + x] = static_cast<float>(alpha);
      const double texture = 0.5 + 0.25 * std::sin(x * 0.21) * std::cos(y * 0.17);
      const double fg[3] = {0.85, 0.55, 0.3}, bg[3] = {0.2 * texture, 0.45 * texture + 0.1, 0.7 * texture + 0.2};
      uint8_t* p = s.photo.row(y) + 4 * x;
      for (int c = 0; c < 3; ++c) p[c] = static_cast<uint8_t>(std::lround(255 * (alpha * fg[c] + (1 - alpha) * bg[c])));
      p[3] = 255;
    }
  }
  return s;
}

// What a segmentation model gives: the truth at low resolution, softened by a [1 2 1] / 4
// blur along rows and columns.
ImagePlanar modelLike(const ImagePlanar& truth, int w, int h) {
  ImagePlanar low = resize(truth, w, h).take();
  ImagePlanar soft = ImagePlanar::create(w, h, 1).take();
  auto at = [&](const ImagePlanar& p, int x, int y) {
    return p.plane(0)[std::clamp(y, 0, h - 1) * w + std::clamp(x, 0, w - 1)];
  };
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      soft.plane(0)[y * w + x] = 0.25f * at(low, x - 1, y) + 0.5f * at(low, x, y) + 0.25f * at(low, x + 1, y);
    }
  }
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      low.plane(0)[y * w + x] = 0.25f * at(soft, x, y - 1) + 0.5f * at(soft, x, y) + 0.25f * at(soft, x, y + 1);
    }
  }
  return low;
}

}  // namespace

TEST(Matte, GuidedRefinementBeatsBilinearOnHairEdges) {
  const Scene scene = hairyScene(640, 480);
  const ImagePlanar probability = modelLike(scene.truth, 80, 60);
  auto raw = upsampleMatte(probability, 640, 480);
  auto refined = refineMatte(scene.photo, probability);
  ASSERT_TRUE(raw.ok() && refined.ok()) << refined.status().reason();
  const MatteScores a = scoreMatte(raw.value(), scene.truth).take();
  const MatteScores b = scoreMatte(refined.value(), scene.truth).take();
  std::printf("bilinear: IoU %.4f  boundary F %.4f  MAE %.4f\n", a.iou, a.boundaryF, a.meanAbsError);
  std::printf("guided:   IoU %.4f  boundary F %.4f  MAE %.4f\n", b.iou, b.boundaryF, b.meanAbsError);
  EXPECT_GT(b.iou, a.iou);
  EXPECT_GT(b.boundaryF, a.boundaryF + 0.1);
  EXPECT_LT(b.meanAbsError, a.meanAbsError);
}

TEST(Matte, ScoresOfIdenticalAndDisjointMattes) {
  const Scene scene = hairyScene(120, 90);
  const MatteScores same = scoreMatte(scene.truth, scene.truth).take();
  EXPECT_DOUBLE_EQ(same.iou, 1.0);
  EXPECT_DOUBLE_EQ(same.boundaryF, 1.0);
  EXPECT_DOUBLE_EQ(same.meanAbsError, 0.0);
  ImagePlanar inverse = ImagePlanar::create(120, 90, 1).take();
  for (size_t i = 0; i < inverse.samples.size(); ++i) inverse.samples[i] = 1 - scene.truth.samples[i];
  EXPECT_LT(scoreMatte(inverse, scene.truth).take().iou, 0.01);
}

TEST(Matte, OddShapesAndBadArguments) {
  // One-pixel strip and tiny probability maps work.
  auto strip = ImageRGBA8::create(300, 1).take();
  std::fill(strip.pixels.data(), strip.pixels.data() + strip.pixels.size(), 200);
  auto p = ImagePlanar::create(3, 1, 1).take();
  p.plane(0)[0] = 0, p.plane(0)[1] = 1, p.plane(0)[2] = 0.5f;
  auto m = refineMatte(strip, p);
  ASSERT_TRUE(m.ok()) << m.status().reason();
  EXPECT_EQ(m.value().width, 300);
  for (float v : {m.value().plane(0)[0], m.value().plane(0)[150], m.value().plane(0)[299]}) {
    EXPECT_TRUE(v >= 0 && v <= 1);
  }
  ImagePlanar empty;
  EXPECT_EQ(refineMatte(strip, empty).status().code(), ErrorCode::kInvalidArgument);
  MatteOptions bad;
  bad.epsilon = 0;
  EXPECT_NE(refineMatte(strip, p, bad).status().reason().find("epsilon"), std::string::npos);
  EXPECT_EQ(scoreMatte(p, m.value()).status().code(), ErrorCode::kInvalidArgument);
}

namespace {

MatteOptions guidedOnly() {
  MatteOptions o;
  o.band = false;
  return o;
}

MatteOptions withBand() {
  MatteOptions o;
  o.band = true;
  return o;
}

// Mean |alpha - truth| over the pixels where the truth is fractional or within 3 px of an
// outline (the band a matting stage is for), and the share of the truly fractional pixels
// (truth 0.15..0.85) that also come out fractional and within 0.25 of the truth.
struct EdgeError {
  double meanAbs = 0;
  double fractionalHit = 0;
};
EdgeError edgeError(const ImagePlanar& alpha, const ImagePlanar& truth) {
  const int w = truth.width, h = truth.height;
  const float* t = truth.plane(0);
  const float* a = alpha.plane(0);
  double sum = 0, hits = 0;
  size_t n = 0, fractional = 0;
  for (int y = 3; y < h - 3; ++y) {
    for (int x = 3; x < w - 3; ++x) {
      const size_t i = static_cast<size_t>(y) * w + x;
      float lo = 1, hi = 0;
      for (int d = -3; d <= 3; ++d) {
        for (const size_t j : {i + d, i + static_cast<size_t>(d * w)}) lo = std::min(lo, t[j]), hi = std::max(hi, t[j]);
      }
      if (hi - lo < 0.02f) continue;
      sum += std::fabs(a[i] - t[i]);
      ++n;
      if (t[i] > 0.15f && t[i] < 0.85f) {
        ++fractional;
        hits += a[i] > 0.05f && a[i] < 0.95f && std::fabs(a[i] - t[i]) < 0.25f;
      }
    }
  }
  return {n ? sum / n : 0, fractional ? hits / fractional : 0};
}

}  // namespace

TEST(Matte, BandMattingGivesHairFractionalAlpha) {
  const Scene scene = hairyScene(640, 480);
  const ImagePlanar probability = modelLike(scene.truth, 80, 60);
  auto guided = refineMatte(scene.photo, probability, guidedOnly());
  auto band = refineMatte(scene.photo, probability, withBand());
  ASSERT_TRUE(guided.ok() && band.ok()) << band.status().reason();
  const EdgeError g = edgeError(guided.value(), scene.truth), b = edgeError(band.value(), scene.truth);
  std::printf("edge band MAE: guided %.4f, band matting %.4f; fractional strands found: %.2f vs %.2f\n", g.meanAbs,
              b.meanAbs, g.fractionalHit, b.fractionalHit);
  EXPECT_LT(b.meanAbs, 0.7 * g.meanAbs);
  EXPECT_GT(b.fractionalHit, g.fractionalHit + 0.1);
}

TEST(Matte, BandMattingKeepsHardEdgesHard) {
  // A straight, pixel-sharp edge between two flat colours, seen by the model as a soft ramp.
  const int w = 400, h = 300;
  Scene s{ImageRGBA8::create(w, h).take(), ImagePlanar::create(w, h, 1).take()};
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const bool in = x < 190;
      s.truth.plane(0)[static_cast<size_t>(y) * w + x] = in;
      uint8_t* p = s.photo.row(y) + 4 * x;
      p[0] = in ? 210 : 40, p[1] = in ? 160 : 90, p[2] = in ? 120 : 150, p[3] = 255;
    }
  }
  const ImagePlanar probability = modelLike(s.truth, 50, 38);
  auto guided = refineMatte(s.photo, probability, guidedOnly());
  auto band = refineMatte(s.photo, probability, withBand());
  ASSERT_TRUE(guided.ok() && band.ok());
  // Width of the 0.1..0.9 transition along the middle row.
  auto width = [&](const ImagePlanar& a) {
    int n = 0;
    for (int x = 0; x < w; ++x) n += a.plane(0)[150 * w + x] > 0.1f && a.plane(0)[150 * w + x] < 0.9f;
    return n;
  };
  std::printf("hard edge transition: guided %d px, band matting %d px\n", width(guided.value()), width(band.value()));
  EXPECT_LE(width(band.value()), 1);
  EXPECT_LE(width(band.value()), width(guided.value()));
  EXPECT_LT(edgeError(band.value(), s.truth).meanAbs, 0.02);
}

// The outline snap (matte_snap.h): a model outline that sits a few pixels off the photo's
// colour step (a low-resolution map, shifted as U2-Net's often are) is moved onto it.
TEST(Matte, EdgeSnapMovesAnOffsetOutlineOntoTheColourStep) {
  const int w = 640, h = 480;
  Scene s{ImageRGBA8::create(w, h).take(), ImagePlanar::create(w, h, 1).take()};
  // A blob with a wavy outline (the truth), flat subject colour over a noisy, striped
  // background: texture on the scale of the band, where colour matting holds back.
  uint32_t seed = 7;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const double dx = x - 320, dy = y - 250, angle = std::atan2(dy, dx);
      const bool in = std::hypot(dx, dy) < 150 + 12 * std::sin(5 * angle) + 6 * std::cos(11 * angle);
      s.truth.plane(0)[static_cast<size_t>(y) * w + x] = in;
      seed = seed * 1664525u + 1013904223u;
      const int noise = static_cast<int>(seed >> 28) - 8 + static_cast<int>(std::lround(30 * std::sin(x * 0.3 + y * 0.1)));
      uint8_t* p = s.photo.row(y) + 4 * x;
      p[0] = in ? 200 : 70 + noise, p[1] = in ? 150 : 110 + noise, p[2] = in ? 120 : 90 + noise, p[3] = 255;
    }
  }
  // The model's map: the truth at 80x60, blurred, and shifted by 4 px of the photo.
  ImagePlanar shifted = ImagePlanar::create(w, h, 1).take();
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) shifted.plane(0)[static_cast<size_t>(y) * w + x] = s.truth.plane(0)[static_cast<size_t>(y) * w + std::max(0, x - 4)];
  }
  const ImagePlanar probability = modelLike(shifted, 80, 60);
  // The subject model's settings (models.json): windows of one model pixel.
  MatteOptions plain = guidedOnly(), edge = withBand();
  plain.radius = edge.radius = 1;
  auto guided = refineMatte(s.photo, probability, plain);
  auto snapped = refineMatte(s.photo, probability, edge);
  ASSERT_TRUE(guided.ok() && snapped.ok());
  const MatteScores g = scoreMatte(guided.value(), s.truth, 1).take();
  const MatteScores b = scoreMatte(snapped.value(), s.truth, 1).take();
  std::printf("offset outline, boundary F (1 px): guided %.4f, edge stage %.4f; IoU %.4f -> %.4f\n", g.boundaryF,
              b.boundaryF, g.iou, b.iou);
  EXPECT_GT(b.boundaryF, g.boundaryF + 0.06);  // band matting alone: +0.04
  EXPECT_GE(b.iou, g.iou);
}

// The refinement's rows and working-grid planes shared among threads (MatteOptions::threads)
// give the one-thread matte exactly, with and without the edge stage; odd sizes leave the
// threads unequal runs.
TEST(Matte, ThreadsRefineTheMatteOfOneThread) {
  const Scene scene = hairyScene(1603, 1201);  // a band of over 2 x 4096 pixels: the snap's sweeps are shared too
  const ImagePlanar probability = modelLike(scene.truth, 80, 60);
  for (MatteOptions o : {guidedOnly(), withBand()}) {
    o.threads = 1;
    auto one = refineMatte(scene.photo, probability, o);
    ASSERT_TRUE(one.ok()) << one.status().reason();
    for (int threads : {2, 3}) {
      o.threads = threads;
      auto shared = refineMatte(scene.photo, probability, o);
      ASSERT_TRUE(shared.ok()) << shared.status().reason();
      size_t differing = 0;
      for (size_t i = 0; i < one.value().samples.size(); ++i) differing += one.value().samples[i] != shared.value().samples[i];
      EXPECT_EQ(differing, 0u) << threads << " threads, band " << o.band;
    }
  }
}
