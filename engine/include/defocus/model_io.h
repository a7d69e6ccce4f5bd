// The engine's side of running a segmentation model (the model itself runs in ONNX
// Runtime): the photo into the model's input tensor, the model's output back into a
// probability map covering the photo.
#pragma once

#include <cstddef>

#include "defocus/image.h"

namespace defocus {

struct ModelInputSpec {
  int width = 0, height = 0;       // the tensor's spatial size
  bool channelsFirst = true;       // NCHW (true) or NHWC
  float mean[3] = {0, 0, 0};       // tensor value = (pixel / 255 - mean) / std, per channel
  float std[3] = {1, 1, 1};
  bool letterbox = false;          // keep the aspect ratio, pad with the mean colour
};

// Where the photo landed inside the tensor (letterbox) or that it fills it (stretch).
struct InputPlacement {
  int tensorWidth = 0, tensorHeight = 0;   // the input tensor's size
  int left = 0, top = 0, width = 0, height = 0;  // the photo's rectangle in it
};

struct PreparedInput {
  Buffer<float> tensor;  // 3 * spec.width * spec.height values in the spec's layout
  InputPlacement placement;
};

Status checkModelInputSpec(const ModelInputSpec& spec);

// Resizes (area average, in the sRGB values models are trained on) and normalises; the
// photo's one full read shared among `threads` (shrinkCodesToPlanes: the same tensor).
Result<PreparedInput> prepareModelInput(const ImageRGBA8& photo, const ModelInputSpec& spec, int threads = 1);

struct ModelOutputSpec {
  int width = 0, height = 0, channels = 1;  // the output's spatial size and channel count
  bool channelsFirst = true;
  int channel = 0;         // which channel holds the subject
  bool logits = false;     // apply the logistic function first
};

// The chosen channel, cropped to the placement: a probability map (values 0..1) whose
// extent is exactly the photo's; refineMatte / upsampleMatte bring it to full size.
Result<ImagePlanar> probabilityFromOutput(const float* data, size_t count, const ModelOutputSpec& spec,
                                          const InputPlacement& placement);

// A depth model's output over the photo as relative depth: 0 = nearest .. 1 = farthest
// (min-max over the photo's area). nearIsLarge for models that output inverse depth
// (disparity), as most monocular depth models do.
Result<ImagePlanar> depthFromOutput(const float* data, size_t count, const ModelOutputSpec& spec,
                                    const InputPlacement& placement, bool nearIsLarge);

}  // namespace defocus
