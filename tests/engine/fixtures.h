// Test-only builders: images with known content and files with known defects.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "defocus/image.h"

namespace fixtures {

using ByteVector = std::vector<uint8_t>;

// Path of a file under ../shared/testdata (or $DEFOCUS_TESTDATA).
std::string testdataPath(const std::string& relative);
ByteVector readFile(const std::string& path);
// A photo under testdata/photos in linear light (3 planes), resized to `width` wide;
// decoded once per name and width for the whole test run.
const defocus::ImagePlanar& photoLinear(const std::string& name, int width);
// A testdata photo ("people/hike_00000") and its hand-made alpha (.alpha.png beside it),
// resized to `width` wide (the alpha bilinearly: soft edges).
struct Scene {
  defocus::ImageRGBA8 photo;
  defocus::ImagePlanar matte;
};
Scene loadScene(const std::string& name, int width);
// PSNR in sRGB (values clipped to 0..1) between two images of the same size.
double psnrSrgb(const defocus::ImagePlanar& a, const defocus::ImagePlanar& b);
// A depth-like radius map: sharp at the bottom, growing to `top` px upwards, plus a smooth bump.
std::vector<float> depthLikeMap(int width, int height, float top);

// Four flat quadrants: top-left red, top-right green, bottom-left blue, bottom-right white.
defocus::ImageRGBA8 quadrantImage(int width, int height);
// Pseudo-random pixels (fixed seed), alpha included.
defocus::ImageRGBA8 noiseImage(int width, int height, uint32_t seed);

ByteVector toVector(const defocus::Bytes& bytes);
ByteVector encodeJpeg(const defocus::ImageRGBA8& image, int quality = 95);
ByteVector encodePng(const defocus::ImageRGBA8& image);
ByteVector encodeBmp(const defocus::ImageRGBA8& image);

// Inserts an APP1 Exif segment holding only IFD0 with an orientation tag, right after SOI.
ByteVector withExifOrientation(const ByteVector& jpeg, int orientation, bool bigEndian);

// A GIF with one frame per palette index image (each width*height indices into `palette`).
ByteVector makeGif(int width, int height, const std::vector<uint32_t>& paletteRgb,
                   const std::vector<std::vector<uint8_t>>& frames);

// A PNG signature + IHDR chunk (valid CRC) declaring the given size, then IEND.
ByteVector pngHeaderOnly(uint32_t width, uint32_t height);

uint32_t crc32(const uint8_t* data, size_t size);

}  // namespace fixtures
