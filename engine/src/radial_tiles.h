// Internal: one 4x4 tile transposed, the inner step of the radial blur's slab copies
// (radial_rows.h). With wasm SIMD it is 4 loads, 8 shuffles and 4 stores instead of 16
// strided scalar copies.
#pragma once

#include <cstddef>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace defocus {

// dst[m * dstRow + k * dstStep] = src[k * srcRow + m * srcStep] for k, m in 0..3, where
// srcStep and dstStep are +1 or -1 (runs may go backwards through memory).
inline void transposeTile4(const float* src, ptrdiff_t srcRow, ptrdiff_t srcStep, float* dst, ptrdiff_t dstRow,
                           ptrdiff_t dstStep) {
#if defined(__wasm_simd128__)
  const auto load = [&](int k) {
    if (srcStep > 0) return wasm_v128_load(src + k * srcRow);
    const v128_t a = wasm_v128_load(src + k * srcRow - 3);
    return wasm_i32x4_shuffle(a, a, 3, 2, 1, 0);
  };
  const v128_t r0 = load(0), r1 = load(1), r2 = load(2), r3 = load(3);
  const v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
  const v128_t t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
  const v128_t c[4] = {wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5), wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7),
                       wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5), wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7)};
  for (int m = 0; m < 4; ++m) {
    if (dstStep > 0) {
      wasm_v128_store(dst + m * dstRow, c[m]);
    } else {
      wasm_v128_store(dst + m * dstRow - 3, wasm_i32x4_shuffle(c[m], c[m], 3, 2, 1, 0));
    }
  }
#else
  for (int k = 0; k < 4; ++k) {
    for (int m = 0; m < 4; ++m) dst[m * dstRow + k * dstStep] = src[k * srcRow + m * srcStep];
  }
#endif
}

}  // namespace defocus
