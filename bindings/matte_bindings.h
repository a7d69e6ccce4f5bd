// What the model-IO and matte bindings share with the photo and session bindings: model
// input specs, prepared tensors, matte options and brush strokes as JS gives them.
#pragma once

#include <vector>

#include "defocus/brush.h"
#include "defocus/matte.h"
#include "defocus/model_io.h"
#include "js_values.h"

namespace defocus_js {

// spec: {width, height, channelsFirst, mean: [3], std: [3], letterbox}
defocus::ModelInputSpec inputSpecFromJs(const val& spec);
// {tensor, placement}, or {error, code}.
val preparedValue(const defocus::Result<defocus::PreparedInput>& prepared);
// options: {workingSize, radius, epsilon, band}
defocus::MatteOptions matteOptionsFromJs(const val& options);
// strokes: [{restore, radius, hardness, points: [{x, y}, ...]}, ...]
std::vector<defocus::BrushStroke> strokesFromJs(const val& strokes);

}  // namespace defocus_js
