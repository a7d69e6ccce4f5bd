// Internal: an out-of-focus subject layer blurred at its one radius, on its crop only.
#pragma once

#include "defocus/blur.h"
#include "defocus/image.h"

namespace defocus {

// Columns x0..x1 of rows y0..y1; empty: x1 < x0.
struct PixelBox {
  int x0, y0, x1, y1;
};

// layer: the premultiplied subject (zero where the matte is); the result is the layer
// blurred with the style of `options` at `radius`, computed over the matte's box plus the
// blur's reach (a portrait's subject is often half the frame) and zero elsewhere. *where
// gets that box.
Result<ImagePlanar> blurSubject(const ImagePlanar& layer, const ImagePlanar& matte, float radius, const BlurOptions& options,
                                PixelBox* where);

}  // namespace defocus
