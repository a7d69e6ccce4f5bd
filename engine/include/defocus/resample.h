// Resizing of float planar images, separably (rows, then columns).
//  - shrinking an axis integrates each destination pixel's footprint exactly (area
//    average), so the mean of the image (its energy) is preserved;
//  - enlarging an axis interpolates with a smooth kernel.
#pragma once

#include "defocus/image.h"

namespace defocus {

enum class UpscaleKernel {
  kBilinear,  // monotone: never overshoots, right for mattes and probability maps
  kMitchell,  // Mitchell-Netravali B = C = 1/3: C1-smooth, barely rings, right for photos
};

Result<ImagePlanar> resize(const ImagePlanar& source, int width, int height,
                           UpscaleKernel upscale = UpscaleKernel::kMitchell);

// RGBA8 convenience: resamples in linear light with premultiplied alpha.
Result<ImageRGBA8> resizeRgba8(const ImageRGBA8& source, int width, int height);

}  // namespace defocus
