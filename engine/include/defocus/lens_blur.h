// Lens (bokeh) blur: every point spreads into the shape of the aperture, a disc or an
// N-bladed polygon, with flat interior and crisp rim, as an out-of-focus lens renders it.
//
// Method (chosen by measurement, see bench/): the kernel is a stack of horizontal spans,
// one per kernel row, with fractional ends (anti-aliased rim); each span sum is two
// lookups in per-row prefix sums, so the cost per pixel is one term per kernel row. Large
// radii run on an area-reduced grid (energy preserving) where the radius is about
// 1.5 sqrt(radius) pixels, then return to full resolution with Catmull-Rom: the cost per
// pixel does not grow with the radius.
#pragma once

#include "defocus/image.h"

namespace defocus {

constexpr float kMaxLensRadius = 4000.0f;

struct Aperture {
  int blades = 0;                // 0 = circular; 5..9 = polygon with that many straight blades
  float rotationDegrees = 0.0f;  // rotation of the polygon
  float curvature = 0.0f;        // 0 = straight blades .. 1 = round (circle)
};

// Specular highlights: in linear light, pixels whose luminance is above `threshold` are
// multiplied by up to 1 + boost before blurring, so point lights spread into bright,
// flat discs instead of grey smudges (the role of Photoshop's specular threshold and
// brightness). boost = 0 turns it off; the blur itself conserves energy.
struct Highlights {
  float threshold = 0.75f;  // linear luminance 0..1 where the boost starts
  float boost = 0.0f;       // 0..100
};

Status checkAperture(const Aperture& aperture);
Status checkHighlights(const Highlights& highlights);

// Fixed radius in pixels (0 .. kMaxLensRadius; 0 returns a copy). Planes 0..2 are colour
// (highlights use their luminance); a 4th plane is alpha, which the colour planes are
// premultiplied by (highlights are judged on the unpremultiplied colour). rows: the rows of
// the result made (a strip keeps its own, not its halo; cut to the planes); default all.
Result<ImagePlanar> lensBlur(const ImagePlanar& linear, float radius, const Aperture& aperture,
                             const Highlights& highlights = {}, RowRange rows = {});

// Per-pixel radius map (width * height values, pixels). The map is split into radius
// layers a factor kLensLayerRatio apart; each pixel blends its two nearest layers, so the
// blur changes continuously with the map. A constant map gives exactly lensBlur().
constexpr float kLensLayerRatio = 1.5f;
Result<ImagePlanar> lensBlurVariable(const ImagePlanar& linear, const float* radiusMap, const Aperture& aperture,
                                     const Highlights& highlights = {});

// How the layers are laid out: layers 1.5x apart; radii above 2 pixels already on a reduced
// grid, with a disc of max(2, 1.2 sqrt(radius)) coarse pixels (inside a blend of two layers
// the slightly softer rim does not show; 1.2 instead of 1.5 cost 1.1 dB against the
// reference and saved 3-15% of a 2 MP render), the grid's factor then rounded to a power
// of two (lens_layers.cpp); layers sharing a reduced grid weighted and summed there, then
// brought to full resolution once. The reference the tests bound this
// against (tests/engine/blur/lens_layers_reference.h) puts layers 1.25x apart, every disc at
// least 4 coarse pixels (as lensBlur), and blends each layer at full resolution.
struct VariableLensTuning {
  float layerRatio = kLensLayerRatio;
  double minCoarseRadius = 2.0;
  double coarseRadiusScale = 1.2;  // a disc of radius r runs with radius scale sqrt(r) on its grid
  // The largest radius of the whole photo when the map is a part of it (a strip): layers
  // are spaced down from it, so every part gets the same ones. 0: from the map's own.
  float layerTop = 0;
};
// needed (optional, width x height): 0 where the caller will not use the result; those
// pixels may be left at any finite value (see blurLinearVariable).
Result<ImagePlanar> lensBlurVariable(const ImagePlanar& linear, const float* radiusMap, const Aperture& aperture,
                                     const Highlights& highlights, const VariableLensTuning& tuning,
                                     const uint8_t* needed = nullptr, RowRange rows = {});

}  // namespace defocus
