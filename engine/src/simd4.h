// Internal: four floats as one value, through the compiler's vector extension (GCC >= 12
// and clang), so the same source becomes SSE natively and simd128 in WebAssembly.
// Only for loops the auto-vectoriser does not manage (interleaving, lane shuffles).
#pragma once

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

}  // namespace defocus
