// The two pixel containers of the engine:
//  - ImageRGBA8: interleaved 8-bit sRGB with straight alpha, as codecs and canvases use;
//  - ImagePlanar: one float plane per channel, the working format of every filter
//    (planes keep filters branch-free and let the compiler vectorise rows).
#pragma once

#include <cstddef>
#include <cstdint>

#include "defocus/buffer.h"
#include "defocus/status.h"

namespace defocus {

// Largest side accepted anywhere; keeps index arithmetic inside int.
constexpr int kMaxImageSide = 1 << 20;

// Checks width/height/channels and that width*height*channels*elementSize fits in size_t.
Status checkImageShape(int width, int height, int channels, size_t elementSize);

struct ImageRGBA8 {
  int width = 0;
  int height = 0;
  Bytes pixels;  // width * height * 4 bytes, rows top to bottom (create() reserves one more a
                 // row, so encodePngConsuming filters the rows in place without moving them)

  static Result<ImageRGBA8> create(int width, int height);
  // Copies caller-owned pixels after checking that size == width * height * 4.
  static Result<ImageRGBA8> fromPixels(const uint8_t* data, size_t size, int width, int height);

  uint8_t* row(int y) { return pixels.data() + static_cast<size_t>(y) * width * 4; }
  const uint8_t* row(int y) const { return pixels.data() + static_cast<size_t>(y) * width * 4; }
};

struct ImagePlanar {
  int width = 0;
  int height = 0;
  int channels = 0;
  Buffer<float> samples;  // channels planes of width * height floats

  static Result<ImagePlanar> create(int width, int height, int channels);

  size_t planeSize() const { return static_cast<size_t>(width) * height; }
  float* plane(int c) { return samples.data() + c * planeSize(); }
  const float* plane(int c) const { return samples.data() + c * planeSize(); }
};

// Rows [from, to) of an image, for a filter asked for part of its result (to 0: every row).
struct RowRange {
  int from = 0, to = 0;
  int end(int height) const { return to > 0 ? to : height; }
  bool all(int height) const { return from == 0 && end(height) == height; }
};

// A copy of every plane.
Result<ImagePlanar> copyPlanes(const ImagePlanar& image);

// The width x height rectangle of every plane from (x0, y0) (inside the image), and the way
// back: a part's planes written into `into` at (x0, y0).
Result<ImagePlanar> cropPlanes(const ImagePlanar& image, int x0, int y0, int width, int height);
void pastePlanes(const ImagePlanar& part, int x0, int y0, ImagePlanar& into);

// An ImagePlanar that holds pixels and whose planes match its size; the check every filter
// makes on its input.
Status checkPlanes(const ImagePlanar& image);

}  // namespace defocus
