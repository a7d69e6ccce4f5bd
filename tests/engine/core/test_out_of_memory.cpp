// Out of memory is an answer: every allocation of an operation, failed one at a time with
// the hook of allocation_failure.h, ends that operation with kOutOfMemory (a Status, or
// std::bad_alloc from a standard container, which the wasm bindings turn into the same
// code) and never a crash; the same operation then gives its normal result again.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <cstdio>
#include <new>
#include <optional>
#include <string>

#include "defocus/allocation_failure.h"
#include "defocus/blur.h"
#include "defocus/codec.h"
#include "defocus/matte.h"
#include "defocus/render.h"
#include "defocus/resample.h"
#include "fixtures.h"

using namespace defocus;

namespace {

bool samePixels(const ImageRGBA8& a, const ImageRGBA8& b) {
  return a.width == b.width && a.height == b.height && a.pixels.size() == b.pixels.size() &&
         std::memcmp(a.pixels.data(), b.pixels.data(), a.pixels.size()) == 0;
}

bool sameSamples(const ImagePlanar& a, const ImagePlanar& b) {
  return a.width == b.width && a.height == b.height && a.channels == b.channels &&
         std::memcmp(a.samples.data(), b.samples.data(), a.planeSize() * a.channels * sizeof(float)) == 0;
}

struct SweepReport {
  uint64_t allocations = 0;  // the operation's own, counted on a clean run
  int failed = 0;            // runs that ended in kOutOfMemory or std::bad_alloc
};

// Fails allocation k of `op` for every k (at most `maxRuns` of them, evenly spread) and
// checks the answer; `same` compares a result with the clean run's.
template <typename T>
SweepReport sweep(const std::string& what, const std::function<Result<T>()>& op,
                  const std::function<bool(const T&, const T&)>& same, uint64_t maxRuns = 400) {
  SweepReport report;
  const uint64_t before = allocationCount();
  Result<T> clean = op();
  report.allocations = allocationCount() - before;
  EXPECT_TRUE(clean.ok()) << what << ": " << clean.status().reason();
  if (!clean.ok()) return report;
  EXPECT_GT(report.allocations, 0u) << what;
  const uint64_t step = std::max<uint64_t>(1, report.allocations / maxRuns);
  for (uint64_t k = 0; k < report.allocations; k += step) {
    failAllocationAfter(k);
    bool threw = false;
    std::optional<Result<T>> answer;
    try {
      answer.emplace(op());
    } catch (const std::bad_alloc&) {
      threw = true;
    }
    const bool fired = !allocationFailurePending();
    cancelAllocationFailure();
    if (threw) {
      ++report.failed;
    } else if (!answer->ok()) {
      EXPECT_EQ(answer->status().code(), ErrorCode::kOutOfMemory)
          << what << ", allocation " << k << " failed: " << answer->status().reason();
      EXPECT_TRUE(fired) << what << ", allocation " << k;
      ++report.failed;
    } else {
      // A failure the operation may absorb (none do today) must not change the result.
      EXPECT_TRUE(same(answer->value(), clean.value())) << what << ": allocation " << k << " failed silently";
    }
    // The next run, with memory back, is the normal one.
    Result<T> again = op();
    const bool recovered = again.ok() && same(again.value(), clean.value());
    EXPECT_TRUE(recovered) << what << " after failing allocation " << k << ": " << again.status().reason();
    if (!recovered) return report;
  }
  std::printf("%s: %llu allocations, %d failed runs answered out_of_memory\n", what.c_str(),
              static_cast<unsigned long long>(report.allocations), report.failed);
  return report;
}

ImagePlanar discMatte(int w, int h) {
  ImagePlanar m = ImagePlanar::create(w, h, 1).take();
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const float d = std::hypot(x - w * 0.5f, y - h * 0.55f);
      m.plane(0)[static_cast<size_t>(y) * w + x] = std::clamp(h * 0.3f - d, 0.0f, 1.0f);
    }
  }
  return m;
}

}  // namespace

TEST(OutOfMemory, HookFailsExactlyTheArmedAllocationOnce) {
  failAllocationAfter(2);
  EXPECT_TRUE(allocationFailurePending());
  Bytes a, b, c, d;
  EXPECT_TRUE(a.resize(10));
  EXPECT_TRUE(b.resize(10));
  EXPECT_FALSE(c.resize(10));  // the third
  EXPECT_FALSE(allocationFailurePending());
  EXPECT_TRUE(c.resize(10));   // once only
  failAllocationAfter(0);
  EXPECT_THROW((void)new std::string(100, 'x'), std::bad_alloc);  // operator new counts too
  failAllocationAfter(5);
  cancelAllocationFailure();
  EXPECT_TRUE(d.resize(10));
  EXPECT_FALSE(allocationFailurePending());
}

TEST(OutOfMemory, EveryAllocationOfARenderFailsCleanly) {
  const ImageRGBA8 photo = fixtures::noiseImage(48, 36, 7);
  const ImagePlanar matte = discMatte(48, 36);
  for (const char* style : {"lens", "gaussian", "motion", "radial"}) {
    RenderOptions options;
    ASSERT_TRUE(parseBlurStyle(style, &options.blur.style));
    options.blur.strength = 60;
    options.grain = true;
    const SweepReport r = sweep<ImageRGBA8>(
        std::string("render ") + style, [&] { return renderPortrait(photo, matte, options); }, samePixels);
    EXPECT_GT(r.failed, 0) << style;
  }
}

TEST(OutOfMemory, EveryAllocationOfBlurResizeRefineAndCodecsFailsCleanly) {
  const ImageRGBA8 photo = fixtures::noiseImage(40, 30, 3);
  BlurOptions blur;
  blur.strength = 50;
  sweep<ImageRGBA8>("blur lens", [&] { return blurImage(photo, blur); }, samePixels);
  sweep<ImageRGBA8>("resize", [&] { return resizeRgba8(photo, 23, 61); }, samePixels);
  ImagePlanar probability = discMatte(16, 12);
  sweep<ImagePlanar>("refineMatte", [&] { return refineMatte(photo, probability); }, sameSamples);
  const fixtures::ByteVector jpeg = fixtures::encodeJpeg(photo), png = fixtures::encodePng(photo);
  const auto sameImage = [](const DecodedImage& a, const DecodedImage& b) { return samePixels(a.image, b.image); };
  sweep<DecodedImage>("decode jpeg", [&] { return decodeImage(jpeg.data(), jpeg.size()); }, sameImage);
  sweep<DecodedImage>("decode png", [&] { return decodeImage(png.data(), png.size()); }, sameImage);
  const auto sameBytes = [](const Bytes& a, const Bytes& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size()) == 0;
  };
  sweep<Bytes>("encode png", [&] { return encodePng(photo); }, sameBytes);
  sweep<Bytes>("encode jpeg", [&] { return encodeJpeg(photo, 90); }, sameBytes);
}
