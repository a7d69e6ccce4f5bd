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
  int width = 0;          // as stored, before EXIF orientation
  int height = 0;
  std::string format;
  int channels = 0;       // in the file (2 and 4 carry alpha); 0 when the header did not say
  int orientation = 1;    // EXIF orientation (inspectImage only)
};
Result<ImageInfo> probeImage(const uint8_t* data, size_t size);

// Everything decodeImage checks before it decodes a pixel: the header, the size limit
// (the decompression-bomb guard), a complete file, PNG checksums. Another decoder (a
// browser's) may then read the pixels: a bad file gets the engine's one-line reason
// whichever decoder would have read it.
Result<ImageInfo> inspectImage(const uint8_t* data, size_t size, const DecodeOptions& options = {});

Result<Bytes> encodePng(const ImageRGBA8& image);
// The same PNG from an image given up: its rows are filtered in place (no filtered copy, 4
// bytes a pixel less at the peak), then the image is freed before the file is assembled.
Result<Bytes> encodePngConsuming(ImageRGBA8&& image);
// quality 1..100; alpha is dropped (JPEG has none).
Result<Bytes> encodeJpeg(const ImageRGBA8& image, int quality);

}  // namespace defocus
