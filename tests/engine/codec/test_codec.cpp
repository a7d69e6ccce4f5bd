#include <gtest/gtest.h>

#include <cmath>

#include "defocus/codec.h"
#include "fixtures.h"

using namespace defocus;

namespace {

double psnr8(const ImageRGBA8& a, const ImageRGBA8& b) {
  double mse = 0;
  size_t n = 0;
  for (size_t i = 0; i < a.pixels.size(); ++i) {
    if (i % 4 == 3) continue;
    const double d = double(a.pixels[i]) - b.pixels[i];
    mse += d * d;
    ++n;
  }
  return mse == 0 ? INFINITY : 10 * std::log10(255.0 * 255.0 / (mse / n));
}

DecodedImage decodeOk(const fixtures::ByteVector& bytes) {
  auto decoded = decodeImage(bytes.data(), bytes.size());
  EXPECT_TRUE(decoded.ok()) << decoded.status().reason();
  return decoded.take();
}

}  // namespace

TEST(Codec, PngRoundTripIsLossless) {
  const ImageRGBA8 image = fixtures::noiseImage(61, 37, 7);
  auto encoded = encodePng(image);
  ASSERT_TRUE(encoded.ok());
  const DecodedImage decoded = decodeOk(fixtures::toVector(encoded.value()));
  EXPECT_EQ(decoded.format, "png");
  ASSERT_EQ(decoded.image.width, 61);
  ASSERT_EQ(decoded.image.height, 37);
  for (size_t i = 0; i < image.pixels.size(); ++i) ASSERT_EQ(decoded.image.pixels[i], image.pixels[i]) << i;
}

// The in-place writer (rows filtered in the image's own pixels, bottom up): every filter
// type is chosen somewhere on a real photo, so a wrong filter or a row overwritten before
// the row below read it shows as a pixel difference; its filter choice is stb's, so the
// file is no bigger than stb's.
TEST(Codec, PngWrittenInPlaceRoundTripsLosslesslyAtStbsSize) {
  const DecodedImage photo = decodeOk(fixtures::readFile(fixtures::testdataPath("photos/astronaut_eileen_collins.png")));
  for (const ImageRGBA8* source : {static_cast<const ImageRGBA8*>(nullptr), &photo.image}) {
    ImageRGBA8 image = fixtures::noiseImage(61, 37, 7);
    if (source) {
      auto copy = ImageRGBA8::fromPixels(source->pixels.data(), source->pixels.size(), source->width, source->height);
      ASSERT_TRUE(copy.ok());
      image = copy.take();
      for (size_t i = 3; i < image.pixels.size(); i += 4) image.pixels[i] = static_cast<uint8_t>(i / 4 % 251);  // some alpha
    }
    auto reference = encodePng(image);
    ASSERT_TRUE(reference.ok());
    auto copy = ImageRGBA8::fromPixels(image.pixels.data(), image.pixels.size(), image.width, image.height);
    ASSERT_TRUE(copy.ok());
    auto encoded = encodePngConsuming(copy.take());
    ASSERT_TRUE(encoded.ok()) << encoded.status().reason();
    const DecodedImage decoded = decodeOk(fixtures::toVector(encoded.value()));  // checks CRCs and Adler-32
    ASSERT_EQ(decoded.image.width, image.width);
    ASSERT_EQ(decoded.image.height, image.height);
    for (size_t i = 0; i < image.pixels.size(); ++i) ASSERT_EQ(decoded.image.pixels[i], image.pixels[i]) << i;
    EXPECT_LE(encoded.value().size(), reference.value().size() * 1.01);
  }
  ImageRGBA8 empty;
  EXPECT_EQ(encodePngConsuming(std::move(empty)).status().code(), ErrorCode::kInvalidArgument);
}

TEST(Codec, JpegRoundTripOfARealPhotoAndQualityMatters) {
  const DecodedImage photo = decodeOk(fixtures::readFile(fixtures::testdataPath("photos/astronaut_eileen_collins.png")));
  auto high = encodeJpeg(photo.image, 95);
  auto low = encodeJpeg(photo.image, 30);
  ASSERT_TRUE(high.ok());
  ASSERT_TRUE(low.ok());
  EXPECT_LT(low.value().size(), high.value().size() * 0.6);
  const DecodedImage back = decodeOk(fixtures::toVector(high.value()));
  EXPECT_EQ(back.format, "jpeg");
  const double p = psnr8(photo.image, back.image);
  EXPECT_GT(p, 35.0);
  EXPECT_GT(p, psnr8(photo.image, decodeOk(fixtures::toVector(low.value())).image));
}

TEST(Codec, RealTestPhotosDecodeAtTheirDocumentedSizes) {
  struct Expect { const char* file; int width, height; };
  const Expect photos[] = {{"photos/dandelions_backlit.jpg", 5312, 2988},
                           {"photos/two_dogs_window.jpg", 2056, 3088},
                           {"photos/cameraman_grayscale.png", 512, 512},
                           {"photos/cat_chelsea.png", 451, 300}};
  for (const auto& e : photos) {
    const DecodedImage d = decodeOk(fixtures::readFile(fixtures::testdataPath(e.file)));
    EXPECT_EQ(d.image.width, e.width) << e.file;
    EXPECT_EQ(d.image.height, e.height) << e.file;
  }
}

TEST(Codec, GrayscaleBecomesOpaqueGreyRgba) {
  const DecodedImage d = decodeOk(fixtures::readFile(fixtures::testdataPath("photos/cameraman_grayscale.png")));
  for (size_t i = 0; i < d.image.pixels.size(); i += 4) {
    ASSERT_EQ(d.image.pixels[i], d.image.pixels[i + 1]);
    ASSERT_EQ(d.image.pixels[i], d.image.pixels[i + 2]);
    ASSERT_EQ(d.image.pixels[i + 3], 255);
  }
}

TEST(Codec, BmpDecodesExactly) {
  ImageRGBA8 image = fixtures::noiseImage(9, 6, 3);
  for (size_t i = 3; i < image.pixels.size(); i += 4) image.pixels[i] = 255;
  const DecodedImage d = decodeOk(fixtures::encodeBmp(image));
  EXPECT_EQ(d.format, "bmp");
  EXPECT_EQ(psnr8(image, d.image), INFINITY);
}

TEST(Codec, GifGivesItsFirstFrame) {
  const int w = 20, h = 10;  // 200 pixels: the literal LZW writer needs clear codes
  std::vector<uint8_t> first(w * h), second(w * h, 2);
  for (int i = 0; i < w * h; ++i) first[i] = static_cast<uint8_t>(i % 2);
  const auto gif = fixtures::makeGif(w, h, {0xFF0000, 0x00FF00, 0x0000FF}, {first, second});
  const DecodedImage d = decodeOk(gif);
  EXPECT_EQ(d.format, "gif");
  ASSERT_EQ(d.image.width, w);
  for (int i = 0; i < w * h; ++i) {
    const uint8_t* p = &d.image.pixels[4 * i];
    ASSERT_EQ(p[0], i % 2 ? 0 : 255) << i;
    ASSERT_EQ(p[1], i % 2 ? 255 : 0) << i;
    ASSERT_EQ(p[2], 0) << "pixel " << i << " shows the second frame";
  }
}

TEST(Codec, EncoderRejectsBadArguments) {
  const ImageRGBA8 image = fixtures::noiseImage(4, 4, 1);
  EXPECT_EQ(encodeJpeg(image, 0).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(encodeJpeg(image, 101).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(encodeJpeg(image, 0).status().reason().find("quality"), std::string::npos);
  ImageRGBA8 empty;
  EXPECT_EQ(encodePng(empty).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ImageRGBA8::fromPixels(image.pixels.data(), 63, 4, 4).status().code(), ErrorCode::kInvalidArgument);
}
