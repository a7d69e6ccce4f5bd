// Internal: the checksums of a PNG, which stb_image skips. libpng and browsers refuse a
// critical chunk whose CRC is wrong; a damaged file must not decode into a plausible
// picture without a word.
#pragma once

#include <cstddef>
#include <cstdint>

#include "defocus/status.h"

namespace defocus {

// CRC-32 of every chunk stb uses for pixels (the critical ones, IHDR PLTE IDAT IEND, and
// tRNS). The file's chunks must be whole (pngIsComplete).
Status checkPngChunkCrcs(const uint8_t* data, size_t size);

// The zlib stream of the IDAT chunks inflated once more to check its Adler-32 (stb does not).
// expectedBytes: the inflated size the header implies, a hint for the buffer.
Status checkPngAdler(const uint8_t* data, size_t size, size_t expectedBytes);

uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc = 0);
uint32_t adler32(const uint8_t* data, size_t size);

}  // namespace defocus
