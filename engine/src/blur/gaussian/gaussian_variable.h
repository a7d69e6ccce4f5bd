// Internal: the Gaussian style with a radius per pixel (sigma = radius / 2), on grouped
// layers (blur/layers/radius_layers_grouped.h); see gaussian_variable.cpp for the grids.
#pragma once

#include <cstdint>

#include "defocus/blur.h"
#include "defocus/image.h"

namespace defocus {

// Layers a factor 2 apart: Gaussians of neighbouring sigmas blend into one of a sigma
// between them closely (a lens disc's rim would show as two rings; its layers are 1.5 apart).
constexpr float kGaussianLayerRatio = 2.0f;

// Radius map in pixels (width x height); a constant map gives exactly the fixed-radius blur.
// needed, top: see RadiusLayers::plan; rows: the rows of the result made (see BlurFrame::rows).
Result<ImagePlanar> gaussianBlurVariable(const ImagePlanar& linear, const float* map, const BlurOptions& options,
                                         const uint8_t* needed = nullptr, RowRange rows = {}, float top = 0);

}  // namespace defocus
