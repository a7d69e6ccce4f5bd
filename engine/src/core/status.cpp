#include "defocus/status.h"

namespace defocus {

const char* errorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return "ok";
    case ErrorCode::kEmptyInput: return "empty_input";
    case ErrorCode::kNotAnImage: return "not_an_image";
    case ErrorCode::kUnsupported: return "unsupported";
    case ErrorCode::kTruncated: return "truncated";
    case ErrorCode::kCorrupt: return "corrupt";
    case ErrorCode::kTooLarge: return "too_large";
    case ErrorCode::kOutOfMemory: return "out_of_memory";
    case ErrorCode::kInvalidArgument: return "invalid_argument";
  }
  return "unknown";
}

}  // namespace defocus
