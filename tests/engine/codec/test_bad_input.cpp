// Every kind of bad file gets the right error code and a one-line reason, and the
// decoder works for a good photo straight afterwards. inspectImage (the checks browsers
// run before their own decoder reads the pixels) refuses each with the same code and reason.
#include <gtest/gtest.h>

#include "defocus/codec.h"
#include "fixtures.h"

using namespace defocus;

namespace {

const fixtures::ByteVector& goodPhoto() {
  static const auto bytes = fixtures::readFile(fixtures::testdataPath("photos/paintbrushes.jpg"));
  return bytes;
}

void expectError(const fixtures::ByteVector& bytes, ErrorCode code, const char* what,
                 const DecodeOptions& options = {}) {
  auto decoded = decodeImage(bytes.data(), bytes.size(), options);
  ASSERT_FALSE(decoded.ok()) << what << " decoded";
  EXPECT_EQ(decoded.status().code(), code) << what << ": " << decoded.status().reason();
  const std::string& reason = decoded.status().reason();
  EXPECT_FALSE(reason.empty());
  EXPECT_EQ(reason.find('\n'), std::string::npos) << "reason must be one line";
  auto inspected = inspectImage(bytes.data(), bytes.size(), options);
  ASSERT_FALSE(inspected.ok()) << what << " passed inspection";
  EXPECT_EQ(inspected.status().code(), code) << what;
  EXPECT_EQ(inspected.status().reason(), reason) << what;
  auto good = decodeImage(goodPhoto().data(), goodPhoto().size());
  ASSERT_TRUE(good.ok()) << "after " << what << ": " << good.status().reason();
  EXPECT_EQ(good.value().image.width, 1365);
}

}  // namespace

TEST(BadInput, Empty) { expectError({}, ErrorCode::kEmptyInput, "empty"); }

TEST(BadInput, TextIsNotAnImage) {
  const std::string text = "hello, this is a text file and not a photo\n";
  expectError(fixtures::ByteVector(text.begin(), text.end()), ErrorCode::kNotAnImage, "text");
}

TEST(BadInput, RandomBytesAreNotAnImage) {
  const ImageRGBA8 noise = fixtures::noiseImage(32, 32, 99);
  fixtures::ByteVector bytes(noise.pixels.data(), noise.pixels.data() + noise.pixels.size());
  bytes[0] = 0x42;  // make sure no signature matches by chance
  bytes[1] = 0x00;
  expectError(bytes, ErrorCode::kNotAnImage, "random bytes");
}

TEST(BadInput, TruncatedJpegAtSeveralPoints) {
  for (double keep : {0.9, 0.5, 0.05}) {
    auto cut = goodPhoto();
    cut.resize(static_cast<size_t>(cut.size() * keep));
    expectError(cut, ErrorCode::kTruncated, "jpeg cut");
  }
}

TEST(BadInput, JpegCutInsideItsHeader) {
  auto cut = goodPhoto();
  cut.resize(40);
  auto decoded = decodeImage(cut.data(), cut.size());
  ASSERT_FALSE(decoded.ok());
  EXPECT_TRUE(decoded.status().code() == ErrorCode::kTruncated || decoded.status().code() == ErrorCode::kCorrupt)
      << decoded.status().reason();
}

TEST(BadInput, TruncatedPng) {
  auto png = fixtures::readFile(fixtures::testdataPath("photos/cat_chelsea.png"));
  for (double keep : {0.95, 0.5, 0.1}) {
    auto cut = png;
    cut.resize(static_cast<size_t>(png.size() * keep));
    expectError(cut, ErrorCode::kTruncated, "png cut");
  }
}

TEST(BadInput, CorruptPngData) {
  auto png = fixtures::readFile(fixtures::testdataPath("photos/cat_chelsea.png"));
  // Overwrite the start of the first IDAT's zlib stream: the header check fails.
  for (size_t i = 8; i + 8 < png.size(); ++i) {
    if (std::string(png.begin() + i, png.begin() + i + 4) == "IDAT") {
      png[i + 4] = 0xFF;
      png[i + 5] = 0xFF;
      break;
    }
  }
  expectError(png, ErrorCode::kCorrupt, "corrupt png");
}

TEST(BadInput, CorruptJpegHeader) {
  auto jpeg = fixtures::encodeJpeg(fixtures::quadrantImage(64, 32));
  // Find the SOF0 segment and claim 5 components, which baseline JPEG does not allow.
  for (size_t i = 2; i + 10 < jpeg.size(); ++i) {
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) {
      jpeg[i + 9] = 5;
      break;
    }
  }
  expectError(jpeg, ErrorCode::kCorrupt, "corrupt jpeg");
}

TEST(BadInput, HugeHeaderIsRejectedBeforeAllocating) {
  expectError(fixtures::pngHeaderOnly(100000, 100000), ErrorCode::kTooLarge, "10 GP png header");
  // JPEG whose SOF claims 65000 x 65000.
  auto jpeg = fixtures::encodeJpeg(fixtures::quadrantImage(64, 32));
  for (size_t i = 2; i + 10 < jpeg.size(); ++i) {
    if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0) {
      jpeg[i + 5] = 0xFD, jpeg[i + 6] = 0xE8, jpeg[i + 7] = 0xFD, jpeg[i + 8] = 0xE8;
      break;
    }
  }
  expectError(jpeg, ErrorCode::kTooLarge, "4 GP jpeg header");
}

TEST(BadInput, PixelLimitIsConfigurable) {
  DecodeOptions options;
  options.maxPixels = 1'000'000;  // paintbrushes.jpg is 1365x1074 = 1.47 MP
  auto decoded = decodeImage(goodPhoto().data(), goodPhoto().size(), options);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), ErrorCode::kTooLarge);
  EXPECT_NE(decoded.status().reason().find("1.5 MP"), std::string::npos) << decoded.status().reason();
  options.maxPixels = 2'000'000;
  EXPECT_TRUE(decodeImage(goodPhoto().data(), goodPhoto().size(), options).ok());
}

TEST(BadInput, KnownButUnsupportedFormatsSaySo) {
  const std::string webp = std::string("RIFF\x10\0\0\0WEBPVP8 ", 16) + std::string(32, '\0');
  expectError(fixtures::ByteVector(webp.begin(), webp.end()), ErrorCode::kUnsupported, "webp");
  const std::string heic = std::string("\0\0\0\x18" "ftypheic", 12) + std::string(32, '\0');
  expectError(fixtures::ByteVector(heic.begin(), heic.end()), ErrorCode::kUnsupported, "heic");
}
