// Reading the photo's own focus (focus_reading.h) on scenes built with a known depth and a
// real defocus: textured layers, each blurred by a lens disc of the radius its depth gives,
// with the subject sharp at the focal plane. The depth layout disagrees with the geometric
// guess on purpose (sharp background far from the subject, blurred background next to it),
// so only the photo's focus can rank the pixels right.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <vector>

#include "defocus/blur.h"
#include "defocus/render.h"

using namespace defocus;

namespace {

constexpr int W = 480, H = 320;
constexpr float kDiscPerDepth = 4.0f;  // disc radius (px) at depth 1 from the focal plane

// Column bands: the subject's band and the far left are in focus, the others blurred.
float bandDepth(int x) {
  if (x < 80) return 0.0f;
  if (x < 160) return 1.0f;
  if (x < 320) return 0.0f;  // the subject's band (subject at 200..280)
  if (x < 400) return 0.5f;
  return 1.0f;
}

bool isSubject(int x, int y) { return x >= 200 && x < 280 && y >= 90; }

struct Scene {
  ImagePlanar linear, matte, truth;  // truth: the disc radius each pixel was blurred with
};

// Random grey blocks (6 px) with colour: plenty of step edges at every depth.
ImagePlanar texture(uint32_t seed) {
  ImagePlanar t = ImagePlanar::create(W, H, 3).take();
  for (int y = 0; y < H; ++y) {
    for (int x = 0; x < W; ++x) {
      uint32_t v = seed ^ (static_cast<uint32_t>(x / 6) * 73856093u) ^ (static_cast<uint32_t>(y / 6) * 19349663u);
      v ^= v >> 13, v *= 0x5bd1e995u, v ^= v >> 15;
      const float g = 0.03f + 0.6f * static_cast<float>(v & 1023) / 1023.0f;
      const size_t i = static_cast<size_t>(y) * W + x;
      t.plane(0)[i] = g, t.plane(1)[i] = 0.8f * g, t.plane(2)[i] = 0.6f * g + 0.02f;
    }
  }
  return t;
}

Scene makeScene(bool withDepthOfField) {
  const ImagePlanar background = texture(7), subject = texture(99);
  Scene s{ImagePlanar::create(W, H, 3).take(), ImagePlanar::create(W, H, 1).take(), ImagePlanar::create(W, H, 1).take()};
  BlurOptions lens;
  lens.style = BlurStyle::kLens;
  for (float depth : {0.0f, 0.5f, 1.0f}) {
    const float radius = withDepthOfField ? kDiscPerDepth * depth : 0.0f;
    ImagePlanar layer = radius > 0 ? blurLinearAtRadius(background, radius, lens).take() : copyPlanes(background).take();
    for (int y = 0; y < H; ++y) {
      for (int x = 0; x < W; ++x) {
        if (bandDepth(x) != depth) continue;
        const size_t i = static_cast<size_t>(y) * W + x;
        for (int c = 0; c < 3; ++c) s.linear.plane(c)[i] = layer.plane(c)[i];
        s.truth.plane(0)[i] = radius;
      }
    }
  }
  for (int y = 0; y < H; ++y) {
    for (int x = 0; x < W; ++x) {
      const size_t i = static_cast<size_t>(y) * W + x;
      s.matte.plane(0)[i] = isSubject(x, y) ? 1.0f : 0.0f;
      if (isSubject(x, y)) {
        for (int c = 0; c < 3; ++c) s.linear.plane(c)[i] = subject.plane(c)[i];
      }
    }
  }
  return s;
}

std::vector<double> ranks(const std::vector<float>& v) {
  std::vector<size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    for (size_t k = i; k <= j; ++k) r[order[k]] = (i + j) / 2.0;  // ties share their mean rank
    i = j + 1;
  }
  return r;
}

double spearman(const std::vector<float>& a, const std::vector<float>& b) {
  const std::vector<double> ra = ranks(a), rb = ranks(b);
  const double n = static_cast<double>(a.size()), mean = (n - 1) / 2;
  double cov = 0, va = 0, vb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    cov += (ra[i] - mean) * (rb[i] - mean), va += (ra[i] - mean) * (ra[i] - mean), vb += (rb[i] - mean) * (rb[i] - mean);
  }
  return cov / std::sqrt(va * vb);
}

struct Measured {
  double spearman, inFocusShare;
};

// Over the background away from the band borders (the truth steps there; the estimate may not).
Measured measure(const Scene& s, const BlurRadii& r) {
  std::vector<float> truth, estimate;
  double focused = 0, blurred = 0;
  int nFocused = 0, nBlurred = 0;
  for (int y = 0; y < H; ++y) {
    for (int x = 0; x < W; ++x) {
      const bool nearBorder = x % 80 < 8 || x % 80 >= 72 || (x >= 192 && x < 288 && y >= 82);
      if (nearBorder) continue;
      const size_t i = static_cast<size_t>(y) * W + x;
      const float e = r.background.plane(0)[i];
      truth.push_back(s.truth.plane(0)[i]);
      estimate.push_back(e);
      if (s.truth.plane(0)[i] == 0) focused += e, ++nFocused;
      else blurred += e, ++nBlurred;
    }
  }
  return {spearman(truth, estimate), (focused / nFocused) / (blurred / nBlurred)};
}

RenderOptions autoOptions(bool readFocus) {
  RenderOptions o;
  o.blur.strength = 60;
  o.depth.mode = DepthMode::kAuto;
  o.depth.readFocus = readFocus;
  return o;
}

}  // namespace

TEST(FocusReading, RadiiRankLikeTheSceneDepthAndWhatIsInFocusStaysSharp) {
  const Scene s = makeScene(true);
  const Measured read = measure(s, renderRadii(s.matte, autoOptions(true), nullptr, &s.linear).take());
  const Measured geometry = measure(s, renderRadii(s.matte, autoOptions(false), nullptr, &s.linear).take());
  std::printf("Spearman with the true defocus: reading the focus %.2f, geometry alone %.2f; in-focus background radius "
              "/ the blurred background's: %.2f vs %.2f\n", read.spearman, geometry.spearman, read.inFocusShare,
              geometry.inFocusShare);
  EXPECT_GE(read.spearman, 0.5);
  EXPECT_LT(read.inFocusShare, 0.3);
  EXPECT_LT(geometry.spearman, 0.3) << "the scene is built so that geometry alone ranks it wrong";
}

TEST(FocusReading, AnAllInFocusPhotoKeepsTheGeometricDepth) {
  const Scene s = makeScene(false);
  const BlurRadii read = renderRadii(s.matte, autoOptions(true), nullptr, &s.linear).take();
  const BlurRadii geometry = renderRadii(s.matte, autoOptions(false), nullptr, &s.linear).take();
  double worst = 0;
  for (size_t i = 0; i < read.background.planeSize(); ++i) {
    worst = std::max(worst, double(std::fabs(read.background.plane(0)[i] - geometry.background.plane(0)[i])));
  }
  std::printf("all in focus: radii differ from geometry's by <= %.3f px\n", worst);
  EXPECT_LT(worst, 0.01);
}


TEST(FocusReading, TinyPhotosRenderWithGeometryAlone) {
  for (int size : {1, 2, 5, 20}) {
    auto linear = ImagePlanar::create(size, size, 3).take();
    auto matte = ImagePlanar::create(size, size, 1).take();
    for (size_t i = 0; i < linear.samples.size(); ++i) linear.samples[i] = (i % 7) / 7.0f;
    for (size_t i = 0; i < matte.samples.size(); ++i) matte.samples[i] = i % 2 ? 1.0f : 0.0f;
    auto out = renderPortraitLinear(linear, matte, autoOptions(true));
    EXPECT_TRUE(out.ok()) << size << ": " << out.status().reason();
  }
}
