// Running the full-size pipeline once on a small photo, so the first real photo of a
// session runs in optimised code (see warm_up.cpp for why and what it measured).
#pragma once

#include "defocus/status.h"

namespace defocus {

// A 512 x 384 synthetic photo through the model input, the refined matte, the strip and
// whole-image renders (lens, the default style) and the JPEG encoder. Nothing is kept.
Status warmUp();

}  // namespace defocus
