// Resizing of float planar images, separably (rows, then columns).
//  - shrinking an axis integrates each destination pixel's footprint exactly (area
//    average), so the mean of the image (its energy) is preserved;
//  - enlarging an axis interpolates with a smooth kernel.
#pragma once

#include <memory>

#include "defocus/alpha16.h"
#include "defocus/image.h"

namespace defocus {

enum class UpscaleKernel {
  kBilinear,  // monotone: never overshoots, right for mattes and probability maps
  kMitchell,  // Mitchell-Netravali B = C = 1/3: C1-smooth, barely rings, right for photos
};

Result<ImagePlanar> resize(const ImagePlanar& source, int width, int height,
                           UpscaleKernel upscale = UpscaleKernel::kMitchell);

// resize() of a matte read a row at a time (a 16-bit one: alpha16.h), to one plane: the
// same numbers, without the matte's full-size float plane (48 MB at 12 MP).
Result<ImagePlanar> resizeAlphaRows(const AlphaRows& matte, int width, int height,
                                    UpscaleKernel upscale = UpscaleKernel::kMitchell);

// The colour bytes of an RGBA8 image as 3 planes of table[byte] (codes / 255, or linear
// light with srgb8ToLinearTable()), resized: what resize() gives for those planes, without
// making them at full size first. The photo's rows are shared among `threads`.
Result<ImagePlanar> resizeBytesToPlanes(const ImageRGBA8& image, int width, int height, const float* table,
                                        int threads = 1);

// The sRGB codes of an RGBA8 image as 3 planes in 0..1, shrunk to width x height for a
// model's input or the matte's working grid. A photo 4x or more the target on both axes is
// first averaged in integer blocks (rounded to bytes: noise of variance (1/255)^2 / 12)
// down to 2-4x, so the windowed resize reads a quarter of the pixels or fewer: at 12 MP
// to 320x320 that was most of a model's 100 ms input preparation in wasm. The blocks'
// rows are shared among `threads` (the same planes whatever the count).
Result<ImagePlanar> shrinkCodesToPlanes(const ImageRGBA8& image, int width, int height, int threads = 1);

// resize()'s rows of one plane, a band at a time: the source resampled along x once, each
// requested row made from it on demand (same numbers as resize). For enlarging a small
// plane (depth) to a full-size photo without holding the full-size plane.
class RowResizer {
 public:
  static Result<RowResizer> create(const ImagePlanar& source, int width, int height,
                                   UpscaleKernel upscale = UpscaleKernel::kMitchell);
  // Rows [y0, y1) of plane 0, width floats each.
  void rows(int y0, int y1, float* out) const;
  int width() const { return width_; }
  int height() const { return height_; }

  struct Columns;  // the y axis's weights (resample.cpp)

 private:
  int width_ = 0, height_ = 0;
  ImagePlanar alongX_;  // width x source height
  std::shared_ptr<const Columns> columns_;
};

// RGBA8 convenience: resamples in linear light with premultiplied alpha.
Result<ImageRGBA8> resizeRgba8(const ImageRGBA8& source, int width, int height);

// resizeRgba8 for a shrink of 4x or more on both axes (a preview of a full-size photo):
// the photo is first averaged in linear light in integer blocks down to 2-4x the target,
// without full-size float planes. 12 MP to 1280 px in wasm: 570 -> ~100 ms. The blocks'
// rows are shared among `threads`.
Result<ImageRGBA8> shrinkRgba8(const ImageRGBA8& source, int width, int height, int threads = 1);

}  // namespace defocus
