// Internal: the variable-radius lens blur's layers, blended on grouped reduced grids
// (blur/layers/radius_layers_grouped.h): each layer a span gather with its aperture kernel.
#pragma once

#include "defocus/image.h"
#include "defocus/lens_blur.h"
#include "blur/layers/radius_layers.h"

namespace defocus {

// Adds every used layer of `layers`, weighted per pixel by `map`, into `out` (zeroed by the
// caller, the source's width): rows [outFrom, outFrom + out.height) of the result.
Status blendLensLayers(const ImagePlanar& source, const float* map, const RadiusLayers& layers,
                       const Aperture& aperture, const VariableLensTuning& tuning, ImagePlanar& out, int outFrom = 0);

}  // namespace defocus
