// The background fill the render asks a row at a time (BackgroundFill::rows: half-size rows
// made again on request, only as wide as the subject in the row) against a plain push-pull
// over whole planes, written here from the fill's definition (background_fill.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "defocus/alpha16.h"
#include "defocus/background_fill.h"
#include "fixtures.h"

using namespace defocus;

namespace {

struct Level {
  int width, height;
  std::vector<float> weighted[3], weight;
};

// Push-pull over full planes: colour times trust ((1 - alpha / 0.25)^2, 0 from 0.25 on),
// 2 x 2 means up to 1 x 1 (edge pixels repeated), then each level, from the top down, takes
// the coarser level's colour (bilinear, centres aligned) in the share it does not trust.
std::vector<float> referenceFill(const ImagePlanar& linear, const ImagePlanar& matte) {
  const int w = linear.width, h = linear.height;
  Level base{w, h, {}, {}};
  base.weight.resize(static_cast<size_t>(w) * h);
  for (size_t i = 0; i < base.weight.size(); ++i) {
    const float a = matte.plane(0)[i];
    base.weight[i] = a < 0.25f ? std::pow(std::clamp(1.0f - a / 0.25f, 0.0f, 1.0f), 2.0f) : 0.0f;
  }
  for (int c = 0; c < 3; ++c) {
    base.weighted[c].resize(base.weight.size());
    for (size_t i = 0; i < base.weight.size(); ++i) base.weighted[c][i] = linear.plane(c)[i] * base.weight[i];
  }
  std::vector<Level> levels;
  levels.push_back(std::move(base));
  while (levels.back().width > 1 || levels.back().height > 1) {
    const Level& f = levels.back();
    Level q{(f.width + 1) / 2, (f.height + 1) / 2, {}, {}};
    const auto mean = [&](const std::vector<float>& p, int x, int y) {
      const auto at = [&](int xx, int yy) { return p[static_cast<size_t>(std::min(yy, f.height - 1)) * f.width + std::min(xx, f.width - 1)]; };
      return 0.25f * (at(2 * x, 2 * y) + at(2 * x + 1, 2 * y) + at(2 * x, 2 * y + 1) + at(2 * x + 1, 2 * y + 1));
    };
    for (int y = 0; y < q.height; ++y) {
      for (int x = 0; x < q.width; ++x) {
        q.weight.push_back(mean(f.weight, x, y));
        for (int c = 0; c < 3; ++c) q.weighted[c].push_back(mean(f.weighted[c], x, y));
      }
    }
    levels.push_back(std::move(q));
  }
  Level& top = levels.back();
  for (int c = 0; c < 3; ++c) top.weighted[c][0] = top.weight[0] > 0 ? top.weighted[c][0] / top.weight[0] : 0;
  top.weight[0] = 1;
  for (size_t l = levels.size() - 1; l-- > 0;) {
    Level& f = levels[l];
    const Level& q = levels[l + 1];
    for (int y = 0; y < f.height; ++y) {
      const float v = std::clamp((y + 0.5f) / 2 - 0.5f, 0.0f, q.height - 1.0f);
      const int j0 = static_cast<int>(v), j1 = std::min(j0 + 1, q.height - 1);
      for (int x = 0; x < f.width; ++x) {
        const size_t i = static_cast<size_t>(y) * f.width + x;
        const float u = std::clamp((x + 0.5f) / 2 - 0.5f, 0.0f, q.width - 1.0f);
        const int i0 = static_cast<int>(u), i1 = std::min(i0 + 1, q.width - 1);
        for (int c = 0; c < 3; ++c) {
          const std::vector<float>& p = q.weighted[c];
          const auto at = [&](int xx, int yy) { return p[static_cast<size_t>(yy) * q.width + xx]; };
          const float t = at(i0, j0) + (u - i0) * (at(i1, j0) - at(i0, j0));
          const float b = at(i0, j1) + (u - i0) * (at(i1, j1) - at(i0, j1));
          f.weighted[c][i] += (1 - f.weight[i]) * (t + (v - j0) * (b - t));
        }
        f.weight[i] = 1;
      }
    }
  }
  std::vector<float> out;
  for (int c = 0; c < 3; ++c) out.insert(out.end(), levels[0].weighted[c].begin(), levels[0].weighted[c].end());
  return out;
}

// Subjects in different columns of different rows, soft-edged: a disc on the left; a
// narrow post in the middle that widens, lower down, into a bar running out at the right
// edge (a half row made narrow for one row is asked wider by the next); faint specks of
// alpha far from both (matte noise: to fill, a little); rows clear of all.
ImagePlanar scatteredMatte(int w, int h) {
  ImagePlanar m = ImagePlanar::create(w, h, 1).take();
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const float disc = 1.0f - (std::hypot(x - 20.0f, y - 16.0f) - 9.0f) / 3.0f;
      const float post = std::min(1.0f - (std::fabs(x - 62.0f) - 2.0f) / 2.0f, 1.0f - (std::fabs(y - 36.0f) - 15.0f) / 2.0f);
      const float bar = std::min(1.0f - (50.0f - x) / 4.0f, 1.0f - (std::fabs(y - 44.5f) - 2.0f) / 1.5f);
      m.plane(0)[static_cast<size_t>(y) * w + x] = std::clamp(std::max({disc, post, bar}), 0.0f, 1.0f);
    }
  }
  for (const auto [x, y] : {std::pair{3, 52}, std::pair{w - 2, 9}, std::pair{40, 44}}) {
    m.plane(0)[static_cast<size_t>(y) * w + x] = 0.003f;
  }
  return m;
}

void expectRowsMatchReference(const ImagePlanar& linear, const ImagePlanar& exactMatte, const AlphaRows& matte,
                              int rowsPerCall) {
  const int w = linear.width, h = linear.height;
  Result<BackgroundFill> fill = BackgroundFill::build(
      w, h, 3,
      [&](int y, int x0, int x1, float* const* planes) {
        for (int c = 0; c < 3; ++c) {
          std::copy_n(linear.plane(c) + static_cast<size_t>(y) * w + x0, x1 - x0, planes[c] + x0);
        }
      },
      matte);
  ASSERT_TRUE(fill.ok());
  Result<BackgroundFill::HalfRows> half = fill.value().halfRows();
  ASSERT_TRUE(half.ok());
  ImagePlanar out = ImagePlanar::create(w, h, 3).take();
  for (int y = 0; y < h; y += rowsPerCall) {
    const int y1 = std::min(h, y + rowsPerCall);
    const size_t at = static_cast<size_t>(y) * w;
    const float* in[3] = {linear.plane(0) + at, linear.plane(1) + at, linear.plane(2) + at};
    float* to[3] = {out.plane(0) + at, out.plane(1) + at, out.plane(2) + at};
    fill.value().rows(y, y1, matte, in, to, half.value());
  }
  const std::vector<float> expected = referenceFill(linear, exactMatte);
  int wrong = 0;
  float worst = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    const float d = std::fabs(out.samples[i] - expected[i]);
    wrong += d > 1e-5f;
    worst = std::max(worst, d);
  }
  EXPECT_EQ(wrong, 0) << "worst difference " << worst << ", " << rowsPerCall << " row(s) a call";
}

}  // namespace

TEST(BackgroundFill, RowsOfSubjectsInDifferentColumnsAreThePlainPushPull) {
  const int w = 101, h = 67;  // odd sizes: the half level's last column and row repeat the edge
  const ImageRGBA8 noise = fixtures::noiseImage(w, h, 7);
  ImagePlanar linear = ImagePlanar::create(w, h, 3).take();
  for (size_t i = 0; i < linear.planeSize(); ++i) {
    for (int c = 0; c < 3; ++c) linear.plane(c)[i] = noise.pixels[4 * i + c] / 255.0f;
  }
  const ImagePlanar matte = scatteredMatte(w, h);
  for (int rowsPerCall : {1, 7, h}) expectRowsMatchReference(linear, matte, matte, rowsPerCall);
  // The 16-bit matte the render holds (its rows' covered columns read from the steps).
  const Alpha16 steps = Alpha16::fromPlane(matte).take();
  const ImagePlanar stepped = steps.toPlane().take();
  for (int rowsPerCall : {1, 7}) expectRowsMatchReference(linear, stepped, steps, rowsPerCall);
}
