#include "defocus/matte_stabilizer.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace defocus {

Status checkStabilizeOptions(const StabilizeOptions& o) {
  if (!(o.minFollow > 0.0f && o.minFollow <= 1.0f)) return {ErrorCode::kInvalidArgument, "minFollow must be in (0, 1]"};
  if (!(o.noise >= 0.0f && o.noise < 1.0f)) return {ErrorCode::kInvalidArgument, "noise must be in [0, 1)"};
  if (!(o.span > 0.0f && o.span <= 1.0f)) return {ErrorCode::kInvalidArgument, "span must be in (0, 1]"};
  return {};
}

Status stabilizeMatte(ImagePlanar& state, const ImagePlanar& current, const StabilizeOptions& o) {
  if (Status s = checkStabilizeOptions(o); !s.ok()) return s;
  if (Status s = checkPlanes(current); !s.ok()) return s;
  if (current.channels != 1) return {ErrorCode::kInvalidArgument, "the probability must have one plane"};
  if (state.width == 0 && state.height == 0) {
    auto copy = ImagePlanar::create(current.width, current.height, 1);
    if (!copy.ok()) return copy.status();
    std::memcpy(copy.value().plane(0), current.plane(0), current.planeSize() * sizeof(float));
    state = copy.take();
    return {};
  }
  if (Status s = checkPlanes(state); !s.ok()) return s;
  if (state.width != current.width || state.height != current.height || state.channels != 1) {
    return {ErrorCode::kInvalidArgument, "the stabilised state and the new probability differ in size"};
  }
  float* out = state.plane(0);
  const float* in = current.plane(0);
  const float rise = (1.0f - o.minFollow) / o.span;
  for (size_t i = 0, n = state.planeSize(); i < n; ++i) {
    const float change = in[i] - out[i];
    const float follow = std::clamp(o.minFollow + (std::fabs(change) - o.noise) * rise, o.minFollow, 1.0f);
    out[i] += follow * change;
  }
  return {};
}

}  // namespace defocus
