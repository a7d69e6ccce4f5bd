#include "defocus/model_io.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>

#include "defocus/resample.h"

namespace defocus {
namespace {

}  // namespace

Status checkModelInputSpec(const ModelInputSpec& s) {
  if (s.width < 1 || s.height < 1 || s.width > 4096 || s.height > 4096) {
    return invalidArgument("model input size must be 1..4096 on each side");
  }
  for (int c = 0; c < 3; ++c) {
    if (!std::isfinite(s.mean[c]) || !(s.std[c] > 0 && std::isfinite(s.std[c]))) {
      return invalidArgument("model normalisation needs finite means and positive standard deviations");
    }
  }
  return Status::success();
}

Result<PreparedInput> prepareModelInput(const ImageRGBA8& photo, const ModelInputSpec& spec, int threads) {
  Status ok = checkModelInputSpec(spec);
  if (!ok.ok()) return ok;
  ok = checkImageShape(photo.width, photo.height, 4, 1);
  if (!ok.ok()) return ok;
  PreparedInput out;
  InputPlacement& place = out.placement;
  place.tensorWidth = place.width = spec.width;
  place.tensorHeight = place.height = spec.height;
  if (spec.letterbox) {
    const double scale = std::min(double(spec.width) / photo.width, double(spec.height) / photo.height);
    place.width = std::max(1, static_cast<int>(std::lround(photo.width * scale)));
    place.height = std::max(1, static_cast<int>(std::lround(photo.height * scale)));
    place.left = (spec.width - place.width) / 2;
    place.top = (spec.height - place.height) / 2;
  }
  // sRGB values 0..1 as planes, resized to the placement straight from the bytes: full-size
  // float planes would cost 12 bytes a pixel (the biggest allocation of a blur() before this).
  Result<ImagePlanar> fitted = shrinkCodesToPlanes(photo, place.width, place.height, threads);
  if (!fitted.ok()) return fitted.status();
  const size_t area = static_cast<size_t>(spec.width) * spec.height;
  if (!out.tensor.resize(3 * area)) return Status{ErrorCode::kOutOfMemory, "out of memory for the model input"};
  const int fw = fitted.value().width, fh = fitted.value().height;
  const int left = place.left, top = place.top;
  for (int c = 0; c < 3; ++c) {
    const float mean = spec.mean[c], inv = 1.0f / spec.std[c];
    for (int y = 0; y < spec.height; ++y) {
      for (int x = 0; x < spec.width; ++x) {
        const int fx = x - left, fy = y - top;
        const bool inside = fx >= 0 && fy >= 0 && fx < fw && fy < fh;
        // Padding takes the mean colour, which normalises to 0.
        const float v = inside ? (fitted.value().plane(c)[static_cast<size_t>(fy) * fw + fx] - mean) * inv : 0.0f;
        const size_t at = spec.channelsFirst ? c * area + static_cast<size_t>(y) * spec.width + x
                                             : (static_cast<size_t>(y) * spec.width + x) * 3 + c;
        out.tensor[at] = v;
      }
    }
  }
  return out;
}

namespace {

// The chosen channel of a model output, cropped to the photo's rectangle (placement is in
// input-tensor pixels; the output may be smaller or larger than the input).
Result<ImagePlanar> cropChannel(const float* data, size_t count, const ModelOutputSpec& s, const InputPlacement& place) {
  if (s.width < 1 || s.height < 1 || s.channels < 1 || s.channel < 0 || s.channel >= s.channels) {
    return invalidArgument("model output shape or channel is invalid");
  }
  const size_t area = static_cast<size_t>(s.width) * s.height;
  if (!data || count != area * s.channels) {
    return invalidArgument("model output has " + std::to_string(count) + " values, expected " +
                   std::to_string(area * s.channels) + " (" + std::to_string(s.channels) + "x" +
                   std::to_string(s.height) + "x" + std::to_string(s.width) + ")");
  }
  // 64-bit sums: left + width must not wrap around for a caller's placement near INT_MAX.
  if (place.tensorWidth < 1 || place.tensorHeight < 1 || place.width < 1 || place.height < 1 || place.left < 0 ||
      place.top < 0 || int64_t{place.left} + place.width > place.tensorWidth ||
      int64_t{place.top} + place.height > place.tensorHeight) {
    return invalidArgument("input placement is not inside the input tensor");
  }
  // The photo's rectangle on the output grid, clamped inside it: a placement at the right or
  // bottom edge can round to x0 == s.width. Clamped by hand, with lo <= hi guaranteed:
  // std::clamp with hi < lo is undefined (libstdc++ returned hi, Emscripten's libc++ lo, and
  // the wasm build read one float past the output).
  const double sx = double(s.width) / place.tensorWidth, sy = double(s.height) / place.tensorHeight;
  const int x0 = std::min(static_cast<int>(std::lround(place.left * sx)), s.width - 1);
  const int y0 = std::min(static_cast<int>(std::lround(place.top * sy)), s.height - 1);
  const int cw = std::max(1, std::min(static_cast<int>(std::lround(place.width * sx)), s.width - x0));
  const int ch = std::max(1, std::min(static_cast<int>(std::lround(place.height * sy)), s.height - y0));
  Result<ImagePlanar> out = ImagePlanar::create(cw, ch, 1);
  if (!out.ok()) return out;
  for (int y = 0; y < ch; ++y) {
    for (int x = 0; x < cw; ++x) {
      const size_t i = static_cast<size_t>(y0 + y) * s.width + (x0 + x);
      out.value().plane(0)[static_cast<size_t>(y) * cw + x] =
          s.channelsFirst ? data[s.channel * area + i] : data[i * s.channels + s.channel];
    }
  }
  return out;
}

}  // namespace

Result<ImagePlanar> probabilityFromOutput(const float* data, size_t count, const ModelOutputSpec& s,
                                          const InputPlacement& place) {
  Result<ImagePlanar> out = cropChannel(data, count, s, place);
  if (!out.ok()) return out;
  for (size_t i = 0; i < out.value().samples.size(); ++i) {
    float v = out.value().samples[i];
    if (s.logits) v = 1.0f / (1.0f + std::exp(-v));
    out.value().samples[i] = std::isfinite(v) ? std::clamp(v, 0.0f, 1.0f) : 0.0f;
  }
  return out;
}

Result<ImagePlanar> depthFromOutput(const float* data, size_t count, const ModelOutputSpec& s,
                                    const InputPlacement& place, bool nearIsLarge) {
  Result<ImagePlanar> out = cropChannel(data, count, s, place);
  if (!out.ok()) return out;
  float lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < out.value().samples.size(); ++i) {
    const float v = out.value().samples[i];
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  const float span = hi > lo ? hi - lo : 1.0f;
  for (size_t i = 0; i < out.value().samples.size(); ++i) {
    const float v = out.value().samples[i];
    const float t = std::isfinite(v) && hi >= lo ? (v - lo) / span : 1.0f;  // unknown: far
    out.value().samples[i] = nearIsLarge ? 1.0f - t : t;
  }
  return out;
}

}  // namespace defocus
