// Internal: a PNM header's numbers, checked before stb_image reads them.
#pragma once

#include <cstddef>
#include <cstdint>

#include "defocus/status.h"

namespace defocus {

// stb 2.27 reads a PNM's width, height and maxval digit by digit into an int and overflows
// (undefined behaviour) on a number of 10 digits or more: found by fuzz_decode. Such a header
// is corrupt here (no real PNM has a side or maxval over 9 digits). Success for anything else.
Status checkPnmHeaderNumbers(const uint8_t* data, size_t size);

}  // namespace defocus
