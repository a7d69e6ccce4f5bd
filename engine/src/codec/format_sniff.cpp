#include "codec/format_sniff.h"

#include <cstring>

namespace defocus {
namespace {

bool startsWith(const uint8_t* data, size_t size, const char* magic, size_t length, size_t at = 0) {
  return size >= at + length && std::memcmp(data + at, magic, length) == 0;
}

}  // namespace

SniffedFormat sniffFormat(const uint8_t* data, size_t size) {
  if (startsWith(data, size, "\xFF\xD8\xFF", 3)) return {"jpeg", true};
  if (startsWith(data, size, "\x89PNG\r\n\x1A\n", 8)) return {"png", true};
  if (startsWith(data, size, "GIF87a", 6) || startsWith(data, size, "GIF89a", 6)) return {"gif", true};
  if (startsWith(data, size, "BM", 2)) return {"bmp", true};
  if (startsWith(data, size, "8BPS", 4)) return {"psd", true};
  if (startsWith(data, size, "#?RADIANCE", 10) || startsWith(data, size, "#?RGBE", 6)) return {"hdr", true};
  if (size >= 2 && data[0] == 'P' && (data[1] == '5' || data[1] == '6')) return {"pnm", true};
  if (startsWith(data, size, "RIFF", 4) && startsWith(data, size, "WEBP", 4, 8)) return {"webp", false};
  if (startsWith(data, size, "ftyp", 4, 4)) {
    if (startsWith(data, size, "avif", 4, 8) || startsWith(data, size, "avis", 4, 8)) return {"avif", false};
    return {"heic", false};
  }
  if (startsWith(data, size, "II*\0", 4) || startsWith(data, size, "MM\0*", 4)) return {"tiff", false};
  if (startsWith(data, size, "\xFF\x0A", 2) || startsWith(data, size, "\0\0\0\x0CJXL ", 8)) return {"jxl", false};
  return {nullptr, false};  // TGA has no signature: stb's probe decides
}

static uint32_t readBigEndian32(const uint8_t* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}

bool pngHeaderSize(const uint8_t* data, size_t size, uint32_t* width, uint32_t* height) {
  if (size < 24 || std::memcmp(data + 12, "IHDR", 4) != 0) return false;
  *width = readBigEndian32(data + 16);
  *height = readBigEndian32(data + 20);
  return true;
}

bool pngIsComplete(const uint8_t* data, size_t size) {
  size_t at = 8;
  while (at + 12 <= size) {
    const size_t length = readBigEndian32(data + at);
    if (length > size - at - 12) return false;  // chunk runs past the end
    if (std::memcmp(data + at + 4, "IEND", 4) == 0) return true;
    at += 12 + length;
  }
  return false;
}

}  // namespace defocus
