// Rendering and blurring with fuzzed options on small images: the whole portrait render
// (every style, aperture, highlights, depth mode, focus point, grain), the blurs at any
// radius or sigma (also huge ones on a tiny image), per-pixel radius maps, brush strokes and
// matte refinement. Values are any floats (NaN, infinities, huge) half of the time.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "defocus/blur.h"
#include "defocus/brush.h"
#include "defocus/color.h"
#include "defocus/depth.h"
#include "defocus/gaussian_blur.h"
#include "defocus/matte.h"
#include "defocus/render.h"
#include "fuzz_input.h"

using namespace defocus;
using defocus_fuzz::FuzzInput;

namespace {

template <typename T>
void expectReason(const Result<T>& r) {
  if (!r.ok()) defocus_fuzz::checkReason(r.status().reason());
}

ImageRGBA8 photo(FuzzInput& in, int w, int h) {
  Result<ImageRGBA8> image = ImageRGBA8::create(w, h);
  if (!image.ok()) std::abort();
  const bool opaque = in.flag();
  for (size_t i = 0; i < image.value().pixels.size(); ++i) image.value().pixels[i] = opaque && i % 4 == 3 ? 255 : in.byte();
  return image.take();
}

ImagePlanar plane(FuzzInput& in, int w, int h, float lo, float hi) {
  Result<ImagePlanar> p = ImagePlanar::create(w, h, 1);
  if (!p.ok()) std::abort();
  for (size_t i = 0; i < p.value().samples.size(); ++i) p.value().samples[i] = in.number(lo, hi);
  return p.take();
}

BlurOptions blurOptions(FuzzInput& in) {
  BlurOptions o;
  o.style = static_cast<BlurStyle>(in.range(0, static_cast<int>(blurStyleNames().size()) - 1));  // every row of the style table
  o.strength = in.number(1, 100);
  o.aperture.blades = in.flag() ? in.range(-2, 12) : 0;
  o.aperture.rotationDegrees = in.number(0, 360);
  o.aperture.curvature = in.number(0, 1);
  o.highlights.threshold = in.number(0, 1);
  o.highlights.boost = in.number(0, 100);
  o.angleDegrees = in.number(-360, 360);
  o.centerX = in.number(-1, 2);
  o.centerY = in.number(-1, 2);
  return o;
}

DepthOptions depthOptions(FuzzInput& in) {
  DepthOptions d;
  d.mode = static_cast<DepthMode>(in.range(0, 4));
  d.focusX = in.number(-1, 2);
  d.focusY = in.number(-1, 2);
  d.startX = in.number(-1, 2);
  d.startY = in.number(-1, 2);
  d.endX = in.number(-1, 2);
  d.endY = in.number(-1, 2);
  d.tiltShift = in.flag();
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzInput in(data, size);
  const int what = in.range(0, 5);
  const int w = in.range(1, 24), h = in.range(1, 24);
  switch (what) {
    case 0: {  // the whole render
      const ImageRGBA8 image = photo(in, w, h);
      const ImagePlanar matte = plane(in, w, h, 0, 1);
      RenderOptions o;
      o.blur = blurOptions(in);
      o.depth = depthOptions(in);
      o.fillBackground = in.flag();
      o.decontaminate = in.flag();
      o.grain = in.flag();
      o.grainSeed = in.u32();
      const bool withMap = in.flag();
      const ImagePlanar map = plane(in, in.range(1, 8), in.range(1, 8), 0, 1);
      expectReason(renderPortrait(image, matte, o, withMap ? &map : nullptr));
      expectReason(renderRadii(matte, o, withMap ? &map : nullptr));
      break;
    }
    case 1: {  // a style at any radius, on linear planes
      const ImageRGBA8 image = photo(in, w, h);
      Result<ImagePlanar> linear = rgba8ToLinear(image, in.flag() ? 4 : 3);
      if (!linear.ok()) std::abort();
      const BlurOptions o = blurOptions(in);
      expectReason(blurLinearAtRadius(linear.value(), in.number(0, 4000), o));
      break;
    }
    case 2: {  // a radius per pixel
      const ImageRGBA8 image = photo(in, w, h);
      Result<ImagePlanar> linear = rgba8ToLinear(image, 3);
      if (!linear.ok()) std::abort();
      const BlurOptions o = blurOptions(in);
      const ImagePlanar radii = plane(in, w, h, 0, 60);
      expectReason(blurLinearVariable(linear.value(), radii.samples.data(), o));
      break;
    }
    case 3: {  // the Gaussian at any sigma, and the RGBA8 path
      const ImageRGBA8 image = photo(in, w, h);
      Result<ImagePlanar> linear = rgba8ToLinear(image, 3);
      if (!linear.ok()) std::abort();
      expectReason(gaussianBlur(linear.value(), in.number(0.5f, 2000)));
      expectReason(blurImage(image, blurOptions(in)));
      break;
    }
    case 4: {  // brush strokes, then depth and its focal plane
      ImagePlanar matte = plane(in, w, h, 0, 1);
      std::vector<BrushStroke> strokes(in.range(0, 3));
      for (BrushStroke& s : strokes) {
        s.restore = in.flag();
        s.radius = in.number(0, 1);
        s.hardness = in.number(0, 1);
        s.points.resize(in.range(0, 4));
        for (BrushPoint& p : s.points) p.x = in.number(-1, 2), p.y = in.number(-1, 2);
      }
      Status brushed = applyStrokes(matte, strokes);
      if (!brushed.ok()) defocus_fuzz::checkReason(brushed.reason());
      const DepthOptions d = depthOptions(in);
      const ImagePlanar map = plane(in, in.range(1, 8), in.range(1, 8), 0, 1);
      Result<DepthEstimate> depth = estimateDepth(matte, d, &map);
      expectReason(depth);
      if (depth.ok()) {
        const float focus = focusDepth(depth.value(), matte, d);
        if (!std::isfinite(focus)) {
          std::fprintf(stderr, "focus %g subject %g mode %d fx %g fy %g\n", focus, depth.value().subject, int(d.mode), d.focusX, d.focusY);
          std::abort();
        }
      }
      break;
    }
    case 5: {  // matte refinement from a low-resolution probability map
      const ImageRGBA8 image = photo(in, w, h);
      const ImagePlanar probability = plane(in, in.range(1, 12), in.range(1, 12), 0, 1);
      MatteOptions o;
      o.workingSize = in.flag() ? in.i32() : in.range(1, 64);
      o.radius = in.number(0, 8);
      o.epsilon = in.number(0, 0.01f);
      expectReason(refineMatte(image, probability, o));
      expectReason(upsampleMatte(probability, w, h));
      break;
    }
  }
  return 0;
}
