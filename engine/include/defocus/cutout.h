// Cutout and replace: the subject without its background, or in front of a new one.
//
//   transparent  the subject's own colours (decontaminated at the edge, render.h step 3)
//                with alpha = the matte, for PNG / WebP with transparency;
//   replace      a new background (an image, or one colour) in place of the filled one:
//                the renderer blurs it by the depth at the chosen strength when asked, so
//                the subject sits in it like in a photo taken with that lens.
#pragma once

#include <cstdint>

#include "defocus/image.h"

namespace defocus {

// A new background as 3 linear planes of width x height: the image scaled to cover the
// frame (its centre kept, the overflow cropped), in linear light.
Result<ImagePlanar> coverBackground(const ImageRGBA8& image, int width, int height);

// One sRGB colour over width x height, as 3 linear planes.
Result<ImagePlanar> solidBackground(uint8_t r, uint8_t g, uint8_t b, int width, int height);

// The subject layer (4 linear planes, colour premultiplied by alpha in plane 3) as straight
// sRGB RGBA8; the photo's own alpha multiplies the layer's. Pixels the layer covers fully
// keep the photo's bytes; pixels it does not cover at all are 0 0 0 0.
Result<ImageRGBA8> cutoutFromLayer(const ImageRGBA8& photo, const ImagePlanar& subject);

}  // namespace defocus
