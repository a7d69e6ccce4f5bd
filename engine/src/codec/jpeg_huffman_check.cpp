#include "codec/jpeg_huffman_check.h"

#include <cstring>
#include <string>

namespace defocus {
namespace {

Status corrupt(const std::string& what) { return {ErrorCode::kCorrupt, "jpeg " + what}; }

// Which Huffman tables the segments so far defined: [class: 0 DC, 1 AC][id].
using DefinedTables = bool[2][4];

// One DHT segment's payload: tables of [class << 4 | id] [16 code counts] [values].
Status checkDhtPayload(const uint8_t* p, size_t length, DefinedTables& defined) {
  size_t at = 0;
  while (at < length) {
    if (length - at < 17) return corrupt("Huffman table is cut short by its segment");
    const int tableClass = p[at] >> 4, id = p[at] & 15;
    if (tableClass > 1 || id > 3) return corrupt("Huffman table has class " + std::to_string(tableClass) + ", id " + std::to_string(id));
    size_t codes = 0;
    for (int i = 1; i <= 16; ++i) codes += p[at + i];
    if (codes > 256) return corrupt("Huffman table declares " + std::to_string(codes) + " codes (at most 256)");
    at += 17;
    if (length - at < codes) return corrupt("Huffman table is cut short by its segment");
    at += codes;
    defined[tableClass][id] = true;
  }
  return Status::success();
}

// A scan header (SOS payload): every table its components decode with must be defined by
// then. stb 2.27 keeps its tables in memory it never clears, so a scan naming one no DHT
// defined decodes with whatever was there before (a fuzz_decode finding: an index 16 million
// entries before the table). Which tables a scan uses: baseline, both; progressive, the DC
// table in a first DC scan (refinement reads raw bits) and the AC table in an AC scan.
Status checkScanTables(const uint8_t* p, size_t length, bool progressive, const DefinedTables& defined) {
  if (length < 1) return Status::success();  // stb refuses it itself
  const size_t components = p[0];
  if (length < 1 + 2 * components + 3) return Status::success();
  const int spectralStart = p[1 + 2 * components], approximationHigh = p[3 + 2 * components] >> 4;
  for (size_t c = 0; c < components; ++c) {
    const int dc = p[2 + 2 * c] >> 4, ac = p[2 + 2 * c] & 15;
    const bool usesDc = !progressive || (spectralStart == 0 && approximationHigh == 0);
    const bool usesAc = !progressive || spectralStart > 0;
    if (usesDc && dc < 4 && !defined[0][dc]) return corrupt("scan uses DC Huffman table " + std::to_string(dc) + " before any defines it");
    if (usesAc && ac < 4 && !defined[1][ac]) return corrupt("scan uses AC Huffman table " + std::to_string(ac) + " before any defines it");
  }
  return Status::success();
}

}  // namespace

Status checkJpegHuffmanTables(const uint8_t* data, size_t size) {
  // stb's marker reader: one 0xFF, any fill bytes 0xFF, then the marker.
  size_t at = 0;
  while (at < size && data[at] == 0xFF) ++at;
  if (at == 0 || at >= size || data[at] != 0xD8) return Status::success();  // not a JPEG to stb
  ++at;
  DefinedTables defined = {};
  bool progressive = false;
  // Between segments stb skips stray bytes looking for the next 0xFF; so does this walk (being
  // more lenient than stb only means checking more).
  while (at < size) {
    if (data[at] != 0xFF) {
      ++at;
      continue;
    }
    while (at < size && data[at] == 0xFF) ++at;
    if (at >= size) break;
    const uint8_t marker = data[at++];
    if (marker == 0xD9) break;  // EOI: stb reads no further
    if (marker == 0x00 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) continue;  // no length
    if (size - at < 2) {
      if (marker == 0xC4) return {ErrorCode::kTruncated, "jpeg ends inside a Huffman table"};
      break;
    }
    const size_t length = static_cast<size_t>(data[at]) << 8 | data[at + 1];
    if (length < 2) continue;  // stb gives up on it
    if (marker == 0xC4) {
      if (length > size - at) return {ErrorCode::kTruncated, "jpeg ends inside a Huffman table"};
      Status ok = checkDhtPayload(data + at + 2, length - 2, defined);
      if (!ok.ok()) return ok;
    }
    if (marker == 0xC2) progressive = true;
    if (length > size - at) break;  // runs past the end: nothing follows it
    if (marker == 0xDA) {
      Status ok = checkScanTables(data + at + 2, length - 2, progressive, defined);
      if (!ok.ok()) return ok;
    }
    at += length;
    if (marker == 0xDA) {
      // Entropy-coded data: 0xFF is followed only by 0x00 (a stuffed byte) or a restart
      // marker; anything else is the next marker.
      for (;;) {
        const void* ff = std::memchr(data + at, 0xFF, size - at);
        if (!ff) return Status::success();
        at = static_cast<size_t>(static_cast<const uint8_t*>(ff) - data);
        if (at + 1 >= size) return Status::success();
        const uint8_t next = data[at + 1];
        if (next != 0x00 && !(next >= 0xD0 && next <= 0xD7)) break;
        at += 2;
      }
    }
  }
  return Status::success();
}

}  // namespace defocus
