#include "defocus/subject_zoom.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "defocus/resample.h"
#include "matte/regions.h"

namespace defocus {

ZoomPlan planZoom(const FoundSubject& found, int photoWidth, int photoHeight, int modelWidth, int modelHeight,
                  const ZoomOptions& o) {
  ZoomPlan plan;
  if (found.kind == SubjectKind::kNone || found.right <= found.left || found.bottom <= found.top) return plan;
  if (photoWidth < 2 || photoHeight < 2 || modelWidth < 1 || modelHeight < 1) return plan;
  const float bw = found.right - found.left, bh = found.bottom - found.top;
  // The crop in fractions of the frame, grown by the margin and clamped to the frame.
  const float l = std::max(0.0f, found.left - o.margin * bw), r = std::min(1.0f, found.right + o.margin * bw);
  const float t = std::max(0.0f, found.top - o.margin * bh), b = std::min(1.0f, found.bottom + o.margin * bh);
  plan.left = static_cast<int>(std::floor(l * photoWidth));
  plan.top = static_cast<int>(std::floor(t * photoHeight));
  plan.width = std::max(1, static_cast<int>(std::ceil(r * photoWidth)) - plan.left);
  plan.height = std::max(1, static_cast<int>(std::ceil(b * photoHeight)) - plan.top);
  // Model pixels across the crop now (a fraction of the input) and in the second pass (the
  // whole input, but never more than the photo's own pixels), per axis (inputs are
  // stretched): the gain is their geometric mean, the growth of the subject's model area.
  auto gainAlong = [](int cropPixels, int photoPixels, int model) {
    const float now = float(cropPixels) / photoPixels * model;
    return std::min<float>(model, cropPixels) / std::max(now, 1e-3f);
  };
  plan.gain = std::sqrt(gainAlong(plan.width, photoWidth, modelWidth) * gainAlong(plan.height, photoHeight, modelHeight));
  plan.zoom = plan.gain >= o.minGain;
  return plan;
}

Result<ImageRGBA8> cropRgba8(const ImageRGBA8& photo, int left, int top, int width, int height) {
  if (left < 0 || top < 0 || width < 1 || height < 1 || left + width > photo.width || top + height > photo.height) {
    return Status{ErrorCode::kInvalidArgument, "crop must lie inside the photo"};
  }
  auto out = ImageRGBA8::create(width, height);
  if (!out.ok()) return out.status();
  for (int y = 0; y < height; ++y) std::memcpy(out.value().row(y), photo.row(top + y) + 4 * left, 4 * size_t(width));
  return out;
}

Result<ImagePlanar> mergeZoom(const ImagePlanar& full, const ImagePlanar& crop, const ZoomPlan& plan, int photoWidth,
                              int photoHeight, const ZoomOptions& o) {
  if (!checkPlanes(full).ok() || !checkPlanes(crop).ok() || full.channels < 1 || crop.channels < 1) {
    return Status{ErrorCode::kInvalidArgument, "zoom merge needs two one-plane maps"};
  }
  if (plan.width < 1 || plan.height < 1 || plan.left < 0 || plan.top < 0 || plan.left + plan.width > photoWidth ||
      plan.top + plan.height > photoHeight) {
    return Status{ErrorCode::kInvalidArgument, "zoom crop must lie inside the photo"};
  }
  const float scale = std::clamp(plan.gain, 1.0f, o.maxScale);
  const int w = std::clamp(static_cast<int>(std::lround(full.width * scale)), 1, std::max(photoWidth, full.width));
  const int h = std::clamp(static_cast<int>(std::lround(full.height * scale)), 1, std::max(photoHeight, full.height));
  auto big = resize(full, w, h, UpscaleKernel::kBilinear);
  if (!big.ok()) return big.status();
  // The crop's rectangle on the merged grid.
  const int x0 = static_cast<int>(std::lround(double(plan.left) * w / photoWidth));
  const int y0 = static_cast<int>(std::lround(double(plan.top) * h / photoHeight));
  const int x1 = std::max(x0 + 1, std::min(w, static_cast<int>(std::lround(double(plan.left + plan.width) * w / photoWidth))));
  const int y1 = std::max(y0 + 1, std::min(h, static_cast<int>(std::lround(double(plan.top + plan.height) * h / photoHeight))));
  auto part = resize(crop, x1 - x0, y1 - y0, UpscaleKernel::kBilinear);
  if (!part.ok()) return part.status();
  // Where the first pass saw the subject (grown by a few of its pixels): the zoom may refine there only.
  std::vector<uint8_t> near(static_cast<size_t>(w) * h);
  const float* b = big.value().plane(0);
  for (size_t i = 0; i < near.size(); ++i) near[i] = b[i] >= 0.5f;
  near = dilateMask(near, w, h, static_cast<int>(std::ceil(3 * scale)));
  // Fade from the first map to the crop's over part of the margin, except at frame edges.
  const float rampX = std::max(1.0f, 0.5f * o.margin / (1 + 2 * o.margin) * (x1 - x0));
  const float rampY = std::max(1.0f, 0.5f * o.margin / (1 + 2 * o.margin) * (y1 - y0));
  float* out = big.value().plane(0);
  const float* in = part.value().plane(0);
  for (int y = y0; y < y1; ++y) {
    const float fy = std::min(y0 == 0 ? 1.0f : (y - y0 + 0.5f) / rampY, y1 == h ? 1.0f : (y1 - y - 0.5f) / rampY);
    for (int x = x0; x < x1; ++x) {
      const size_t i = static_cast<size_t>(y) * w + x;
      if (!near[i]) continue;
      const float fx = std::min(x0 == 0 ? 1.0f : (x - x0 + 0.5f) / rampX, x1 == w ? 1.0f : (x1 - x - 0.5f) / rampX);
      const float a = std::clamp(std::min(fx, fy), 0.0f, 1.0f);
      out[i] = (1 - a) * out[i] + a * in[static_cast<size_t>(y - y0) * (x1 - x0) + (x - x0)];
    }
  }
  return big;
}

}  // namespace defocus
