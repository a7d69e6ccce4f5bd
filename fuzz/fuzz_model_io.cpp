// The engine's side of a model: a photo into a model's input tensor (any spec), and a
// model's output (any shape, values and placement, as a caller of the bindings may pass)
// back into a probability or depth map.
#include <cmath>
#include <cstdlib>
#include <vector>

#include "defocus/model_io.h"
#include "fuzz_input.h"

using namespace defocus;
using defocus_fuzz::FuzzInput;

namespace {

// Mostly small sizes (so runs are quick), sometimes any int at all.
int size(FuzzInput& in, int most) { return in.flag() ? in.i32() : in.range(-1, most); }

void prepareInput(FuzzInput& in) {
  ModelInputSpec spec;
  spec.width = size(in, 40);
  spec.height = size(in, 40);
  if (spec.width > 64 || spec.height > 64) return;  // valid up to 4096: too slow for a fuzz run
  spec.channelsFirst = in.flag();
  spec.letterbox = in.flag();
  for (int c = 0; c < 3; ++c) spec.mean[c] = in.number(0, 1), spec.std[c] = in.number(0, 1);
  Result<ImageRGBA8> photo = ImageRGBA8::create(in.range(1, 48), in.range(1, 48));
  if (!photo.ok()) std::abort();
  for (size_t i = 0; i < photo.value().pixels.size(); ++i) photo.value().pixels[i] = in.byte();
  Result<PreparedInput> prepared = prepareModelInput(photo.value(), spec);
  if (!prepared.ok()) return defocus_fuzz::checkReason(prepared.status().reason());
  const InputPlacement& p = prepared.value().placement;
  if (p.left < 0 || p.top < 0 || p.left + p.width > spec.width || p.top + p.height > spec.height) std::abort();
}

void readOutput(FuzzInput& in) {
  ModelOutputSpec spec;
  spec.width = size(in, 40);
  spec.height = size(in, 40);
  spec.channels = size(in, 3);
  spec.channelsFirst = in.flag();
  spec.channel = size(in, 3);
  spec.logits = in.flag();
  InputPlacement place;
  place.tensorWidth = size(in, 64);
  place.tensorHeight = size(in, 64);
  place.left = size(in, 64);
  place.top = size(in, 64);
  place.width = size(in, 64);
  place.height = size(in, 64);
  // The right number of values when the shape is small, else whatever count the data says.
  const bool small = spec.width > 0 && spec.width <= 64 && spec.height > 0 && spec.height <= 64 && spec.channels > 0 &&
                     spec.channels <= 4;
  const size_t count = small && in.flag() ? static_cast<size_t>(spec.width) * spec.height * spec.channels
                                          : static_cast<size_t>(in.range(0, 4096));
  std::vector<float> values(count);
  for (float& v : values) v = in.number(-8, 8);
  const bool nearIsLarge = in.flag();
  Result<ImagePlanar> probability = probabilityFromOutput(values.data(), count, spec, place);
  if (!probability.ok()) {
    defocus_fuzz::checkReason(probability.status().reason());
  } else {
    for (size_t i = 0; i < probability.value().samples.size(); ++i) {
      const float v = probability.value().samples[i];
      if (!(v >= 0 && v <= 1)) std::abort();  // a probability, whatever the model said
    }
  }
  Result<ImagePlanar> depth = depthFromOutput(values.data(), count, spec, place, nearIsLarge);
  if (!depth.ok()) defocus_fuzz::checkReason(depth.status().reason());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzInput in(data, size);
  if (in.flag()) prepareInput(in);
  else readOutput(in);
  return 0;
}
