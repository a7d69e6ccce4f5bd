// Quality measures of a matte against a ground-truth matte (both one plane, same size,
// values 0..1): what tests and benchmarks use to compare segmentation and refinement.
#pragma once

#include "defocus/image.h"

namespace defocus {

struct MatteScores {
  double iou = 0;           // intersection over union of the masks at 0.5
  double boundaryF = 0;     // F-measure of the mask outlines, matched within `tolerance` px
  double meanAbsError = 0;  // mean |alpha - truth| over all pixels
};

Result<MatteScores> scoreMatte(const ImagePlanar& matte, const ImagePlanar& truth, int tolerance = 2);

}  // namespace defocus
