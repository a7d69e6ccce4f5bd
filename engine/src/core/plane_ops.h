// Internal building blocks on single float planes (row-major, width x height):
// transposition, reduction to a coarser grid, and interpolation back.
// Blurs compose these; none of them allocates.
#pragma once

#include <cstddef>
#include <vector>

namespace defocus {

// out (height x width) = in (width x height) transposed; cache-blocked.
void transposePlane(const float* in, float* out, int width, int height);

// A coarse grid over a full-resolution plane: coarse pixel j is centred at full
// coordinate origin + j * step (per axis). Coarse grids extend past the image so that
// their border pixels see only the edge-replicated continuation of the image.
// How coarse samples become a full-resolution signal: Catmull-Rom interpolates them (keeps
// crisp content); the cubic B-spline approximates them, i.e. also blurs by variance
// step^2 / 3 full pixels^2, but leaves far weaker images of the coarse grid (for
// Gaussians, which account for that variance).
enum class Reconstruction { kCatmullRom, kCubicBSpline };

struct CoarseGrid {
  int width = 0, height = 0;
  int step = 1;
  double originX = 0, originY = 0;
  Reconstruction kernel = Reconstruction::kCatmullRom;
  size_t size() const { return static_cast<size_t>(width) * height; }
};

// Area (box) reduction by an integer factor: each coarse pixel averages an f x f block;
// `margin` full pixels of edge replication surround the image. Preserves energy, keeps
// edges as crisp as the grid allows (for the lens blur).
CoarseGrid boxReduceGrid(int fullWidth, int fullHeight, int factor, int margin);
void boxReduce(const float* in, int fullWidth, int fullHeight, const CoarseGrid& grid, float* out, float* scratch);
size_t boxReduceScratch(int fullWidth, const CoarseGrid& grid);
// The same reduction by 2f (margin 4f) from the one by f (margin 2f) of the same image:
// each cell averages 2 x 2 finer cells (equal to reducing the image itself, up to rounding:
// finer cells past the grid's edge are its edge cells, which hold only the replicated edge).
void boxHalve(const float* in, const CoarseGrid& from, const CoarseGrid& to, float* out);

// One pyramid level: binomial [1 4 6 4 1] / 16 prefilter (variance 1 pixel^2) and
// decimation by 2, with `margin` pixels of edge replication around the input.
// Output pixel j is centred on input pixel 2 j - margin.
void halveSize(int width, int height, int margin, int* outWidth, int* outHeight);
// The horizontal half of it on one row of `width` samples into `outWidth` samples; the
// interior runs on even/odd split copies of the row (scratch: width + 2 floats), where
// every tap is a unit-stride load and the loop vectorises.
// Only for the horizontal pass of a level; see binomialHalve.
void binomialHalveRow(const float* row, int width, int margin, float* out, int outWidth, float* scratch);
void binomialHalve(const float* in, int width, int height, int margin, float* out, float* scratch);
size_t binomialHalveScratch(int width, int height, int margin);
// The level's [1 4 6 4 1] / 16 taps themselves, n samples into d: across five rows r[0..4]
// (the vertical pass), or along a row split into its even and odd samples, output j
// reading even[j .. j + 2] and odd[j .. j + 1] (the horizontal pass).
void binomialAcrossRows(const float* const r[5], float* d, int n);
void binomialFromSplit(const float* even, const float* odd, float* d, int n);

// Catmull-Rom's 4 weights for a position s (0..1) of the way from tap 1 to tap 2.
template <typename T>
inline void catmullRomTaps(T s, T w[4]) {
  w[0] = ((T(-0.5) * s + 1) * s - T(0.5)) * s;
  w[1] = (T(1.5) * s - T(2.5)) * s * s + 1;
  w[2] = ((T(-1.5) * s + 2) * s + T(0.5)) * s;
  w[3] = (T(0.5) * s - T(0.5)) * s * s;
}

// Cubic taps from a coarse axis (centres origin + j * step) onto full positions
// 0..fullSize-1: position x reads coarse first[x] .. first[x] + 3 (clamp them) with 4 weights.
void cubicWeights(Reconstruction kernel, int fullSize, double origin, int step, int* first, float* weights);
inline void catmullRomWeights(int fullSize, double origin, int step, int* first, float* weights) {
  cubicWeights(Reconstruction::kCatmullRom, fullSize, origin, step, first, weights);
}

// One coarse row at a time interpolated along x onto fullWidth positions (grid.kernel).
class RowInterpolator {
 public:
  RowInterpolator(const CoarseGrid& grid, int fullWidth);
  void run(const float* coarseRow, float* out);

 private:
  int step_, coarseWidth_, fullWidth_, base_ = 0, count_ = 0;
  std::vector<int> offsets_;
  std::vector<float> weights_, padded_, phase_;
};

// Every coarse row interpolated along x onto fullWidth positions (g.height x fullWidth).
void interpolateRowsHorizontally(const float* coarse, const CoarseGrid& grid, float* out, int fullWidth);

// Catmull-Rom interpolation of a coarse plane back onto the full-resolution grid.
void interpolate(const float* coarse, const CoarseGrid& grid, float* out, int fullWidth, int fullHeight,
                 float* scratch);
// The same for full rows [from, to) only: out holds to - from rows.
void interpolateRows(const float* coarse, const CoarseGrid& grid, float* out, int fullWidth, int fullHeight, int from,
                     int to, float* scratch);
size_t interpolateScratch(const CoarseGrid& grid, int fullWidth);

}  // namespace defocus
