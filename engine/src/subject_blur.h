// Internal: an out-of-focus subject layer blurred at its one radius, on its crop only.
#pragma once

#include "defocus/blur.h"
#include "defocus/image.h"

namespace defocus {

// layer: the premultiplied subject (zero where the matte is); the result is the layer
// blurred with the style of `options` at `radius`, computed over the matte's box plus the
// blur's reach (a portrait's subject is often half the frame) and zero elsewhere.
Result<ImagePlanar> blurSubject(const ImagePlanar& layer, const ImagePlanar& matte, float radius, const BlurOptions& options);

}  // namespace defocus
