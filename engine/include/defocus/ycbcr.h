// A JPEG's planes as a platform decoder hands them out before any colour conversion
// (WebCodecs' ImageDecoder frames: I420, I422, I444), made into RGBA as libjpeg makes them.
// A browser's own conversion of those frames (libyuv) repeats each chroma sample over its
// 2 x 2 pixels; libjpeg, stb and the browser's bitmaps interpolate them.
#pragma once

#include <cstddef>
#include <cstdint>

#include "defocus/image.h"

namespace defocus {

struct YCbCrPlanes {
  int width = 0;            // the picture, as luma
  int height = 0;
  int chromaShiftX = 0;     // 1: chroma at half the width (4:2:2 and 4:2:0)
  int chromaShiftY = 0;     // 1: chroma at half the height (4:2:0)
  const uint8_t* y = nullptr;
  const uint8_t* cb = nullptr;
  const uint8_t* cr = nullptr;
  size_t yStride = 0;       // bytes from one row to the next
  size_t chromaStride = 0;
};

// Chroma planes' size for a picture: the luma size halved, rounded up, on each shifted axis.
inline int chromaSide(int side, int shift) { return (side + shift) >> shift; }

// Room for the three planes of a width x height picture, one after another, rows packed:
// what a decoder writes into (WebCodecs' copyTo with planeOffset/Stride as given here).
struct YCbCrImage {
  int width = 0;
  int height = 0;
  int chromaShiftX = 0;
  int chromaShiftY = 0;
  Bytes bytes;

  static Result<YCbCrImage> create(int width, int height, int chromaShiftX, int chromaShiftY);
  size_t chromaOffset(int plane) const;  // plane 1 (Cb) or 2 (Cr); plane 0 starts at 0
  int chromaWidth() const { return chromaSide(width, chromaShiftX); }
  int chromaHeight() const { return chromaSide(height, chromaShiftY); }
  YCbCrPlanes planes() const;
};

// Fills `out` (planes.width x planes.height, alpha 255): chroma brought to full size with
// libjpeg's "fancy" upsampling (each output sample 3/4 its nearer chroma sample and 1/4 the
// next farther one, on each halved axis) and turned to RGB with JFIF's full-range BT.601,
// both in libjpeg's fixed point, so the pixels are those of libjpeg-turbo's own decode.
// Rows are shared among `threads`.
Status ycbcrToRgba(const YCbCrPlanes& planes, ImageRGBA8& out, int threads);

}  // namespace defocus
