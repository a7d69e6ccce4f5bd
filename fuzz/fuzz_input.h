// Reading a fuzzer's bytes as typed values, for the harnesses of this folder. Once the bytes
// run out every read gives zero, so any input is a valid one (libFuzzer shrinks inputs).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace defocus_fuzz {

class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  uint8_t byte() { return at_ < size_ ? data_[at_++] : 0; }
  bool flag() { return byte() & 1; }
  uint32_t u32() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = v << 8 | byte();
    return v;
  }
  int32_t i32() { return static_cast<int32_t>(u32()); }
  // lo..hi inclusive.
  int range(int lo, int hi) { return lo + static_cast<int>(u32() % static_cast<uint32_t>(hi - lo + 1)); }
  // Any float at all (NaN, infinities, huge, tiny) when `raw`, else a fraction lo..hi.
  float number(float lo, float hi) {
    if (flag()) {
      uint32_t bits = u32();
      float v;
      std::memcpy(&v, &bits, sizeof v);
      return v;
    }
    return lo + (hi - lo) * (byte() / 255.0f);
  }
  size_t left() const { return size_ - at_; }
  const uint8_t* rest() const { return data_ + at_; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t at_ = 0;
};

// An engine error must be one non-empty line: anything else is a finding.
inline void checkReason(const std::string& reason) {
  if (reason.empty() || reason.find('\n') != std::string::npos) {
    std::fprintf(stderr, "bad error reason: '%s'\n", reason.c_str());
    std::abort();
  }
}

}  // namespace defocus_fuzz
