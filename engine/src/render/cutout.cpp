#include "defocus/cutout.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <vector>

#include "defocus/color.h"
#include "defocus/resample.h"

namespace defocus {

ReplacementRows::ReplacementRows() {
  static std::atomic<uint64_t> made{0};
  id_ = ++made;
}

Result<ReplacementRows> ReplacementRows::cover(const ImageRGBA8& image, int width, int height) {
  if (image.width <= 0 || image.height <= 0 || image.pixels.size() != static_cast<size_t>(image.width) * image.height * 4) {
    return Status{ErrorCode::kInvalidArgument, "the background image is empty"};
  }
  Status ok = checkImageShape(width, height, 3, sizeof(float));
  if (!ok.ok()) return ok;
  Result<ImagePlanar> linear = rgba8ToLinear(image, 3);
  if (!linear.ok()) return linear.status();
  // Scaled so the image covers the frame, the centre cropped: no bars, no distortion.
  const double scale = std::max(double(width) / image.width, double(height) / image.height);
  const int sw = std::max(width, static_cast<int>(std::ceil(image.width * scale - 1e-6)));
  const int sh = std::max(height, static_cast<int>(std::ceil(image.height * scale - 1e-6)));
  ReplacementRows r;
  r.width_ = width, r.height_ = height, r.left_ = (sw - width) / 2, r.top_ = (sh - height) / 2;
  for (int c = 0; c < 3; ++c) {
    ImagePlanar plane;
    plane.width = image.width, plane.height = image.height, plane.channels = 1;
    if (!plane.samples.resize(plane.planeSize())) return outOfMemory("for the background");
    std::copy_n(linear.value().plane(c), plane.planeSize(), plane.samples.data());
    Result<RowResizer> rows = RowResizer::create(plane, sw, sh);
    if (!rows.ok()) return rows.status();
    r.scaled_.push_back(rows.take());
  }
  r.scaledWidth_ = sw;
  return r;
}

ReplacementRows ReplacementRows::solid(uint8_t r, uint8_t g, uint8_t b, int width, int height) {
  ReplacementRows rows;
  rows.width_ = width, rows.height_ = height;
  rows.colour_[0] = srgb8ToLinear(r), rows.colour_[1] = srgb8ToLinear(g), rows.colour_[2] = srgb8ToLinear(b);
  return rows;
}

ReplacementRows ReplacementRows::planes(const ImagePlanar& planes) {
  ReplacementRows rows;
  rows.width_ = planes.width, rows.height_ = planes.height, rows.planes_ = &planes;
  return rows;
}

void ReplacementRows::rows(int y0, int y1, float* const* out) const {
  const size_t w = static_cast<size_t>(width_), n = w * (y1 - y0);
  // One scaled row, the caller's own: strips on several threads read the same rows object.
  std::vector<float> row(scaled_.empty() ? 0 : static_cast<size_t>(scaledWidth_));
  for (int c = 0; c < 3; ++c) {
    if (planes_) {
      std::copy_n(planes_->plane(c) + static_cast<size_t>(y0) * w, n, out[c]);
    } else if (scaled_.empty()) {
      std::fill_n(out[c], n, colour_[c]);
    } else {
      for (int y = y0; y < y1; ++y) {
        scaled_[c].rows(y + top_, y + top_ + 1, row.data());
        float* dst = out[c] + static_cast<size_t>(y - y0) * w;
        for (size_t x = 0; x < w; ++x) dst[x] = std::max(0.0f, row[left_ + x]);  // Mitchell rings a little
      }
    }
  }
}

// The whole frame of ReplacementRows::cover's rows: one cover-fit for both paths.
Result<ImagePlanar> coverBackground(const ImageRGBA8& image, int width, int height) {
  Result<ReplacementRows> rows = ReplacementRows::cover(image, width, height);
  if (!rows.ok()) return rows.status();
  Result<ImagePlanar> out = ImagePlanar::create(width, height, 3);
  if (!out.ok()) return out;
  float* planes[3] = {out.value().plane(0), out.value().plane(1), out.value().plane(2)};
  rows.value().rows(0, height, planes);
  return out;
}

Result<ImagePlanar> solidBackground(uint8_t r, uint8_t g, uint8_t b, int width, int height) {
  Result<ImagePlanar> out = ImagePlanar::create(width, height, 3);
  if (!out.ok()) return out;
  const uint8_t codes[3] = {r, g, b};
  for (int c = 0; c < 3; ++c) std::fill_n(out.value().plane(c), out.value().planeSize(), srgb8ToLinear(codes[c]));
  return out;
}

Result<ImageRGBA8> cutoutFromLayer(const ImageRGBA8& photo, const ImagePlanar& subject) {
  if (subject.channels != 4 || subject.width != photo.width || subject.height != photo.height) {
    return Status{ErrorCode::kInvalidArgument, "the subject layer must be 4 planes of the photo's size"};
  }
  Result<ImageRGBA8> out = ImageRGBA8::create(photo.width, photo.height);
  if (!out.ok()) return out;
  const float* alpha = subject.plane(3);
  uint8_t* dst = out.value().pixels.data();
  const uint8_t* src = photo.pixels.data();
  for (size_t i = 0; i < subject.planeSize(); ++i, dst += 4, src += 4) {
    const float a = std::clamp(alpha[i], 0.0f, 1.0f);
    if (a >= 1.0f) {
      std::memcpy(dst, src, 4);
    } else if (a <= 0.0f) {
      std::memset(dst, 0, 4);
    } else {
      // Straight colour: the decontaminated foreground F (the layer holds a * F).
      for (int c = 0; c < 3; ++c) dst[c] = linearToSrgb8(subject.plane(c)[i] / a);
      dst[3] = static_cast<uint8_t>(std::lround(a * src[3]));
    }
  }
  return out;
}

}  // namespace defocus
