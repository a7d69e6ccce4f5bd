// The reference variable-radius lens blur the engine's fast path is measured against: layers
// 1.25x apart, every disc a fixed-radius lensBlur (at least 4 coarse pixels), and each layer
// blended at full resolution over the box of pixels that use it. Slow and plain on purpose;
// it lives here, not in the engine, because only tests run it.
#pragma once

#include "defocus/image.h"
#include "defocus/lens_blur.h"

namespace reference {

defocus::Result<defocus::ImagePlanar> lensBlurVariable(const defocus::ImagePlanar& linear, const float* radiusMap,
                                                       const defocus::Aperture& aperture,
                                                       const defocus::Highlights& highlights);

}  // namespace reference
