#include "codec/pnm_header_check.h"

#include <string>

namespace defocus {
namespace {

bool isPnmSpace(uint8_t c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

}  // namespace

Status checkPnmHeaderNumbers(const uint8_t* data, size_t size) {
  if (size < 2 || data[0] != 'P' || (data[1] != '5' && data[1] != '6')) return Status::success();
  size_t at = 2;
  for (int field = 0; field < 3; ++field) {  // width, height, maxval, as stb reads them
    for (;;) {  // whitespace, and comments from '#' to the end of the line
      while (at < size && isPnmSpace(data[at])) ++at;
      if (at >= size || data[at] != '#') break;
      while (at < size && data[at] != '\n' && data[at] != '\r') ++at;
    }
    size_t digits = 0;
    while (at < size && data[at] >= '0' && data[at] <= '9') ++at, ++digits;
    if (digits >= 10) return {ErrorCode::kCorrupt, "pnm header has a number of " + std::to_string(digits) + " digits"};
    if (digits == 0) break;  // stb reads 0 and refuses the file itself
  }
  return Status::success();
}

}  // namespace defocus
