#include <gtest/gtest.h>

#include "defocus/codec.h"
#include "defocus/orientation.h"
#include "fixtures.h"

using namespace defocus;

namespace {

enum Side { kTop, kBottom, kLeft, kRight };

// EXIF 2.3, tag 0x0112: where the stored image's 0th row and 0th column appear when the
// picture is displayed upright.
struct Placement { Side row0, column0; };
const Placement kSpec[9] = {{}, {kTop, kLeft}, {kTop, kRight}, {kBottom, kRight}, {kBottom, kLeft},
                            {kLeft, kTop}, {kRight, kTop}, {kRight, kBottom}, {kLeft, kBottom}};

// Colour (red, green, blue, white = quadrant index) at a display corner, given a stored
// quadrant image: stored corner (0,0) is red, (end,0) green, (0,end) blue, (end,end) white.
int expectedQuadrant(int orientation, bool displayRight, bool displayBottom) {
  const Placement p = kSpec[orientation];
  auto onSide = [&](Side s) {
    return (s == kTop && !displayBottom) || (s == kBottom && displayBottom) || (s == kLeft && !displayRight) ||
           (s == kRight && displayRight);
  };
  const bool storedBottom = !onSide(p.row0);    // far from where row 0 went
  const bool storedRight = !onSide(p.column0);  // far from where column 0 went
  return storedBottom * 2 + storedRight;
}

int quadrantOf(const uint8_t* p) {
  if (p[0] > 200 && p[1] > 200 && p[2] > 200) return 3;
  if (p[0] > 200 && p[1] < 60 && p[2] < 60) return 0;
  if (p[1] > 200 && p[0] < 60 && p[2] < 60) return 1;
  if (p[2] > 200 && p[0] < 60 && p[1] < 60) return 2;
  return -1;
}

}  // namespace

class ExifOrientation : public ::testing::TestWithParam<std::tuple<int, bool>> {};

TEST_P(ExifOrientation, DecodedPixelsAreUpright) {
  const auto [orientation, bigEndian] = GetParam();
  const int w = 64, h = 32;  // not square, quadrants aligned to JPEG's 16x16 blocks
  const auto jpeg = fixtures::withExifOrientation(fixtures::encodeJpeg(fixtures::quadrantImage(w, h)), orientation,
                                                  bigEndian);
  auto decoded = decodeImage(jpeg.data(), jpeg.size());
  ASSERT_TRUE(decoded.ok()) << decoded.status().reason();
  const ImageRGBA8& img = decoded.value().image;
  EXPECT_EQ(decoded.value().orientation, orientation);
  // What a browser's decoder is told before it decodes: the stored size and the orientation.
  auto inspected = inspectImage(jpeg.data(), jpeg.size());
  ASSERT_TRUE(inspected.ok()) << inspected.status().reason();
  EXPECT_EQ(inspected.value().orientation, orientation);
  EXPECT_EQ(inspected.value().width, w);
  EXPECT_EQ(inspected.value().height, h);
  EXPECT_EQ(inspected.value().channels, 3);
  const bool swapped = orientation >= 5;
  ASSERT_EQ(img.width, swapped ? h : w);
  ASSERT_EQ(img.height, swapped ? w : h);
  for (int by = 0; by < 2; ++by) {
    for (int bx = 0; bx < 2; ++bx) {
      // Sample well inside each display quadrant, away from JPEG edge ringing.
      const int x = bx ? img.width * 3 / 4 : img.width / 4;
      const int y = by ? img.height * 3 / 4 : img.height / 4;
      EXPECT_EQ(quadrantOf(img.row(y) + 4 * x), expectedQuadrant(orientation, bx, by))
          << "orientation " << orientation << " display quadrant " << bx << "," << by;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllEight, ExifOrientation,
                         ::testing::Combine(::testing::Range(1, 9), ::testing::Bool()));

TEST(Orientation, CanBeLeftUnapplied) {
  const auto jpeg = fixtures::withExifOrientation(fixtures::encodeJpeg(fixtures::quadrantImage(64, 32)), 6, false);
  DecodeOptions options;
  options.applyOrientation = false;
  auto decoded = decodeImage(jpeg.data(), jpeg.size(), options);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded.value().image.width, 64);
  EXPECT_EQ(decoded.value().orientation, 6);
}

TEST(Orientation, MalformedOrAbsentExifMeansUpright) {
  const auto plain = fixtures::encodeJpeg(fixtures::quadrantImage(64, 32));
  EXPECT_EQ(readJpegOrientation(plain.data(), plain.size()), 1);
  auto bad = fixtures::withExifOrientation(plain, 9, false);  // out-of-range value
  EXPECT_EQ(readJpegOrientation(bad.data(), bad.size()), 1);
  auto cut = fixtures::withExifOrientation(plain, 6, true);
  cut.resize(30);  // Exif segment claims more bytes than exist
  EXPECT_EQ(readJpegOrientation(cut.data(), cut.size()), 1);
}

TEST(Orientation, InvalidValueIsAnError) {
  const ImageRGBA8 image = fixtures::quadrantImage(4, 2);
  EXPECT_EQ(applyOrientation(image, 0).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(applyOrientation(image, 9).status().code(), ErrorCode::kInvalidArgument);
}
