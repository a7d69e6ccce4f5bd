// A PNG written from an image the caller gives up: its rows are filtered in place, in its
// own pixel buffer, instead of into stb's filtered copy (4 bytes a pixel more at the
// encoder's peak: a 48 MP cutout's export needed the photo, the matte, the output and that
// copy at once). Same format choices as stb_image_write: RGBA8, one filter per row chosen
// by the smallest sum of |filtered byte| over the five, stb's zlib stream at level 8.
#include <climits>
#include <cstdlib>
#include <cstring>

#include "defocus/codec.h"
#include "codec/png_checksums.h"

namespace defocus {
namespace detail {
unsigned char* zlibCompress(const unsigned char* data, int size, int* outSize, int level);  // stb_impl.cpp
void freeZlib(unsigned char* stream);
}  // namespace detail

namespace {

uint8_t paeth(int a, int b, int c) {
  const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return static_cast<uint8_t>(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
}

// Row `cur` (n bytes, 4 a pixel) under filter `type` against the row above (`up`; zeros on
// the first row) into `line`; returns the sum of |byte as signed|, the choice's estimate.
long filterRow(int type, const uint8_t* cur, const uint8_t* up, size_t n, uint8_t* line) {
  for (size_t i = 0; i < n; ++i) {
    const int left = i >= 4 ? cur[i - 4] : 0, above = up[i], corner = i >= 4 ? up[i - 4] : 0;
    int predicted = 0;
    switch (type) {
      case 1: predicted = left; break;
      case 2: predicted = above; break;
      case 3: predicted = (left + above) >> 1; break;
      case 4: predicted = paeth(left, above, corner); break;
      default: break;
    }
    line[i] = static_cast<uint8_t>(cur[i] - predicted);
  }
  long sum = 0;
  for (size_t i = 0; i < n; ++i) sum += std::abs(static_cast<int>(static_cast<int8_t>(line[i])));
  return sum;
}

void put32(uint8_t* at, uint32_t v) {
  at[0] = static_cast<uint8_t>(v >> 24), at[1] = static_cast<uint8_t>(v >> 16), at[2] = static_cast<uint8_t>(v >> 8);
  at[3] = static_cast<uint8_t>(v);
}

// One chunk: length, type, data, CRC of type + data.
void putChunk(uint8_t*& at, const char* type, const uint8_t* data, uint32_t size) {
  put32(at, size);
  std::memcpy(at + 4, type, 4);
  if (size) std::memcpy(at + 8, data, size);
  put32(at + 8 + size, crc32(at + 4, 4 + static_cast<size_t>(size)));
  at += 12 + static_cast<size_t>(size);
}

}  // namespace

Result<Bytes> encodePngConsuming(ImageRGBA8&& image) {
  ImageRGBA8 img = std::move(image);  // used up whatever happens
  const int w = img.width, h = img.height;
  if (checkImageShape(w, h, 4, 1).ok() && img.pixels.size() == static_cast<size_t>(w) * h * 4) {
    const size_t row = static_cast<size_t>(w) * 4, filtered = (row + 1) * h;
    if (filtered > INT_MAX) return Status{ErrorCode::kTooLarge, "png rows above 2 GB are not written"};
    // One spare byte a row (ImageRGBA8::create reserves it, so this does not move the pixels).
    Bytes scratch;
    if (!img.pixels.resize(filtered) || !scratch.resize(3 * row)) return outOfMemory("encoding png");
    uint8_t* px = img.pixels.data();
    uint8_t *zero = scratch.data(), *line = zero + row, *best = line + row;
    std::memset(zero, 0, row);
    // Bottom up: row y's filtered bytes go to y * (row + 1), past its own start, so the rows
    // above it (which it and row y - 1 read) are still raw when they are read.
    for (int y = h - 1; y >= 0; --y) {
      const uint8_t* cur = px + static_cast<size_t>(y) * row;
      const uint8_t* up = y > 0 ? cur - row : zero;
      long bestSum = -1;
      int bestType = 0;
      for (int type = 0; type < 5; ++type) {
        const long sum = filterRow(type, cur, up, row, line);
        if (bestSum < 0 || sum < bestSum) bestSum = sum, bestType = type, std::swap(line, best);
      }
      uint8_t* to = px + static_cast<size_t>(y) * (row + 1);
      std::memmove(to + 1, best, row);
      to[0] = static_cast<uint8_t>(bestType);
    }
    scratch = Bytes{};
    int zlen = 0;
    unsigned char* zlib = detail::zlibCompress(px, static_cast<int>(filtered), &zlen, 8);
    img.pixels = Bytes{};  // the image goes before the file is assembled
    if (!zlib) return outOfMemory("encoding png");
    Bytes out;
    const bool sized = out.resize(8 + 12 + 13 + 12 + static_cast<size_t>(zlen) + 12);
    if (sized) {
      static const uint8_t signature[8] = {137, 80, 78, 71, 13, 10, 26, 10};
      uint8_t header[13];
      put32(header, static_cast<uint32_t>(w)), put32(header + 4, static_cast<uint32_t>(h));
      header[8] = 8, header[9] = 6, header[10] = header[11] = header[12] = 0;  // 8 bits, RGBA, deflate, no interlace
      uint8_t* at = out.data();
      std::memcpy(at, signature, 8);
      at += 8;
      putChunk(at, "IHDR", header, 13);
      putChunk(at, "IDAT", zlib, static_cast<uint32_t>(zlen));
      putChunk(at, "IEND", nullptr, 0);
    }
    detail::freeZlib(zlib);
    if (!sized) return outOfMemory("encoding png");
    return out;
  }
  return encodePng(img);  // its check gives the reason
}

}  // namespace defocus
