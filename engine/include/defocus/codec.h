// Image decoding (stb_image: JPEG, PNG, BMP, GIF first frame, TGA, PSD, PNM, HDR)
// and encoding (stb_image_write: PNG, JPEG) to and from ImageRGBA8.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "defocus/image.h"

namespace defocus {

constexpr uint64_t kDefaultMaxPixels = 100'000'000;  // 100 MP

struct DecodeOptions {
  uint64_t maxPixels = kDefaultMaxPixels;  // checked from the header, before allocating
  bool applyOrientation = true;            // honour JPEG EXIF orientation
};

struct DecodedImage {
  ImageRGBA8 image;      // upright when applyOrientation is set
  std::string format;    // "jpeg", "png", ...
  int orientation = 1;   // the EXIF value found in the file
};

Result<DecodedImage> decodeImage(const uint8_t* data, size_t size, const DecodeOptions& options = {});

// Dimensions and format from the header alone (no pixel allocation).
struct ImageInfo {
  int width = 0;
  int height = 0;
  std::string format;
};
Result<ImageInfo> probeImage(const uint8_t* data, size_t size);

Result<Bytes> encodePng(const ImageRGBA8& image);
// quality 1..100; alpha is dropped (JPEG has none).
Result<Bytes> encodeJpeg(const ImageRGBA8& image, int quality);

}  // namespace defocus
