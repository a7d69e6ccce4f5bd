// One regression test per finding of the fuzzers (fuzz/; issue 14). The memory and UB ones
// fail loudest in the ASan + UBSan build of this suite (build/sanitize), which `npm test` runs;
// each also checks the answer, so it fails in the plain build where that shows.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <string>
#include <vector>

#include "blur_reference.h"
#include "defocus/background_fill.h"
#include "defocus/blur.h"
#include "defocus/brush.h"
#include "defocus/codec.h"
#include "defocus/depth.h"
#include "defocus/gaussian_blur.h"
#include "defocus/matte.h"
#include "defocus/model_io.h"
#include "fixtures.h"

using namespace defocus;
using fixtures::ByteVector;

namespace {

const ByteVector& progressivePhoto() {  // paintbrushes.jpg is progressive: tables between scans
  static const ByteVector bytes = fixtures::readFile(fixtures::testdataPath("photos/paintbrushes.jpg"));
  return bytes;
}

// The error has the code, a one-line reason naming `word`, and the decoder works next.
void expectRejected(const ByteVector& bytes, ErrorCode code, const std::string& word) {
  Result<DecodedImage> decoded = decodeImage(bytes.data(), bytes.size());
  ASSERT_FALSE(decoded.ok()) << "decoded a damaged file";
  EXPECT_EQ(decoded.status().code(), code) << decoded.status().reason();
  EXPECT_NE(decoded.status().reason().find(word), std::string::npos) << decoded.status().reason();
  EXPECT_EQ(decoded.status().reason().find('\n'), std::string::npos);
  Result<DecodedImage> good = decodeImage(progressivePhoto().data(), progressivePhoto().size());
  ASSERT_TRUE(good.ok()) << good.status().reason();
  EXPECT_EQ(good.value().image.width, 1365);
}

// A DHT segment with one table whose 16 code counts add up to `codes` (all in the first two
// lengths), values included.
ByteVector dhtSegment(int codes) {
  const int length = 2 + 17 + codes;
  ByteVector s = {0xFF, 0xC4, static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length & 0xFF), 0x02};
  const int first = std::min(codes, 255);
  s.push_back(static_cast<uint8_t>(first));
  s.push_back(static_cast<uint8_t>(codes - first));
  s.resize(s.size() + 14 + codes, 0);
  return s;
}

}  // namespace

// Finding 1: stb 2.27 wrote past its Huffman arrays while probing these 9 bytes.
TEST(FuzzFindings, NineByteJpegWithAnOversizedHuffmanTable) {
  expectRejected({0xFF, 0xD8, 0xFF, 0xC4, 0x00, 0xB5, 0x02, 0x49, 0xE6}, ErrorCode::kTruncated, "Huffman table");
}

TEST(FuzzFindings, HuffmanTableWithMoreThan256CodesInTheHeader) {
  ByteVector file = {0xFF, 0xD8};
  const ByteVector dht = dhtSegment(303);
  file.insert(file.end(), dht.begin(), dht.end());
  file.insert(file.end(), {0xFF, 0xD9});
  expectRejected(file, ErrorCode::kCorrupt, "303 codes");
}

// The same table between two scans of a progressive photo: only a walk through the
// entropy-coded data finds it (stb reads it after decoding the first scan).
TEST(FuzzFindings, HuffmanTableWithMoreThan256CodesBetweenScans) {
  ByteVector file = progressivePhoto();
  size_t sos = 0;
  int seen = 0;
  for (size_t i = 0; i + 1 < file.size() && seen < 2; ++i) {
    if (file[i] == 0xFF && file[i + 1] == 0xDA && ++seen == 2) sos = i;
  }
  ASSERT_GT(sos, 0u) << "the photo should have a second scan";
  const ByteVector dht = dhtSegment(300);
  file.insert(file.begin() + static_cast<long>(sos), dht.begin(), dht.end());
  expectRejected(file, ErrorCode::kCorrupt, "300 codes");
}

TEST(FuzzFindings, HuffmanTablesOfExactly256CodesAreFine) {
  ByteVector file = progressivePhoto();
  const ByteVector dht = dhtSegment(256);  // the most a table may hold; stb rejects its lengths itself
  file.insert(file.begin() + 2, dht.begin(), dht.end());
  Result<DecodedImage> decoded = decodeImage(file.data(), file.size());
  // Not the walker's reason: whatever stb says about the code lengths, without overflowing.
  if (!decoded.ok()) EXPECT_EQ(decoded.status().reason().find("codes (at most 256)"), std::string::npos);
}

namespace {

uint32_t crc32(const uint8_t* p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; ++i) {
    c ^= p[i];
    for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
  }
  return ~c;
}

void put32(ByteVector& v, uint32_t x) {
  for (int s = 24; s >= 0; s -= 8) v.push_back(static_cast<uint8_t>(x >> s));
}

void chunk(ByteVector& png, const char* type, const ByteVector& data) {
  put32(png, static_cast<uint32_t>(data.size()));
  ByteVector body(type, type + 4);
  body.insert(body.end(), data.begin(), data.end());
  png.insert(png.end(), body.begin(), body.end());
  put32(png, crc32(body.data(), body.size()));
}

// A 4x4 greyscale PNG whose zlib stream is one stored (uncompressed) block, so a changed
// pixel byte still inflates: only the checksums can tell.
struct StoredPng {
  ByteVector file;
  size_t firstPixel = 0;  // offset of pixel (0, 0) in the file
};

StoredPng storedPng(uint8_t changedPixel, bool fixCrc) {
  ByteVector raw;  // per row: filter 0, four pixels
  for (int y = 0; y < 4; ++y) {
    raw.push_back(0);
    for (int x = 0; x < 4; ++x) raw.push_back(static_cast<uint8_t>(40 * y + 10 * x));
  }
  uint32_t a = 1, b = 0;
  for (uint8_t v : raw) a = (a + v) % 65521, b = (b + a) % 65521;
  ByteVector z = {0x78, 0x01, 0x01, static_cast<uint8_t>(raw.size()), 0x00, static_cast<uint8_t>(~raw.size()), 0xFF};
  const size_t pixelInZ = z.size() + 1;
  z.insert(z.end(), raw.begin(), raw.end());
  put32(z, b << 16 | a);
  StoredPng png;
  png.file = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  chunk(png.file, "IHDR", {0, 0, 0, 4, 0, 0, 0, 4, 8, 0, 0, 0, 0});
  const size_t idat = png.file.size();
  chunk(png.file, "IDAT", z);
  chunk(png.file, "IEND", {});
  png.firstPixel = idat + 8 + pixelInZ;
  if (changedPixel != png.file[png.firstPixel]) {
    png.file[png.firstPixel] = changedPixel;
    if (fixCrc) {  // recompute the IDAT CRC so that only Adler-32 is wrong
      const uint32_t c = crc32(png.file.data() + idat + 4, 4 + z.size());
      for (int i = 0; i < 4; ++i) png.file[idat + 8 + z.size() + i] = static_cast<uint8_t>(c >> (24 - 8 * i));
    }
  }
  return png;
}

}  // namespace

TEST(FuzzFindings, StoredPngWithRightChecksumsDecodes) {
  const StoredPng png = storedPng(0, false);
  Result<DecodedImage> decoded = decodeImage(png.file.data(), png.file.size());
  ASSERT_TRUE(decoded.ok()) << decoded.status().reason();
  EXPECT_EQ(decoded.value().image.pixels[4 * 5], 50);  // pixel (1, 1): 40 + 10
}

// stb skips CRCs: a damaged byte became a plausible picture without a word.
TEST(FuzzFindings, PngWithAWrongCrcIsAnError) {
  expectRejected(storedPng(99, false).file, ErrorCode::kCorrupt, "IDAT chunk fails its CRC");
}

TEST(FuzzFindings, PngWithAWrongAdlerIsAnError) {
  expectRejected(storedPng(99, true).file, ErrorCode::kCorrupt, "Adler-32");
}

// Finding 2: a placement at the tensor's right edge, output smaller than the tensor: the
// crop's x0 rounded to the output's width and std::clamp got hi < lo (libc++ then read one
// float past the output in the wasm build).
TEST(FuzzFindings, PlacementAtTheRightAndBottomEdgeOfASmallerOutput) {
  ModelOutputSpec s;
  s.width = s.height = 4;
  std::vector<float> out(16);
  for (int i = 0; i < 16; ++i) out[i] = (i % 4) / 4.0f + (i / 4) / 16.0f;  // column and row show
  InputPlacement place;
  place.tensorWidth = place.tensorHeight = 10;
  place.left = place.top = 9;
  place.width = place.height = 1;
  Result<ImagePlanar> p = probabilityFromOutput(out.data(), out.size(), s, place);
  ASSERT_TRUE(p.ok()) << p.status().reason();
  ASSERT_EQ(p.value().width, 1);
  ASSERT_EQ(p.value().height, 1);
  EXPECT_FLOAT_EQ(p.value().samples[0], out[15]);  // the bottom-right output value
  Result<ImagePlanar> d = depthFromOutput(out.data(), out.size(), s, place, false);
  ASSERT_TRUE(d.ok()) << d.status().reason();
}

// Finding 3: left + width overflowed int in the bounds check.
TEST(FuzzFindings, PlacementNearIntMaxIsRejected) {
  ModelOutputSpec s;
  s.width = s.height = 4;
  std::vector<float> out(16, 0.5f);
  InputPlacement place;
  place.tensorWidth = place.tensorHeight = 10;
  place.left = INT_MAX - 2;
  place.width = 10;
  place.height = 4;
  Result<ImagePlanar> p = probabilityFromOutput(out.data(), out.size(), s, place);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), ErrorCode::kInvalidArgument);
  place.left = 0;
  place.top = INT_MAX;
  place.height = 1;
  EXPECT_FALSE(depthFromOutput(out.data(), out.size(), s, place, true).ok());
}

// Finding 4: focusX = 1e10 became an int out of range (on x86 INT_MIN: the left edge).
TEST(FuzzFindings, FocusPointFarOutsideClampsToTheNearestEdge) {
  Result<ImagePlanar> matte = ImagePlanar::create(40, 20, 1);
  ASSERT_TRUE(matte.ok());
  std::fill(matte.value().samples.data(), matte.value().samples.data() + 800, 0.0f);
  DepthOptions o;
  o.mode = DepthMode::kLinear;  // near on the left, far on the right
  o.startX = 0, o.startY = 0.5f, o.endX = 1, o.endY = 0.5f;
  Result<DepthEstimate> depth = estimateDepth(matte.value(), o);
  ASSERT_TRUE(depth.ok()) << depth.status().reason();
  const float* d = depth.value().background.plane(0);
  for (float far : {1e10f, 3e38f, INFINITY}) {
    o.focusX = far;
    o.focusY = 0.5f;
    EXPECT_FLOAT_EQ(focusDepth(depth.value(), matte.value(), o), d[10 * 40 + 39]) << far;
  }
  o.focusX = NAN;  // not a point: the subject's depth
  EXPECT_FLOAT_EQ(focusDepth(depth.value(), matte.value(), o), depth.value().subject);
}

// Finding 4: brush dab bounds and the step count of a segment to a point far outside.
TEST(FuzzFindings, BrushStrokeToAPointFarOutside) {
  Result<ImagePlanar> matte = ImagePlanar::create(30, 30, 1);
  ASSERT_TRUE(matte.ok());
  std::fill(matte.value().samples.data(), matte.value().samples.data() + 900, 0.0f);
  BrushStroke s;
  s.radius = 0.1f;
  // The last two: times the width they overflow float (inf - inf gave NaN dab centres).
  s.points = {{0.5f, 0.5f}, {1e10f, 0.5f}, {-3e38f, -3e38f}, {3e38f, -3e38f}};
  ASSERT_TRUE(applyStrokes(matte.value(), {s}).ok());
  EXPECT_FLOAT_EQ(matte.value().samples[15 * 30 + 15], 1.0f);  // the first dab
  EXPECT_FLOAT_EQ(matte.value().samples[0], 0.0f);             // nothing painted far from it
}

// Finding 5: sigma 2000 on a tiny image made a pyramid of 8192 px a side (12-19 s, 400 MB);
// now it is an exact matrix blur. Checked against float64 at sizes on both sides of the switch.
TEST(FuzzFindings, HugeSigmaOnATinyImageIsExact) {
  for (const auto& [w, h, sigma] : std::vector<std::tuple<int, int, float>>{
           {1, 1, 2000}, {7, 3, 2000}, {24, 17, 900}, {64, 40, 150}, {5, 300, 1000}}) {
    const ImagePlanar image = reference::noiseWithEdges(w, h, 2, 11);
    Result<ImagePlanar> ours = gaussianBlur(image, sigma);
    ASSERT_TRUE(ours.ok()) << ours.status().reason();
    double worst = 0;
    for (int c = 0; c < 2; ++c) {
      const std::vector<double> exact = reference::gaussianBlurPlane(image.plane(c), w, h, sigma);
      for (size_t i = 0; i < exact.size(); ++i) worst = std::max(worst, std::fabs(ours.value().plane(c)[i] - exact[i]));
    }
    EXPECT_LE(worst, 1e-5) << w << "x" << h << " sigma " << sigma;
  }
}

// Found by fuzz_render: gradient points far outside squared to infinity in float (inf / inf:
// NaN depth, NaN subject depth, every pixel at the largest radius); a NaN alpha made the
// subject's depth NaN too.
TEST(FuzzFindings, DepthGradientWithPointsFarOutsideAndNanAlpha) {
  Result<ImagePlanar> matte = ImagePlanar::create(16, 12, 1);
  ASSERT_TRUE(matte.ok());
  float* alpha = matte.value().samples.data();
  for (int i = 0; i < 16 * 12; ++i) alpha[i] = i % 16 < 8 ? 1.0f : 0.0f;
  alpha[3] = NAN;
  for (DepthMode mode : {DepthMode::kLinear, DepthMode::kRadial}) {
    DepthOptions o;
    o.mode = mode;
    o.startX = -3e38f, o.startY = 0.5f, o.endX = 3e38f, o.endY = 0.5f;
    Result<DepthEstimate> depth = estimateDepth(matte.value(), o);
    ASSERT_TRUE(depth.ok()) << depth.status().reason();
    EXPECT_TRUE(std::isfinite(depth.value().subject));
    for (size_t i = 0; i < depth.value().background.samples.size(); ++i) {
      ASSERT_TRUE(std::isfinite(depth.value().background.samples[i])) << i;
    }
    o.focusX = 3.0f / 16, o.focusY = 0;  // on the NaN alpha
    EXPECT_TRUE(std::isfinite(focusDepth(depth.value(), matte.value(), o)));
  }
}

// Found by fuzz_decode: stb 2.27 read past its buffer converting a 16-bit PNM to 8 bits.
TEST(FuzzFindings, SixteenBitPnmIsRefusedNotOverread) {
  std::string header = "P6\n4 3\n597\n";
  ByteVector file(header.begin(), header.end());
  file.resize(file.size() + 4 * 3 * 3 * 2, 0x40);
  expectRejected(file, ErrorCode::kUnsupported, "16-bit PNM");
  header = "P6\n4 3\n255\n";  // 8-bit still decodes
  ByteVector eight(header.begin(), header.end());
  eight.resize(eight.size() + 4 * 3 * 3, 0x40);
  Result<DecodedImage> decoded = decodeImage(eight.data(), eight.size());
  ASSERT_TRUE(decoded.ok()) << decoded.status().reason();
  EXPECT_EQ(decoded.value().image.pixels[0], 0x40);
}

// Found by fuzz_render: a caller's matte holding NaN spread through the depth map's fill and
// smoothing into the focal plane.
TEST(FuzzFindings, NanMatteGivesAFiniteDepthMap) {
  Result<ImagePlanar> matte = ImagePlanar::create(12, 10, 1);
  ASSERT_TRUE(matte.ok());
  float* alpha = matte.value().samples.data();
  for (int i = 0; i < 120; ++i) alpha[i] = i % 12 < 6 ? 1.0f : 0.0f;
  alpha[7] = NAN, alpha[8] = INFINITY, alpha[9] = -5;
  Result<ImagePlanar> map = ImagePlanar::create(4, 4, 1);
  ASSERT_TRUE(map.ok());
  for (int i = 0; i < 16; ++i) map.value().samples[i] = i / 16.0f;
  for (DepthMode mode : {DepthMode::kAuto, DepthMode::kMap}) {
    DepthOptions o;
    o.mode = mode;
    Result<DepthEstimate> depth = estimateDepth(matte.value(), o, &map.value());
    ASSERT_TRUE(depth.ok()) << depth.status().reason();
    for (size_t i = 0; i < depth.value().background.samples.size(); ++i) {
      ASSERT_TRUE(std::isfinite(depth.value().background.samples[i])) << "mode " << int(mode) << " pixel " << i;
    }
    o.focusX = 8.5f / 12, o.focusY = 0.05f;
    EXPECT_TRUE(std::isfinite(focusDepth(depth.value(), matte.value(), o)));
  }
}

// Found by fuzz_render: a NaN in a caller's matte made the background fill skip a row's
// half-size fill and then read it for that very pixel (a null row pointer). NaN is no trust now,
// like the subject: the pixel is filled from its neighbours and every value stays finite.
TEST(FuzzFindings, NanMatteInTheBackgroundFillIsFilledFromNeighbours) {
  Result<ImagePlanar> linear = ImagePlanar::create(9, 7, 3);
  Result<ImagePlanar> matte = ImagePlanar::create(9, 7, 1);
  ASSERT_TRUE(linear.ok() && matte.ok());
  for (size_t i = 0; i < linear.value().samples.size(); ++i) linear.value().samples[i] = 0.5f;
  float* alpha = matte.value().samples.data();
  for (int i = 0; i < 63; ++i) alpha[i] = 1.0f;  // all subject but one NaN row and one background pixel
  for (int x = 0; x < 9; ++x) alpha[3 * 9 + x] = NAN;
  alpha[0] = 0.0f;
  Result<ImagePlanar> filled = fillBackground(linear.value(), matte.value());
  ASSERT_TRUE(filled.ok()) << filled.status().reason();
  for (int c = 0; c < 3; ++c) {
    for (int x = 0; x < 9; ++x) EXPECT_NEAR(filled.value().plane(c)[3 * 9 + x], 0.5f, 1e-4f) << "channel " << c << " x " << x;
  }
}

// Found by fuzz_render: a radial centre outside the photo (or NaN) grew the out-of-focus
// subject layer's crop past the image (a heap read before the plane). The documented range is
// 0..1; outside it is now an invalid argument naming the centre, and the next render works.
TEST(FuzzFindings, RadialCentreOutsideThePhotoIsRefused) {
  const ImagePlanar image = reference::noiseWithEdges(16, 12, 3, 2);
  for (float centre : {-0.25f, 1.5f, NAN}) {
    BlurOptions o;
    o.style = BlurStyle::kRadial;
    o.strength = 40;
    o.centerX = centre;
    Result<ImagePlanar> r = blurLinear(image, o);
    ASSERT_FALSE(r.ok()) << "centre " << centre;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(r.status().reason().find("centerX"), std::string::npos) << r.status().reason();
    o.centerX = 1.0f;
    EXPECT_TRUE(blurLinear(image, o).ok());
  }
}

// Found by fuzz_render: refinement with a tiny epsilon (1e-30, allowed: it is > 0) on a flat
// photo divided by a determinant that underflowed to 0; the matte came out NaN. A flat window
// now keeps the mask: the refined matte equals the (upsampled) probability there.
TEST(FuzzFindings, TinyEpsilonOnAFlatPhotoKeepsTheMask) {
  Result<ImageRGBA8> photo = ImageRGBA8::create(24, 16);
  Result<ImagePlanar> probability = ImagePlanar::create(24, 16, 1);
  ASSERT_TRUE(photo.ok() && probability.ok());
  std::fill(photo.value().pixels.data(), photo.value().pixels.data() + photo.value().pixels.size(), uint8_t{128});
  for (int i = 0; i < 24 * 16; ++i) probability.value().samples[i] = i % 24 < 12 ? 1.0f : 0.0f;
  MatteOptions o;
  o.epsilon = 1e-30f;
  Result<ImagePlanar> matte = refineMatte(photo.value(), probability.value(), o);
  ASSERT_TRUE(matte.ok()) << matte.status().reason();
  for (int i = 0; i < 24 * 16; ++i) ASSERT_TRUE(std::isfinite(matte.value().samples[i])) << "pixel " << i;
  EXPECT_NEAR(matte.value().samples[2 * 24 + 2], 1.0f, 1e-3f);
  EXPECT_NEAR(matte.value().samples[2 * 24 + 21], 0.0f, 1e-3f);
}

// Found by fuzz_decode: a scan naming a Huffman table no DHT had defined yet. stb 2.27 never
// clears its tables, so it decoded with leftover memory (an index 16 million entries before the
// table). The walker now refuses a scan that uses an undefined table.
TEST(FuzzFindings, ScanUsingAnUndefinedHuffmanTableIsRefused) {
  ByteVector file = progressivePhoto();
  size_t sos = 0;
  for (size_t i = 0; i + 1 < file.size(); ++i) {
    if (file[i] == 0xFF && file[i + 1] == 0xDA) {
      sos = i;
      break;
    }
  }
  ASSERT_GT(sos, 0u);
  // FF DA, length, 3 components (id, tables) x 3, then Ss: a first DC scan, DC table 0 first.
  ASSERT_EQ(file[sos + 6], 0x00);
  ASSERT_EQ(file[sos + 11], 0x00);
  file[sos + 6] = 0x33;  // its first component: DC table 3, which no DHT of the photo defines
  expectRejected(file, ErrorCode::kCorrupt, "DC Huffman table 3");
}

// Found by fuzz_decode: stb 2.27 reads a PNM header's numbers into an int digit by digit and
// overflowed on "4555555550". Ten digits or more is corrupt; nine still reach stb (which then
// refuses the size itself or reads the file).
TEST(FuzzFindings, PnmHeaderNumberOfTenDigitsIsRefused) {
  const std::string tooLong = "P6\n# a comment\n4555555550 2\n255\n";
  expectRejected(ByteVector(tooLong.begin(), tooLong.end()), ErrorCode::kCorrupt, "10 digits");
  std::string tiny = "P6 2 1 255\n";
  tiny.append(6, '\x80');
  Result<DecodedImage> ok = decodeImage(reinterpret_cast<const uint8_t*>(tiny.data()), tiny.size());
  ASSERT_TRUE(ok.ok()) << ok.status().reason();
  EXPECT_EQ(ok.value().image.width, 2);
  const std::string nineDigits = "P5 999999999 1 255\n";
  Result<DecodedImage> big = decodeImage(reinterpret_cast<const uint8_t*>(nineDigits.data()), nineDigits.size());
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().reason().find("digits"), std::string::npos) << "nine digits are stb's to judge";
}
