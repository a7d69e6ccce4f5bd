// The refine brush: strokes that restore subject (paint alpha in) or erase it (paint
// alpha out) on a matte. Strokes are stored in resolution-independent units, so the same
// list applies to the preview's matte and to the full-resolution one; undo is replaying
// the list without its last stroke.
#pragma once

#include <vector>

#include "defocus/image.h"

namespace defocus {

struct BrushPoint {
  float x = 0, y = 0;  // fractions of the width and height (0..1; points outside are allowed)
};

struct BrushStroke {
  bool restore = true;       // true: towards subject (alpha 1); false: towards background (0)
  float radius = 0.02f;      // fraction of the image diagonal
  float hardness = 0.5f;     // 0 = soft edge over the whole radius .. 1 = hard edge
  std::vector<BrushPoint> points;  // a dab at each, and along the segments between them
};

Status checkStroke(const BrushStroke& stroke);

// Applies the strokes in order to a one-plane matte (in place).
Status applyStrokes(ImagePlanar& matte, const std::vector<BrushStroke>& strokes);

}  // namespace defocus
