// Internal: the specular highlight boost of the lens blur, on rows of linear RGB.
#pragma once

#include <cstddef>

#include "defocus/lens_blur.h"

namespace defocus {

// alpha (optional): the colour is premultiplied by it; highlights are judged on the
// colour itself, so a bright light stays bright where it is partly transparent.
inline void boostHighlightsRow(float* r, float* g, float* b, size_t n, const Highlights& h,
                               const float* alpha = nullptr) {
  if (h.boost <= 0) return;
  const float threshold = h.threshold, span = 1.0f - h.threshold, boost = h.boost;
  for (size_t i = 0; i < n; ++i) {
    float luminance = 0.2126f * r[i] + 0.7152f * g[i] + 0.0722f * b[i];
    if (alpha) luminance = alpha[i] > 0 ? luminance / alpha[i] : 0.0f;
    float s = (luminance - threshold) / span;
    s = s < 0 ? 0 : (s > 1 ? 1 : s);
    const float gain = 1.0f + boost * s * s;  // smooth start at the threshold
    r[i] *= gain;
    g[i] *= gain;
    b[i] *= gain;
  }
}

}  // namespace defocus
