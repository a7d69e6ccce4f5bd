#include <stb_image.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "defocus/allocation_failure.h"
#include "defocus/codec.h"
#include "defocus/orientation.h"
#include "codec/format_sniff.h"
#include "codec/jpeg_huffman_check.h"
#include "codec/pnm_header_check.h"
#include "codec/jpeg_segments.h"
#include "codec/png_checksums.h"

namespace defocus {
namespace {

std::string megapixels(uint64_t pixels) {
  const uint64_t tenths = (pixels + 50'000) / 100'000;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " MP";
}

// The size of a PNG's inflated image data (filter byte + packed row, per row), from IHDR;
// a buffer-size hint only (interlaced images take a little more).
size_t pngInflatedSize(const uint8_t* data, size_t size) {
  uint32_t w = 0, h = 0;
  if (!pngHeaderSize(data, size, &w, &h) || size < 26) return 0;
  static const int kChannels[7] = {1, 0, 3, 1, 2, 0, 4};  // by colour type 0..6
  const int channels = data[25] <= 6 ? std::max(1, kChannels[data[25]]) : 4;
  const uint64_t rowBytes = 1 + (static_cast<uint64_t>(w) * channels * data[24] + 7) / 8;  // < 2^43
  const uint64_t cap = SIZE_MAX / 2;
  return static_cast<size_t>(h && rowBytes > cap / h ? cap : rowBytes * h);
}

bool stbSays(const char* reason, const char* words) { return reason && std::strstr(reason, words); }

// stb reports a short reason string; classify it into the engine's codes.
Status classifyStbFailure(const char* format, const char* reason) {
  const std::string what = std::string(format) + " decode failed: " + (reason ? reason : "unknown error");
  if (stbSays(reason, "outofmem")) return {ErrorCode::kOutOfMemory, "out of memory decoding the " + std::string(format)};
  if (stbSays(reason, "too large")) return {ErrorCode::kTooLarge, what};
  if (stbSays(reason, "unknown image type")) return {ErrorCode::kNotAnImage, "not an image (unrecognised data)"};
  if (stbSays(reason, "not supported") || stbSays(reason, "unsupported")) return {ErrorCode::kUnsupported, what};
  return {ErrorCode::kCorrupt, what};
}

}  // namespace

Result<ImageInfo> probeImage(const uint8_t* data, size_t size) {
  if (!data || size == 0) return Status{ErrorCode::kEmptyInput, "empty input (0 bytes)"};
  const SniffedFormat sniffed = sniffFormat(data, size);
  if (sniffed.name && !sniffed.decodable) {
    return Status{ErrorCode::kUnsupported, std::string(sniffed.name) + " is not supported by the engine's decoder"};
  }
  if (size > INT32_MAX) return Status{ErrorCode::kTooLarge, "file larger than 2 GB"};
  // Before stb reads any header: its JPEG reader trusts the Huffman tables' code counts.
  Status tables = checkJpegHuffmanTables(data, size);
  if (!tables.ok()) return tables;
  Status pnm = checkPnmHeaderNumbers(data, size);
  if (!pnm.ok()) return pnm;
  // stb 2.27 converts a 16-bit PNM's samples as 8-bit ones, then reads twice the buffer
  // converting them to 8 bits (found by fuzz_decode; fixed in stb 2.28): refused here.
  if (sniffed.name && std::strcmp(sniffed.name, "pnm") == 0 && stbi_is_16_bit_from_memory(data, static_cast<int>(size))) {
    return Status{ErrorCode::kUnsupported, "16-bit PNM (maxval above 255) is not supported by the engine's decoder"};
  }
  ImageInfo info;
  const uint64_t failedBefore = failedAllocationCount();
  if (!stbi_info_from_memory(data, static_cast<int>(size), &info.width, &info.height, &info.channels)) {
    // stb folds a failed allocation into "not this format": ask the allocator instead.
    if (failedAllocationCount() != failedBefore) return Status{ErrorCode::kOutOfMemory, "out of memory reading the header"};
    if (!sniffed.name) return Status{ErrorCode::kNotAnImage, "not an image (unrecognised data)"};
    uint32_t w = 0, h = 0;
    if (std::strcmp(sniffed.name, "png") == 0 && pngHeaderSize(data, size, &w, &h) && w > 0 && h > 0) {
      // stb refuses sizes it could never decode; report them, the limit check names them.
      info.width = static_cast<int>(std::min<uint32_t>(w, INT32_MAX));
      info.height = static_cast<int>(std::min<uint32_t>(h, INT32_MAX));
      info.format = "png";
      return info;
    }
    // A known signature whose header cannot be read: cut short or damaged.
    const bool shortFile = size < 64;
    return Status{shortFile ? ErrorCode::kTruncated : ErrorCode::kCorrupt,
                  std::string(sniffed.name) + (shortFile ? " file ends inside its header" : " header is damaged")};
  }
  info.format = sniffed.name ? sniffed.name : "tga";
  return info;
}

Result<ImageInfo> inspectImage(const uint8_t* data, size_t size, const DecodeOptions& options) {
  Result<ImageInfo> probed = probeImage(data, size);
  if (!probed.ok()) return probed.status();
  ImageInfo info = probed.take();

  const uint64_t pixels = static_cast<uint64_t>(info.width) * info.height;
  if (pixels > options.maxPixels) {
    return Status{ErrorCode::kTooLarge, std::to_string(info.width) + "x" + std::to_string(info.height) + " (" +
                                            megapixels(pixels) + ") exceeds the " + megapixels(options.maxPixels) +
                                            " limit"};
  }
  Status shape = checkImageShape(info.width, info.height, 4, 1);
  if (!shape.ok()) return shape;
  if (info.format == "jpeg" && !jpegHasEndOfImage(data, size)) {
    return Status{ErrorCode::kTruncated, "jpeg is truncated (no end-of-image marker)"};
  }
  if (info.format == "png" && !pngIsComplete(data, size)) {
    return Status{ErrorCode::kTruncated, "png is truncated (ends inside a chunk or before IEND)"};
  }
  if (info.format == "png") {
    Status sums = checkPngChunkCrcs(data, size);
    if (sums.ok()) sums = checkPngAdler(data, size, pngInflatedSize(data, size));
    if (!sums.ok()) return sums;
  }
  if (info.format == "jpeg") info.orientation = readJpegOrientation(data, size);
  return info;
}

Result<DecodedImage> decodeImage(const uint8_t* data, size_t size, const DecodeOptions& options) {
  Result<ImageInfo> inspected = inspectImage(data, size, options);
  if (!inspected.ok()) return inspected.status();
  const ImageInfo& info = inspected.value();

  int w = 0, h = 0, channels = 0;
  const uint64_t failedBefore = failedAllocationCount();
  stbi_uc* pixelsOut = stbi_load_from_memory(data, static_cast<int>(size), &w, &h, &channels, 4);
  if (!pixelsOut && failedAllocationCount() != failedBefore) {
    return Status{ErrorCode::kOutOfMemory, "out of memory decoding the " + info.format};
  }
  if (!pixelsOut) return classifyStbFailure(info.format.c_str(), stbi_failure_reason());

  DecodedImage decoded;
  decoded.format = info.format;
  decoded.image.width = w;
  decoded.image.height = h;
  decoded.image.pixels = Bytes::adopt(pixelsOut, static_cast<size_t>(w) * h * 4);
  decoded.orientation = info.orientation;
  if (options.applyOrientation && decoded.orientation != 1) {
    Result<ImageRGBA8> upright = applyOrientation(decoded.image, decoded.orientation);
    if (!upright.ok()) return upright.status();
    decoded.image = upright.take();
  }
  return decoded;
}

}  // namespace defocus
