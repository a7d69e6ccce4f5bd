// Internal: the check the motion and radial blurs make on a map of streak lengths.
#pragma once

#include <cstddef>
#include <string>

#include "defocus/motion_blur.h"
#include "defocus/status.h"

namespace defocus {

// Every map[i] * scale must be a length in 0..kMaxDirectionalLength pixels (NaN is not);
// *largest receives the largest map value.
inline Status checkLengthMap(const float* map, size_t count, float scale, float* largest) {
  float top = 0;
  for (size_t i = 0; i < count; ++i) {
    if (!(map[i] >= 0 && map[i] * scale <= kMaxDirectionalLength)) {
      return {ErrorCode::kInvalidArgument, "length map values must give lengths in 0.." +
                                               std::to_string(static_cast<int>(kMaxDirectionalLength)) + " pixels"};
    }
    top = map[i] > top ? map[i] : top;
  }
  *largest = top;
  return Status::success();
}

}  // namespace defocus
