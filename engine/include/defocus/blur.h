// The blur styles behind one set of options, driven by a strength of 1..100 that looks the
// same at any resolution:
//
//   radius = strength / 100 * kStrengthDiagonalFraction * image diagonal   (pixels)
//
// so strength 100 on a 4000x3000 photo (diagonal 5000) is a 210-pixel radius, and a 1000x750
// preview of it gets 53 pixels: the same look. Strength is calibrated to real lenses:
// strength 100 is an 85 mm f/1.4 focused at 1.5 m (head and shoulders) on a 36x24 mm frame,
// whose circle of confusion for a background at infinity is f^2 / (N (s - f)) = 3.65 mm,
// a disc of radius 4.21% of the 43.3 mm frame diagonal. The disc scales with 1/N, so
// strength = 140 / N (f/2.8 = 50, f/5.6 = 25; aperture.js in web/lib converts). Each style reads the radius its own way:
//   lens      disc (or polygon) of that radius;
//   gaussian  sigma = radius / 2, the sigma of a disc of that radius (same second moment);
//   motion    a streak of 2 * radius (the disc's diameter) along the angle;
//   radial    a streak of 2 * radius at the farthest corner, shorter towards the centre.
#pragma once

#include <string>
#include <vector>

#include "defocus/image.h"
#include "defocus/lens_blur.h"

namespace defocus {

constexpr double kStrengthDiagonalFraction = 0.0421;  // 85 mm f/1.4 at 1.5 m, see above
constexpr float kMinStrength = 1.0f;
constexpr float kMaxStrength = 100.0f;

// One value per row of the style table (engine/src/blur/style_table.cpp); engine/README.md
// says how to add a style.
enum class BlurStyle { kGaussian, kLens, kMotion, kRadial };

// "gaussian", "lens", "motion", "radial" <-> BlurStyle.
bool parseBlurStyle(const std::string& name, BlurStyle* style);
const char* blurStyleName(BlurStyle style);
// Every style's name, in the table's order.
std::vector<std::string> blurStyleNames();

struct BlurOptions {
  BlurStyle style = BlurStyle::kLens;
  float strength = 30.0f;  // 1..100
  Aperture aperture;        // lens
  Highlights highlights;    // lens
  float angleDegrees = 0;   // motion: direction, counter-clockwise from horizontal
  float centerX = 0.5f;     // radial: zoom centre as fractions of width / height
  float centerY = 0.5f;
};

double blurRadiusForStrength(double strength, int width, int height);

Status checkBlurOptions(const BlurOptions& options);

// Linear planes (3 colour planes, optionally a 4th alpha plane premultiplied into them).
Result<ImagePlanar> blurLinear(const ImagePlanar& linear, const BlurOptions& options);

// The style at an explicit radius in pixels (what a strength maps to; 0 copies).
Result<ImagePlanar> blurLinearAtRadius(const ImagePlanar& linear, double radius, const BlurOptions& options);

// A radius per pixel (width * height values, pixels): the style's blurs at a few radii,
// blended per pixel (see lensBlurVariable), so the blur follows the map without seams.
// needed (optional, width * height): 0 marks pixels the caller will not use (covered by a
// sharp subject); the blur may skip them and leave any finite value there. The other
// pixels come out as without the mask.
Result<ImagePlanar> blurLinearVariable(const ImagePlanar& linear, const float* radiusMap, const BlurOptions& options,
                                       const uint8_t* needed = nullptr);

// sRGB RGBA8 in, sRGB RGBA8 out: converted to linear light (premultiplied when the image
// has transparency), blurred, converted back.
Result<ImageRGBA8> blurImage(const ImageRGBA8& image, const BlurOptions& options);

}  // namespace defocus
