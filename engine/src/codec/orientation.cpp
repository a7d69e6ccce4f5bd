#include "defocus/orientation.h"

#include <cstring>
#include <string>

#include "codec/jpeg_segments.h"

namespace defocus {
namespace {

uint16_t read16(const uint8_t* p, bool bigEndian) {
  return bigEndian ? static_cast<uint16_t>(p[0] << 8 | p[1]) : static_cast<uint16_t>(p[1] << 8 | p[0]);
}

uint32_t read32(const uint8_t* p, bool bigEndian) {
  return bigEndian ? (uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3])
                   : (uint32_t(p[3]) << 24 | uint32_t(p[2]) << 16 | uint32_t(p[1]) << 8 | p[0]);
}

// Orientation from a TIFF structure (the payload of an Exif APP1 after "Exif\0\0").
int tiffOrientation(const uint8_t* tiff, size_t size) {
  if (size < 8) return 1;
  bool bigEndian;
  if (tiff[0] == 'M' && tiff[1] == 'M') bigEndian = true;
  else if (tiff[0] == 'I' && tiff[1] == 'I') bigEndian = false;
  else return 1;
  if (read16(tiff + 2, bigEndian) != 42) return 1;
  const uint32_t ifd = read32(tiff + 4, bigEndian);
  if (ifd > size - 2) return 1;
  const uint32_t entries = read16(tiff + ifd, bigEndian);
  for (uint32_t e = 0; e < entries; ++e) {
    const size_t at = ifd + 2 + static_cast<size_t>(e) * 12;
    if (at + 12 > size) return 1;
    const uint8_t* entry = tiff + at;
    if (read16(entry, bigEndian) != 0x0112) continue;
    const uint16_t type = read16(entry + 2, bigEndian);  // 3 = SHORT
    const uint32_t count = read32(entry + 4, bigEndian);
    if (type != 3 || count < 1) return 1;
    const int value = read16(entry + 8, bigEndian);
    return value >= 1 && value <= 8 ? value : 1;
  }
  return 1;
}

}  // namespace

int readJpegOrientation(const uint8_t* data, size_t size) {
  int orientation = 1;
  forEachJpegHeaderSegment(data, size, [&](uint8_t marker, const uint8_t* payload, size_t length) {
    if (marker == 0xE1 && length >= 6 && std::memcmp(payload, "Exif\0\0", 6) == 0) {
      orientation = tiffOrientation(payload + 6, length - 6);
      return false;  // the first Exif segment is the one that counts
    }
    return true;
  });
  return orientation;
}

Result<ImageRGBA8> applyOrientation(const ImageRGBA8& image, int orientation) {
  if (orientation < 1 || orientation > 8) {
    return Status{ErrorCode::kInvalidArgument, "orientation must be 1..8, got " + std::to_string(orientation)};
  }
  const int w = image.width;
  const int h = image.height;
  const bool swap = orientation >= 5;
  Result<ImageRGBA8> out = ImageRGBA8::create(swap ? h : w, swap ? w : h);
  if (!out.ok()) return out;
  ImageRGBA8& o = out.value();
  const uint32_t* src = reinterpret_cast<const uint32_t*>(image.pixels.data());
  for (int y = 0; y < o.height; ++y) {
    uint32_t* dst = reinterpret_cast<uint32_t*>(o.row(y));
    for (int x = 0; x < o.width; ++x) {
      int sx = x, sy = y;  // source pixel shown at display position (x, y)
      switch (orientation) {
        case 2: sx = w - 1 - x; break;                    // mirrored horizontally
        case 3: sx = w - 1 - x; sy = h - 1 - y; break;    // rotated 180
        case 4: sy = h - 1 - y; break;                    // mirrored vertically
        case 5: sx = y; sy = x; break;                    // transposed
        case 6: sx = y; sy = h - 1 - x; break;            // needs 90 clockwise
        case 7: sx = w - 1 - y; sy = h - 1 - x; break;    // transversed
        case 8: sx = w - 1 - y; sy = x; break;            // needs 90 counter-clockwise
        default: break;
      }
      dst[x] = src[static_cast<size_t>(sy) * w + sx];
    }
  }
  return out;
}

}  // namespace defocus
