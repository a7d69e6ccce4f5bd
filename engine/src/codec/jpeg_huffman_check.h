// Internal: the JPEG Huffman tables, checked before stb_image reads them.
#pragma once

#include <cstddef>
#include <cstdint>

#include "defocus/status.h"

namespace defocus {

// Walks the whole marker stream of anything stb_image could take for a JPEG (FF.. D8 at the
// start), the headers and every segment between scans (progressive JPEGs put Huffman tables
// there), and checks every DHT segment: each table's class and id are valid, its code counts
// add up to at most 256 and its tables fill the segment exactly; and every scan decodes only
// with tables defined before it (stb never clears its tables). stb 2.27 (Debian's) trusts
// the counts and writes past its 256-entry arrays (fixed upstream in 2.28). Success for data
// that is not a JPEG.
Status checkJpegHuffmanTables(const uint8_t* data, size_t size);

}  // namespace defocus
