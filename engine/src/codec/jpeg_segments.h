// Internal: walking the marker segments of a JPEG file.
#pragma once

#include <cstddef>
#include <cstdint>

namespace defocus {

// Calls visit(marker, payload, length) for each length-carrying segment from SOI up to and
// including the first SOS, stopping early when visit returns false. Returns the offset just
// past the first SOS header, or 0 if the file is not a JPEG or ends before an SOS.
template <typename Visit>
size_t forEachJpegHeaderSegment(const uint8_t* data, size_t size, Visit visit) {
  if (size < 4 || data[0] != 0xFF || data[1] != 0xD8) return 0;
  size_t at = 2;
  while (at + 4 <= size) {
    if (data[at] != 0xFF) return 0;
    const uint8_t marker = data[at + 1];
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {  // no length field
      at += 2;
      continue;
    }
    const size_t length = static_cast<size_t>(data[at + 2]) << 8 | data[at + 3];
    if (length < 2 || at + 2 + length > size) return 0;
    if (!visit(marker, data + at + 4, length - 2)) return 0;
    at += 2 + length;
    if (marker == 0xDA) return at;
  }
  return 0;
}

// True when, after the first scan header, the file reaches an EOI marker. Inside
// entropy-coded data every 0xFF byte is followed by 0x00 or a marker, so 0xFF 0xD9
// can only be the real end of image.
inline bool jpegHasEndOfImage(const uint8_t* data, size_t size) {
  const size_t scan = forEachJpegHeaderSegment(data, size, [](uint8_t, const uint8_t*, size_t) { return true; });
  if (scan == 0) return false;
  for (size_t i = scan; i + 1 < size; ++i) {
    if (data[i] == 0xFF && data[i + 1] == 0xD9) return true;
  }
  return false;
}

}  // namespace defocus
