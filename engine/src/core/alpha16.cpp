#include "defocus/alpha16.h"

#include <algorithm>
#include <cmath>

#include "core/row_runs.h"

namespace defocus {

Result<Alpha16> Alpha16::fromPlane(const ImagePlanar& matte, int threads) {
  if (matte.channels < 1 || matte.samples.size() < matte.planeSize()) return invalidArgument("matte has no plane");
  Alpha16 out;
  out.width = matte.width, out.height = matte.height;
  if (!out.steps.resize(matte.planeSize())) return outOfMemory("for the matte");
  const float* a = matte.plane(0);
  uint16_t* steps = out.steps.data();
  const size_t w = static_cast<size_t>(matte.width);
  Status ok = runRowRuns(matte.height, 64, threads, "out of memory for the matte", [&](int y0, int y1) {
    for (size_t i = y0 * w; i < y1 * w; ++i) {
      const float v = a[i] > 0.0f ? (a[i] < 1.0f ? a[i] : 1.0f) : 0.0f;  // NaN fails a[i] > 0: 0
      // Through int32 (0.5 .. 65535.5 truncates the same): the loop then vectorises.
      steps[i] = static_cast<uint16_t>(static_cast<int32_t>(v * 65535.0f + 0.5f));
    }
    return Status::success();
  });
  if (!ok.ok()) return ok;
  return out;
}

double Alpha16::mean() const {
  const size_t n = steps.size();
  if (n == 0) return 0;
  // In runs of 2^16 steps: each run's sum fits 32 bits, so the loop vectorises.
  uint64_t total = 0;
  for (size_t start = 0; start < n; start += 65536) {
    const size_t end = std::min(n, start + 65536);
    uint32_t sum = 0;
    for (size_t i = start; i < end; ++i) sum += steps.data()[i];
    total += sum;
  }
  return static_cast<double>(total) / 65535.0 / static_cast<double>(n);
}

Result<ImagePlanar> Alpha16::toPlane() const {
  Result<ImagePlanar> out = ImagePlanar::create(width, height, 1);
  if (!out.ok()) return out;
  float* a = out.value().plane(0);
  for (size_t i = 0; i < out.value().planeSize(); ++i) a[i] = alphaOfStep(steps[i]);
  return out;
}

}  // namespace defocus
