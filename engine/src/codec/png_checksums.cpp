#include "codec/png_checksums.h"

#include <stb_image.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace defocus {
namespace {

uint32_t readBigEndian32(const uint8_t* p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}

std::array<uint32_t, 256> makeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;  // PNG / zlib polynomial
    table[n] = c;
  }
  return table;
}

bool isType(const uint8_t* chunk, const char* type) { return std::memcmp(chunk + 4, type, 4) == 0; }

// Calls visit(chunk) for every whole chunk after the signature until IEND or the end.
template <typename Visit>
void forEachChunk(const uint8_t* data, size_t size, Visit visit) {
  size_t at = 8;
  while (at + 12 <= size) {
    const size_t length = readBigEndian32(data + at);
    if (length > size - at - 12) return;
    if (!visit(data + at, length)) return;
    if (isType(data + at, "IEND")) return;
    at += 12 + length;
  }
}

}  // namespace

uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc) {
  static const std::array<uint32_t, 256> table = makeCrcTable();
  crc = ~crc;
  for (size_t i = 0; i < size; ++i) crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

uint32_t adler32(const uint8_t* data, size_t size) {
  uint32_t a = 1, b = 0;
  while (size > 0) {
    // 5552 bytes is the most that cannot overflow b before the modulo (zlib's NMAX).
    const size_t n = size < 5552 ? size : 5552;
    for (size_t i = 0; i < n; ++i) a += data[i], b += a;
    a %= 65521, b %= 65521;
    data += n, size -= n;
  }
  return b << 16 | a;
}

Status checkPngChunkCrcs(const uint8_t* data, size_t size) {
  Status status;
  forEachChunk(data, size, [&](const uint8_t* chunk, size_t length) {
    const bool critical = (chunk[4] & 0x20) == 0;  // upper-case first letter
    if (!critical && !isType(chunk, "tRNS")) return true;
    const uint32_t stored = readBigEndian32(chunk + 8 + length);
    if (crc32(chunk + 4, 4 + length) == stored) return true;
    // The type is named only when it is letters (which a critical type must be to get here
    // unless damaged): a reason is one printable line.
    std::string type = "a";
    if (std::all_of(chunk + 4, chunk + 8, [](uint8_t c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; })) {
      type = "the " + std::string(reinterpret_cast<const char*>(chunk + 4), 4);
    }
    status = Status{ErrorCode::kCorrupt, "png: " + type + " chunk fails its CRC check (damaged file)"};
    return false;
  });
  return status;
}

Status checkPngAdler(const uint8_t* data, size_t size, size_t expectedBytes) {
  std::vector<uint8_t> stream;
  bool apple = false;  // Apple's CgBI PNGs hold raw deflate data: no zlib header, no Adler-32
  forEachChunk(data, size, [&](const uint8_t* chunk, size_t length) {
    if (isType(chunk, "CgBI")) apple = true;
    if (isType(chunk, "IDAT")) stream.insert(stream.end(), chunk + 8, chunk + 8 + length);
    return true;
  });
  if (apple || stream.size() < 6 || stream.size() > INT32_MAX) return Status::success();  // stb decides
  int inflated = 0;
  const int hint = static_cast<int>(std::min<size_t>(std::max<size_t>(expectedBytes, 1), INT32_MAX / 2));
  char* out = stbi_zlib_decode_malloc_guesssize_headerflag(reinterpret_cast<const char*>(stream.data()),
                                                           static_cast<int>(stream.size()), hint, &inflated, 1);
  if (!out) return Status::success();  // stb's own decode reports the damage
  const uint32_t sum = adler32(reinterpret_cast<const uint8_t*>(out), static_cast<size_t>(inflated));
  std::free(out);
  if (sum != readBigEndian32(stream.data() + stream.size() - 4)) {
    return Status{ErrorCode::kCorrupt, "png image data fails its zlib Adler-32 check (damaged file)"};
  }
  return Status::success();
}

}  // namespace defocus
