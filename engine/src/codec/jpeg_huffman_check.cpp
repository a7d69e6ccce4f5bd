#include "codec/jpeg_huffman_check.h"

#include <cstring>
#include <string>

namespace defocus {
namespace {

Status corrupt(const std::string& what) { return {ErrorCode::kCorrupt, "jpeg " + what}; }

// One DHT segment's payload: tables of [class << 4 | id] [16 code counts] [values].
Status checkDhtPayload(const uint8_t* p, size_t length) {
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
      Status ok = checkDhtPayload(data + at + 2, length - 2);
      if (!ok.ok()) return ok;
    }
    if (length > size - at) break;  // runs past the end: nothing follows it
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
