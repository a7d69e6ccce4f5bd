// A full-size matte kept in 16 bits, and AlphaRows, the row-at-a-time view every reader
// of a full-size matte takes (float plane or 16 bits alike).
//
// The engine's Photo keeps its matte as Alpha16: alpha 0..1 as 0..65535, 2 bytes a pixel
// where a float plane takes 4, and a full-size render carries the matte through its peak
// (issue 17: at most 16 bytes a pixel). 16 bits, not 8: soft edges (hair, the fill's trust,
// decontamination's division by alpha) need steps far finer than 1/255; 1/65535 keeps a
// render within a code or two of the float matte's in the few pixels it changes at all.
#pragma once

#include <cstdint>
#include <cstring>

#include "defocus/image.h"

namespace defocus {

struct Alpha16 {
  int width = 0, height = 0;
  Buffer<uint16_t> steps;  // alpha * 65535, rows top to bottom

  // Plane 0 of a matte, clamped to 0..1 (NaN as 0) and rounded to the nearest step; rows
  // shared among `threads` (the same steps whatever the count).
  static Result<Alpha16> fromPlane(const ImagePlanar& matte, int threads = 1);
  // The mean alpha (0 for no pixels), summed exactly in integers.
  double mean() const;
  // Back to one float plane (what AlphaRows reads).
  Result<ImagePlanar> toPlane() const;
};

// Alpha of a step: a division, not a multiply by 1/65535, so 65535 is exactly 1 (full cover).
inline float alphaOfStep(uint16_t step) { return step / 65535.0f; }

// A one-plane matte read a row at a time as floats: a float plane (plane 0, read in place)
// or an Alpha16 (converted into the reader's scratch row). Borrows the matte; a plane
// without samples reads as 0 x 0, so size checks refuse it.
class AlphaRows {
 public:
  AlphaRows() = default;
  AlphaRows(const ImagePlanar& matte)  // NOLINT(google-explicit-constructor): every float matte is one
      : width_(usable(matte) ? matte.width : 0), height_(usable(matte) ? matte.height : 0), floats_(matte.plane(0)) {}
  AlphaRows(const Alpha16& matte)  // NOLINT(google-explicit-constructor)
      : width_(matte.width), height_(matte.height), steps_(matte.steps.data()) {}

  int width() const { return width_; }
  int height() const { return height_; }
  // Row y, width() floats: in the float plane, or written into scratch (width() floats).
  const float* row(int y, float* scratch) const { return row(y, scratch, 0, width_); }
  // The same row where only columns [x0, x1) are read: the others of scratch stay unwritten.
  const float* row(int y, float* scratch, int x0, int x1) const {
    const size_t at = static_cast<size_t>(y) * width_;
    if (!steps_) return floats_ + at;
    // Through locals: with the members in the loop it was not vectorised (3x slower in wasm).
    const uint16_t* steps = steps_ + at;
    for (int x = x0; x < x1; ++x) scratch[x] = alphaOfStep(steps[x]);
    return scratch;
  }
  // The first and one past the last column of row y whose alpha is above 0 (or NaN), in
  // *x0, *x1; equal when there is none. Outside them the row is clear of the subject.
  void coveredSpan(int y, int* x0, int* x1) const {
    const size_t at = static_cast<size_t>(y) * width_;
    int lo = 0, hi = width_;
    if (steps_) {  // four steps at a time first: most rows of a photo are clear
      const uint16_t* steps = steps_ + at;
      const auto clear4 = [&](int x) {
        uint64_t four;
        std::memcpy(&four, steps + x, sizeof four);
        return four == 0;
      };
      while (hi - lo >= 4 && clear4(lo)) lo += 4;
      while (lo < hi && steps[lo] == 0) ++lo;
      while (hi - lo >= 4 && clear4(hi - 4)) hi -= 4;
      while (hi > lo && steps[hi - 1] == 0) --hi;
    } else {
      const float* alpha = floats_ + at;
      while (lo < hi && alpha[lo] <= 0.0f) ++lo;
      while (hi > lo && alpha[hi - 1] <= 0.0f) --hi;
    }
    *x0 = lo, *x1 = hi;
  }
  float at(int x, int y) const {
    const size_t i = static_cast<size_t>(y) * width_ + x;
    return steps_ ? alphaOfStep(steps_[i]) : floats_[i];
  }

 private:
  static bool usable(const ImagePlanar& m) { return m.channels >= 1 && m.samples.size() >= m.planeSize(); }
  int width_ = 0, height_ = 0;
  const float* floats_ = nullptr;
  const uint16_t* steps_ = nullptr;
};

}  // namespace defocus
