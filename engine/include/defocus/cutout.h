// Cutout and replace: the subject without its background, or in front of a new one.
//
//   transparent  the subject's own colours (decontaminated at the edge, render.h step 3)
//                with alpha = the matte, for PNG / WebP with transparency;
//   replace      a new background (an image, or one colour) in place of the filled one:
//                the renderer blurs it by the depth at the chosen strength when asked, so
//                the subject sits in it like in a photo taken with that lens.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "defocus/image.h"
#include "defocus/resample.h"

namespace defocus {

// A new background as 3 linear planes of width x height: the image scaled to cover the
// frame (its centre kept, the overflow cropped), in linear light.
Result<ImagePlanar> coverBackground(const ImageRGBA8& image, int width, int height);

// One sRGB colour over width x height, as 3 linear planes.
Result<ImagePlanar> solidBackground(uint8_t r, uint8_t g, uint8_t b, int width, int height);

// A replacement background made a band of rows at a time, for the full-size render in
// strips: the numbers of coverBackground / solidBackground without their full-size planes
// (12 bytes a pixel: 576 MB at 48 MP). A covered image keeps its planes resampled along x
// (photo width x image height), a colour keeps nothing.
class ReplacementRows {
 public:
  static Result<ReplacementRows> cover(const ImageRGBA8& image, int width, int height);
  static ReplacementRows solid(uint8_t r, uint8_t g, uint8_t b, int width, int height);
  // Rows of 3 full-size planes the caller owns and keeps (they are read, not copied).
  static ReplacementRows planes(const ImagePlanar& planes);
  int width() const { return width_; }
  int height() const { return height_; }
  // Different for every replacement made (moves keep it): what a cache of it is keyed by.
  uint64_t id() const { return id_; }
  // Rows [y0, y1) into 3 planes (out[c]: (y1 - y0) rows of width floats).
  void rows(int y0, int y1, float* const* out) const;

 private:
  ReplacementRows();
  uint64_t id_;
  int width_ = 0, height_ = 0;
  float colour_[3] = {0, 0, 0};
  const ImagePlanar* planes_ = nullptr;
  std::vector<RowResizer> scaled_;  // cover: one per colour plane, rows of the scaled image
  int left_ = 0, top_ = 0;          // cover: where the frame sits in the scaled image
  int scaledWidth_ = 0;             // cover: the scaled image's width
};

// The subject layer (4 linear planes, colour premultiplied by alpha in plane 3) as straight
// sRGB RGBA8; the photo's own alpha multiplies the layer's. Pixels the layer covers fully
// keep the photo's bytes; pixels it does not cover at all are 0 0 0 0.
Result<ImageRGBA8> cutoutFromLayer(const ImageRGBA8& photo, const ImagePlanar& subject);

}  // namespace defocus
