#include "defocus/depth.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "defocus/background_fill.h"
#include "defocus/focus_reading.h"
#include "defocus/gaussian_blur.h"
#include "defocus/resample.h"

namespace defocus {
namespace {

constexpr float kSubjectDepth = 0.35f;  // auto / flat: the subject sits a third of the way back
constexpr int kDepthGrid = 512;         // longest side of the grid depth is worked out on

// Chamfer (3-4) distance to the nearest pixel with alpha >= 0.5, in pixels; large where
// there is no subject at all.
std::vector<float> distanceToSubject(const ImagePlanar& matte) {
  const int w = matte.width, h = matte.height;
  const float far = 1e9f;
  std::vector<float> d(static_cast<size_t>(w) * h);
  for (size_t i = 0; i < d.size(); ++i) d[i] = matte.plane(0)[i] >= 0.5f ? 0 : far;
  auto relax = [&](int x, int y, int dx, int dy, float cost) {
    const int xx = x + dx, yy = y + dy;
    if (xx < 0 || yy < 0 || xx >= w || yy >= h) return;
    float& here = d[static_cast<size_t>(y) * w + x];
    here = std::min(here, d[static_cast<size_t>(yy) * w + xx] + cost);
  };
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      relax(x, y, -1, 0, 1), relax(x, y, 0, -1, 1), relax(x, y, -1, -1, 1.4142f), relax(x, y, 1, -1, 1.4142f);
    }
  }
  for (int y = h - 1; y >= 0; --y) {
    for (int x = w - 1; x >= 0; --x) {
      relax(x, y, 1, 0, 1), relax(x, y, 0, 1, 1), relax(x, y, 1, 1, 1.4142f), relax(x, y, -1, 1, 1.4142f);
    }
  }
  return d;
}

float smoothstep(float t) {
  t = std::clamp(t, 0.0f, 1.0f);
  return t * t * (3 - 2 * t);
}

void autoDepth(const ImagePlanar& matte, ImagePlanar& out) {
  const int w = matte.width, h = matte.height;
  const float diagonal = std::hypot(float(w), float(h));
  const std::vector<float> dist = distanceToSubject(matte);
  // The subject's extent: its lowest row (the feet) and its top.
  int top = h, feet = -1;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      if (matte.plane(0)[static_cast<size_t>(y) * w + x] >= 0.5f) top = std::min(top, y), feet = std::max(feet, y);
    }
  }
  if (feet < 0) {
    // No subject (the finder was not sure of one): depth alone, a landscape's ground plane,
    // sharp at the bottom of the frame and receding to the top.
    for (int y = 0; y < h; ++y) {
      const float depth = kSubjectDepth + (1 - kSubjectDepth) * smoothstep((0.8f * h - y) / (0.8f * h));
      std::fill(out.plane(0) + static_cast<size_t>(y) * w, out.plane(0) + static_cast<size_t>(y + 1) * w, depth);
    }
    return;
  }
  // Ground only when the feet are inside the frame (not a head-and-shoulders crop).
  const bool ground = feet >= 0 && feet < h - std::max(2, h / 30);
  const float horizon = ground ? std::max(0.0f, top - 0.1f * h) : 0.0f;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const size_t i = static_cast<size_t>(y) * w + x;
      // Background next to the subject is a little nearer than background far from it.
      float depth = kSubjectDepth + (1 - kSubjectDepth) * (0.6f + 0.4f * smoothstep(dist[i] / (0.2f * diagonal)));
      if (ground && y >= horizon) {
        // Perspective ground plane: the blur grows linearly with the image distance from
        // the feet row, behind (up to the horizon) and in front (down to the bottom).
        const float g = y <= feet ? kSubjectDepth + (1 - kSubjectDepth) * (feet - y) / std::max(1.0f, feet - horizon)
                                  : kSubjectDepth * (1 - 0.8f * (y - feet) / std::max(1.0f, float(h - 1 - feet)));
        depth = y <= feet ? std::min(depth, g) : g;
      }
      out.plane(0)[i] = depth;
    }
  }
}

}  // namespace

Status checkDepthOptions(const DepthOptions& o) {
  for (float v : {o.focusX, o.focusY, o.startX, o.startY, o.endX, o.endY}) {
    if (!std::isfinite(v)) return invalidArgument("depth points must be finite fractions");
  }
  if ((o.mode == DepthMode::kLinear || o.mode == DepthMode::kRadial) && o.startX == o.endX && o.startY == o.endY) {
    return invalidArgument("a depth gradient needs different start and end points");
  }
  return Status::success();
}

namespace {

// Auto depth scaled by the photo's focus (focus_reading.h): each pixel keeps the share of
// its distance from the subject's depth that the photo's own blur allows. photo: linear
// colour planes at the grid's size.
Status applyFocusReading(const ImagePlanar& matte, const ImagePlanar& photo, ImagePlanar& depth) {
  if (matte.width < 16 || matte.height < 16) return Status::success();  // too few pixels for edges to say anything
  Result<ImagePlanar> luminance = ImagePlanar::create(matte.width, matte.height, 1);
  if (!luminance.ok()) return luminance.status();
  for (size_t i = 0; i < matte.planeSize(); ++i) {
    luminance.value().plane(0)[i] = 0.2126f * photo.plane(0)[i] + 0.7152f * photo.plane(1)[i] + 0.0722f * photo.plane(2)[i];
  }
  Result<FocusReading> reading = readFocus(luminance.value(), matte);
  if (!reading.ok()) return reading.status();
  Result<ImagePlanar> share = focusDepthShare(reading.value(), matte);
  if (!share.ok()) return share.status();
  float* d = depth.plane(0);
  for (size_t i = 0; i < matte.planeSize(); ++i) d[i] = kSubjectDepth + (d[i] - kSubjectDepth) * share.value().plane(0)[i];
  return Status::success();
}

// estimateDepth on a matte (and photo) already at the size the depth is computed at.
Result<DepthEstimate> estimateOnGrid(const ImagePlanar& matte, const DepthOptions& o, const ImagePlanar* map,
                                     const ImagePlanar* photo) {
  const int w = matte.width, h = matte.height;
  Result<ImagePlanar> plane = ImagePlanar::create(w, h, 1);
  if (!plane.ok()) return plane.status();
  DepthEstimate est{plane.take(), kSubjectDepth};
  float* d = est.background.plane(0);
  // The subject's depth in the gradient and map modes: the mean over its pixels.
  auto subjectMean = [&](const float* depth) {
    double sum = 0, weight = 0;
    for (size_t i = 0; i < matte.planeSize(); ++i) {
      const float raw = matte.plane(0)[i];
      const float a = raw > 0 ? std::min(raw, 1.0f) : 0.0f;  // NaN alpha from a caller: not subject
      sum += depth[i] * a, weight += a;
    }
    return weight > 0 ? static_cast<float>(sum / weight) : kSubjectDepth;
  };
  switch (o.mode) {
    case DepthMode::kAuto:
      autoDepth(matte, est.background);
      if (photo && o.readFocus) {
        Status read = applyFocusReading(matte, *photo, est.background);
        if (!read.ok()) return read;
      }
      break;
    case DepthMode::kFlat:
      std::fill(d, d + matte.planeSize(), 1.0f);
      break;
    case DepthMode::kLinear:
    case DepthMode::kRadial: {
      // In double: points far outside (finite floats up to 3e38) square to infinity in float,
      // and inf / inf made the depth NaN.
      const double ax = double(o.startX) * w, ay = double(o.startY) * h, bx = double(o.endX) * w, by = double(o.endY) * h;
      const double len2 = (bx - ax) * (bx - ax) + (by - ay) * (by - ay);
      for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
          const double px = x + 0.5 - ax, py = y + 0.5 - ay;
          const double t0 = o.mode == DepthMode::kLinear ? (px * (bx - ax) + py * (by - ay)) / len2 : std::sqrt((px * px + py * py) / len2);
          const float t = static_cast<float>(std::clamp(t0, 0.0, 1.0));
          d[static_cast<size_t>(y) * w + x] = o.tiltShift && o.mode == DepthMode::kLinear ? std::fabs(2 * t - 1) : t;
        }
      }
      est.subject = subjectMean(d);
      break;
    }
    case DepthMode::kMap: {
      if (!map || map->samples.empty() || map->channels < 1) return invalidArgument("depth mode 'map' needs a depth map");
      Result<ImagePlanar> sized = resize(*map, w, h, UpscaleKernel::kBilinear);
      if (!sized.ok()) return sized.status();
      for (size_t i = 0; i < matte.planeSize(); ++i) {
        const float v = sized.value().plane(0)[i];
        sized.value().plane(0)[i] = std::isfinite(v) ? std::clamp(v, 0.0f, 1.0f) : 1.0f;
      }
      est.subject = subjectMean(sized.value().plane(0));
      // What is behind the subject is unknown: filled in from the surrounding background.
      Result<ImagePlanar> filled = fillBackground(sized.value(), matte);
      if (!filled.ok()) return filled.status();
      est.background = filled.take();
      break;
    }
  }
  // Smooth transitions: depth never steps from one pixel to the next.
  const float sigma = std::max(kMinGaussianSigma, 0.005f * std::hypot(float(w), float(h)));
  Result<ImagePlanar> smooth = gaussianBlur(est.background, sigma);
  if (!smooth.ok()) return smooth.status();
  est.background = smooth.take();
  return est;
}

}  // namespace

void depthGridSize(int width, int height, int* gridWidth, int* gridHeight) {
  // Depth changes only over a good part of the frame (every mode is smoothed over 0.5% of the
  // diagonal), so it is worked out on a grid of at most kDepthGrid px a side and enlarged:
  // at full resolution the chamfer distance and the smoothing took a quarter of a 16 MP export.
  // The preview and the export then also get the same depth.
  const double shrink = std::min(1.0, static_cast<double>(kDepthGrid) / std::max(width, height));
  *gridWidth = shrink == 1.0 ? width : std::max(1, static_cast<int>(std::lround(width * shrink)));
  *gridHeight = shrink == 1.0 ? height : std::max(1, static_cast<int>(std::lround(height * shrink)));
}

Result<DepthEstimate> estimateDepthOnGrid(const ImagePlanar& matte, const DepthOptions& o, const ImagePlanar* map,
                                          const ImagePlanar* gridPhoto) {
  Status ok = checkDepthOptions(o);
  if (!ok.ok()) return ok;
  if (matte.samples.empty() || matte.channels < 1) return invalidArgument("matte is empty");
  int gw, gh;
  depthGridSize(matte.width, matte.height, &gw, &gh);
  if (gridPhoto && (gridPhoto->width != gw || gridPhoto->height != gh || gridPhoto->channels < 3)) {
    return invalidArgument("the photo for reading its focus must be 3 planes of the depth grid's size");
  }
  const ImagePlanar* reading = o.readFocus && o.mode == DepthMode::kAuto ? gridPhoto : nullptr;
  if (gw == matte.width && gh == matte.height) return estimateOnGrid(matte, o, map, reading);
  Result<ImagePlanar> small = resize(matte, gw, gh);  // area average: a soft matte, thresholded at 0.5 as before
  if (!small.ok()) return small.status();
  return estimateOnGrid(small.value(), o, map, reading);
}

Result<DepthEstimate> estimateDepth(const ImagePlanar& matte, const DepthOptions& o, const ImagePlanar* map,
                                    const ImagePlanar* photo) {
  Status ok = checkDepthOptions(o);
  if (!ok.ok()) return ok;
  if (matte.samples.empty() || matte.channels < 1) return invalidArgument("matte is empty");
  // A caller's matte may hold NaN or values outside 0..1 (the bindings pass it as given):
  // depth works on a clamped copy (NaN: background), else NaN spread through the fill and
  // the smoothing into the focal plane (found by fuzz_render).
  const float* alpha = matte.plane(0);
  if (!std::all_of(alpha, alpha + matte.planeSize(), [](float a) { return a >= 0 && a <= 1; })) {
    Result<ImagePlanar> clamped = ImagePlanar::create(matte.width, matte.height, 1);
    if (!clamped.ok()) return clamped.status();
    std::transform(alpha, alpha + matte.planeSize(), clamped.value().plane(0),
                   [](float a) { return a > 0 ? std::min(a, 1.0f) : 0.0f; });
    return estimateDepth(clamped.value(), o, map, photo);
  }
  if (photo && (photo->width != matte.width || photo->height != matte.height || photo->channels < 3)) {
    return invalidArgument("the photo for reading its focus must be 3 planes of the matte's size");
  }
  const bool reading = photo && o.readFocus && o.mode == DepthMode::kAuto;
  int gw, gh;
  depthGridSize(matte.width, matte.height, &gw, &gh);
  const bool enlarge = gw != matte.width || gh != matte.height;
  std::optional<ImagePlanar> smallPhoto;
  if (reading && enlarge) {
    Result<ImagePlanar> p = resize(*photo, gw, gh);  // area average, like the matte
    if (!p.ok()) return p.status();
    smallPhoto = p.take();
  }
  Result<DepthEstimate> est = estimateDepthOnGrid(matte, o, map, !reading ? nullptr : smallPhoto ? &*smallPhoto : photo);
  if (!est.ok() || !enlarge) return est;
  Result<ImagePlanar> full = resize(est.value().background, matte.width, matte.height, UpscaleKernel::kBilinear);
  if (!full.ok()) return full.status();
  return DepthEstimate{full.take(), est.value().subject};
}

float focusDepth(const DepthEstimate& depth, const ImagePlanar& matte, const DepthOptions& o) {
  if (!(o.focusX >= 0 && o.focusY >= 0)) return depth.subject;  // negative (or NaN): the subject
  // Clamped as floats, then converted: a point far outside (focusX = 1e10) overflows int.
  const int x = static_cast<int>(std::min(o.focusX * matte.width, matte.width - 1.0f));  // outside: clamped
  const int y = static_cast<int>(std::min(o.focusY * matte.height, matte.height - 1.0f));
  const size_t i = static_cast<size_t>(y) * matte.width + x;
  const float raw = matte.plane(0)[i];
  const float a = raw > 0 ? std::min(raw, 1.0f) : 0.0f;  // NaN: 0, the background
  return a * depth.subject + (1 - a) * depth.background.plane(0)[i];
}

}  // namespace defocus
