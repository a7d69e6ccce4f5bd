// Zoom-in second pass for a subject that fills little of the frame: the model sees the
// whole photo at e.g. 320x320, so a subject a fifth of the frame wide gets 64 model pixels.
// Cropping around it (with a margin) and running the model again on the crop gives it the
// full input size; the crop's map then replaces the first one over the subject.
#pragma once

#include "defocus/image.h"
#include "defocus/subject_fusion.h"

namespace defocus {

struct ZoomOptions {
  float margin = 0.3f;    // crop = subject box grown by this fraction of its size on each side
  float minGain = 2.0f;   // zoom only when the model sees the subject at least this much larger
  float maxScale = 4.0f;  // the merged map is at most this many times the first map's size
};

struct ZoomPlan {
  bool zoom = false;              // false: the second pass would not pay
  int left = 0, top = 0, width = 0, height = 0;  // the crop, photo pixels
  float gain = 1;                 // model pixels on the subject: crop pass / first pass
};

// modelWidth x modelHeight: the input size the crop will be run at.
ZoomPlan planZoom(const FoundSubject& found, int photoWidth, int photoHeight, int modelWidth, int modelHeight,
                  const ZoomOptions& options = {});

// The photo's part inside the plan's crop.
Result<ImageRGBA8> cropRgba8(const ImageRGBA8& photo, int left, int top, int width, int height);

// One map over the photo: the first pass's `full` map enlarged so the crop keeps its
// resolution, with `crop` (a map covering the crop) blended in, faded out towards the
// crop's inner borders. The crop may only refine the subject the first pass found: where
// `full` has no subject nearby it stays as it was.
Result<ImagePlanar> mergeZoom(const ImagePlanar& full, const ImagePlanar& crop, const ZoomPlan& plan, int photoWidth,
                              int photoHeight, const ZoomOptions& options = {});

}  // namespace defocus
