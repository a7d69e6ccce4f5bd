// Internal: naming a file's format from its first bytes, and checking that the
// container of a PNG or JPEG is complete before pixels are decoded.
#pragma once

#include <cstddef>
#include <cstdint>

namespace defocus {

struct SniffedFormat {
  const char* name;   // "jpeg", "png", "webp", ... or nullptr when unknown
  bool decodable;     // the engine's decoder reads it
};

SniffedFormat sniffFormat(const uint8_t* data, size_t size);

// PNG: dimensions from the IHDR chunk (stb's probe refuses sizes it could not decode,
// and its reason gets lost; the engine's own limit check needs the numbers).
bool pngHeaderSize(const uint8_t* data, size_t size, uint32_t* width, uint32_t* height);

// PNG: every chunk is whole and an IEND chunk is reached.
bool pngIsComplete(const uint8_t* data, size_t size);

}  // namespace defocus
