// EXIF orientation (TIFF tag 0x0112): reading it from a JPEG and applying it to pixels.
#pragma once

#include <cstddef>
#include <cstdint>

#include "defocus/image.h"

namespace defocus {

// Orientation 1..8 from the first APP1 "Exif" segment before the image data;
// 1 when the file has none or the tag is malformed.
int readJpegOrientation(const uint8_t* data, size_t size);

// Returns the pixels as they should be displayed for an EXIF orientation 1..8
// (5..8 swap width and height). Any other value is an invalid argument.
Result<ImageRGBA8> applyOrientation(const ImageRGBA8& image, int orientation);

}  // namespace defocus
