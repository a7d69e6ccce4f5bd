// Internal: four floats as one value, through the compiler's vector extension (GCC >= 12
// and clang), so the same source becomes SSE natively and simd128 in WebAssembly.
// Only for loops the auto-vectoriser does not manage (interleaving, lane shuffles).
#pragma once

#include <cstddef>
#include <cstring>

namespace defocus {

typedef float F32x4 __attribute__((vector_size(16)));
typedef unsigned U32x4 __attribute__((vector_size(16)));

inline F32x4 load4(const float* p) {
  F32x4 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline void store4(float* p, F32x4 v) { std::memcpy(p, &v, sizeof v); }

inline F32x4 splat4(float v) { return F32x4{v, v, v, v}; }

// min(max(v, 0), hi) with bit masks (no vector ?: needed); NaN -> 0.
inline F32x4 clamp4(F32x4 v, float hi) {
  const U32x4 positive = (U32x4)(v > splat4(0.0f));
  const U32x4 below = (U32x4)(v < splat4(hi));
  const U32x4 bits = ((U32x4)v & positive & below) | ((U32x4)splat4(hi) & ~below);
  return (F32x4)bits;
}

// dst[2k] = even[k], dst[2k + 1] = odd[k] for k < n.
inline void interleave2(const float* even, const float* odd, float* dst, int n) {
  int k = 0;
  for (; k + 4 <= n; k += 4) {
    const F32x4 a = load4(even + k), b = load4(odd + k);
    store4(dst + 2 * k, __builtin_shufflevector(a, b, 0, 4, 1, 5));
    store4(dst + 2 * k + 4, __builtin_shufflevector(a, b, 2, 6, 3, 7));
  }
  for (; k < n; ++k) dst[2 * k] = even[k], dst[2 * k + 1] = odd[k];
}

// The 4 x 4 block whose rows are r[0..3], transposed in place (8 shuffles).
inline void transpose4(F32x4 r[4]) {
  const F32x4 ab0 = __builtin_shufflevector(r[0], r[1], 0, 4, 1, 5), ab1 = __builtin_shufflevector(r[0], r[1], 2, 6, 3, 7);
  const F32x4 cd0 = __builtin_shufflevector(r[2], r[3], 0, 4, 1, 5), cd1 = __builtin_shufflevector(r[2], r[3], 2, 6, 3, 7);
  r[0] = __builtin_shufflevector(ab0, cd0, 0, 1, 4, 5), r[1] = __builtin_shufflevector(ab0, cd0, 2, 3, 6, 7);
  r[2] = __builtin_shufflevector(ab1, cd1, 0, 1, 4, 5), r[3] = __builtin_shufflevector(ab1, cd1, 2, 3, 6, 7);
}

// One 4 x 4 tile transposed between strided layouts: dst[m * dstRow + k * dstStep] =
// src[k * srcRow + m * srcStep] for k, m in 0..3, where srcStep and dstStep are +1 or -1
// (runs may go backwards through memory). 4 loads, 8 shuffles and 4 stores instead of 16
// strided scalar copies.
inline void transposeTile4(const float* src, ptrdiff_t srcRow, ptrdiff_t srcStep, float* dst, ptrdiff_t dstRow,
                           ptrdiff_t dstStep) {
  const auto reversed = [](F32x4 v) { return __builtin_shufflevector(v, v, 3, 2, 1, 0); };
  F32x4 r[4];
  for (int k = 0; k < 4; ++k) r[k] = srcStep > 0 ? load4(src + k * srcRow) : reversed(load4(src + k * srcRow - 3));
  transpose4(r);
  for (int m = 0; m < 4; ++m) {
    if (dstStep > 0) {
      store4(dst + m * dstRow, r[m]);
    } else {
      store4(dst + m * dstRow - 3, reversed(r[m]));
    }
  }
}

}  // namespace defocus
