#include "defocus/alpha16.h"

#include <cmath>

namespace defocus {

Result<Alpha16> Alpha16::fromPlane(const ImagePlanar& matte) {
  if (matte.channels < 1 || matte.samples.size() < matte.planeSize()) return invalidArgument("matte has no plane");
  Alpha16 out;
  out.width = matte.width, out.height = matte.height;
  if (!out.steps.resize(matte.planeSize())) return outOfMemory("for the matte");
  const float* a = matte.plane(0);
  for (size_t i = 0; i < matte.planeSize(); ++i) {
    const float v = a[i] > 0.0f ? (a[i] < 1.0f ? a[i] : 1.0f) : 0.0f;  // NaN fails a[i] > 0: 0
    out.steps[i] = static_cast<uint16_t>(v * 65535.0f + 0.5f);
  }
  return out;
}

Result<ImagePlanar> Alpha16::toPlane() const {
  Result<ImagePlanar> out = ImagePlanar::create(width, height, 1);
  if (!out.ok()) return out;
  float* a = out.value().plane(0);
  for (size_t i = 0; i < out.value().planeSize(); ++i) a[i] = alphaOfStep(steps[i]);
  return out;
}

}  // namespace defocus
