// Internal: the edge stage of the matte. On the uncertain band around the subject's outline
// (a trimap taken from the guided filter's alpha), each full-resolution pixel's alpha is
// solved from the compositing equation I = alpha F + (1 - alpha) B with F and B the local
// foreground and background colours, estimated from the sure parts of the trimap nearby
// (normalised box averages on the working grid, a wider window where the near one finds
// none). A strand of hair over sky gets the fraction of the pixel it covers; where F and B
// look alike the colour says little and the guided alpha is kept.
#pragma once

#include <vector>

#include "defocus/image.h"

namespace defocus {

// The band's colour model on the working grid, 8 planes: F r,g,b, B r,g,b, the band
// weight (0 off the band .. 1 on it; 0 also where F or B could not be estimated), and the
// variance of the colours F and B were drawn from (texture).
// guide: working-grid RGB in 0..1; alpha: the guided alpha there; modelPixel: working
// pixels per model pixel (the width of the model's own uncertainty).
Result<ImagePlanar> bandColourModel(const ImagePlanar& guide, const ImagePlanar& alpha, double modelPixel);

// Pixel centres of a resampling from `from` to `to` samples (centres aligned, edges clamped):
// output i reads first[i] and first[i] + 1, weight frac[i] on the second; the outputs
// that read source s first are start[s] .. start[s + 1] - 1 (from + 1 entries).
struct Bilinear {
  std::vector<int> first;
  std::vector<float> frac;
  std::vector<int> start;
  Bilinear(int from, int to);
};

// One full-resolution row: alpha (the guided alpha, W values) is moved towards the colour
// solution where the band model (bilinear between working rows r0 and r1, weight fy on r1)
// says the row is on the band.
void matteBandRow(const uint8_t* rgba, const ImagePlanar& model, int r0, int r1, float fy, const Bilinear& bx,
                  float* alpha);

}  // namespace defocus
