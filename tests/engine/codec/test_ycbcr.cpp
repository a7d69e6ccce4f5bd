// JPEG planes to RGBA (defocus/ycbcr.h), against the filter and matrix written out in
// doubles: libjpeg's fixed point rounds the upsampled chroma to whole codes first, so the
// two differ by rounding only; a wrong row, column, edge or weight differs by tens of codes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <utility>

#include "defocus/ycbcr.h"

using namespace defocus;

namespace {

// Smooth content plus noise, so every weight shows: neighbouring samples always differ.
YCbCrImage makePlanes(int width, int height, int shiftX, int shiftY, unsigned seed) {
  YCbCrImage p = YCbCrImage::create(width, height, shiftX, shiftY).take();
  std::srand(seed);
  const auto fill = [&](size_t offset, int w, int h, int phase) {
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        const double wave = 128 + 90 * std::sin(0.7 * x + 0.3 * y + phase);
        p.bytes[offset + static_cast<size_t>(y) * w + x] =
            static_cast<uint8_t>(std::clamp(wave + std::rand() % 41 - 20, 0.0, 255.0));
      }
    }
  };
  fill(0, width, height, 0);
  fill(p.chromaOffset(1), p.chromaWidth(), p.chromaHeight(), 1);
  fill(p.chromaOffset(2), p.chromaWidth(), p.chromaHeight(), 2);
  return p;
}

// Chroma at a full-size pixel: on each halved axis 3/4 the nearer sample and 1/4 the next
// farther one (the picture's edge sample standing in beyond it).
double upsampled(const YCbCrImage& p, const uint8_t* plane, int x, int y) {
  const auto at = [&](int cx, int cy) {
    cx = std::clamp(cx, 0, p.chromaWidth() - 1);
    cy = std::clamp(cy, 0, p.chromaHeight() - 1);
    return double(plane[static_cast<size_t>(cy) * p.chromaWidth() + cx]);
  };
  const auto column = [&](int cx) {
    if (!p.chromaShiftY) return at(cx, y);
    const int near = y >> 1, far = (y & 1) ? near + 1 : near - 1;
    return 0.75 * at(cx, near) + 0.25 * at(cx, far);
  };
  if (!p.chromaShiftX) return column(x);
  const int near = x >> 1, far = (x & 1) ? near + 1 : near - 1;
  return 0.75 * column(near) + 0.25 * column(far);
}

ImageRGBA8 referenceRgba(const YCbCrImage& p) {
  ImageRGBA8 out = ImageRGBA8::create(p.width, p.height).take();
  const YCbCrPlanes planes = p.planes();
  for (int y = 0; y < p.height; ++y) {
    for (int x = 0; x < p.width; ++x) {
      const double l = planes.y[static_cast<size_t>(y) * p.width + x];
      const double cb = upsampled(p, planes.cb, x, y) - 128, cr = upsampled(p, planes.cr, x, y) - 128;
      const double rgb[3] = {l + 1.402 * cr, l - 0.34414 * cb - 0.71414 * cr, l + 1.772 * cb};
      for (int c = 0; c < 3; ++c) out.row(y)[4 * x + c] = static_cast<uint8_t>(std::clamp(std::lround(rgb[c]), 0L, 255L));
      out.row(y)[4 * x + 3] = 255;
    }
  }
  return out;
}

ImageRGBA8 converted(const YCbCrImage& p, int threads) {
  ImageRGBA8 out = ImageRGBA8::create(p.width, p.height).take();
  const Status status = ycbcrToRgba(p.planes(), out, threads);
  EXPECT_TRUE(status.ok()) << status.reason();
  return out;
}

}  // namespace

TEST(YCbCr, EverySubsamplingIsTheTriangleFilterAndJfifMatrixToRounding) {
  for (const auto& [shiftX, shiftY] : {std::pair{0, 0}, std::pair{1, 0}, std::pair{1, 1}}) {
    for (const auto& [width, height] : {std::pair{40, 24}, std::pair{37, 23}, std::pair{1, 1}, std::pair{2, 3}}) {
      const YCbCrImage p = makePlanes(width, height, shiftX, shiftY, width * 131 + shiftX * 7 + shiftY);
      const ImageRGBA8 got = converted(p, 1);
      const ImageRGBA8 want = referenceRgba(p);
      int worst = 0;
      double sum = 0;
      for (size_t i = 0; i < got.pixels.size(); ++i) {
        const int d = std::abs(int(got.pixels[i]) - int(want.pixels[i]));
        worst = std::max(worst, d);
        sum += d;
      }
      const std::string what = std::to_string(width) + "x" + std::to_string(height) + " shift " +
                               std::to_string(shiftX) + "," + std::to_string(shiftY);
      // The upsampled chroma rounded to a code, then times up to 1.772: at most 2 codes off.
      EXPECT_LE(worst, 2) << what;
      EXPECT_LT(sum / got.pixels.size(), 0.35) << what;
    }
  }
}

TEST(YCbCr, ThreadsGiveTheRowsOfOneThread) {
  const YCbCrImage p = makePlanes(333, 203, 1, 1, 5);
  const ImageRGBA8 one = converted(p, 1);
  for (int threads : {2, 3}) {
    const ImageRGBA8 many = converted(p, threads);
    EXPECT_TRUE(one.pixels.size() == many.pixels.size() &&
                std::equal(one.pixels.data(), one.pixels.data() + one.pixels.size(), many.pixels.data()))
        << threads << " threads";
  }
}

TEST(YCbCr, PlanesThatDoNotFitTheImageAreRefused) {
  const YCbCrImage p = makePlanes(20, 10, 1, 1, 9);
  ImageRGBA8 out = ImageRGBA8::create(20, 10).take();
  YCbCrPlanes view = p.planes();
  view.chromaStride = 9;  // 10 chroma samples a row
  EXPECT_EQ(ycbcrToRgba(view, out, 1).code(), ErrorCode::kInvalidArgument);
  view = p.planes();
  view.chromaShiftX = 0;  // 4:4:0 is no frame format
  view.chromaShiftY = 1;
  EXPECT_EQ(ycbcrToRgba(view, out, 1).code(), ErrorCode::kInvalidArgument);
  ImageRGBA8 other = ImageRGBA8::create(20, 11).take();
  EXPECT_EQ(ycbcrToRgba(p.planes(), other, 1).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(YCbCrImage::create(20, 10, 0, 1).status().code(), ErrorCode::kInvalidArgument);
}
