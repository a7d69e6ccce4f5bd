// The entry points of defocus/blur.h: options checked, then the style's row of the table
// (style_table.h) does the work.
#include "defocus/blur.h"

#include <cmath>
#include <cstring>
#include <string>

#include "defocus/color.h"
#include "blur/rgba_stages.h"
#include "blur/style_table.h"
#include "core/number_text.h"

namespace defocus {

bool parseBlurStyle(const std::string& name, BlurStyle* style) {
  const BlurStyleEntry* s = findBlurStyle(name);
  if (!s) return false;
  *style = s->style;
  return true;
}

const char* blurStyleName(BlurStyle style) {
  const BlurStyleEntry* s = findBlurStyle(style);
  return s ? s->name : "unknown";
}

double blurRadiusForStrength(double strength, int width, int height) {
  return strength / 100.0 * kStrengthDiagonalFraction * std::hypot(double(width), double(height));
}

Status checkBlurOptions(const BlurOptions& o) {
  if (!(o.strength >= kMinStrength && o.strength <= kMaxStrength)) {
    return invalidArgument("strength must be in 1..100, got " + numberText(o.strength));
  }
  const BlurStyleEntry* style = findBlurStyle(o.style);
  if (!style) return invalidArgument("unknown blur style");
  return style->check ? style->check(o) : Status::success();
}

Result<ImagePlanar> blurLinearAtRadius(const ImagePlanar& linear, double radius, const BlurOptions& o) {
  return blurLinearAtRadiusInFrame(linear, BlurFrame{}, radius, o);
}

Result<ImagePlanar> blurLinear(const ImagePlanar& linear, const BlurOptions& o) {
  return blurLinearAtRadius(linear, blurRadiusForStrength(o.strength, linear.width, linear.height), o);
}

Result<ImagePlanar> blurLinearVariable(const ImagePlanar& linear, const float* radiusMap, const BlurOptions& o,
                                       const uint8_t* needed) {
  return blurLinearVariableInFrame(linear, BlurFrame{}, radiusMap, o, needed);
}

namespace {

bool isOpaque(const ImageRGBA8& image) {
  // AND of every pixel as one word, no early exit, so it vectorises; AND works bytewise,
  // so byte 3 of the result is the AND of every alpha.
  uint32_t all = 0xFFFFFFFFu;
  const size_t n = image.pixels.size() / 4;
  const uint8_t* p = image.pixels.data();
  for (size_t i = 0; i < n; ++i) {
    uint32_t word;
    std::memcpy(&word, p + 4 * i, sizeof word);
    all &= word;
  }
  uint8_t bytes[4];
  std::memcpy(bytes, &all, sizeof bytes);
  return bytes[3] == 0xFF;
}

}  // namespace

Result<ImageRGBA8> blurImage(const ImageRGBA8& image, const BlurOptions& options) {
  Status ok = checkBlurOptions(options);
  if (!ok.ok()) return ok;
  const BlurStyleEntry& style = *findBlurStyle(options.style);
  const int channels = isOpaque(image) ? 3 : 4;
  if (style.onReducedGrid) {
    Result<ImageRGBA8> reduced = Status{};
    const double radius = blurRadiusForStrength(options.strength, image.width, image.height);
    if (style.onReducedGrid(image, radius, options, channels, &reduced)) return reduced;
  }
  Result<ImagePlanar> linear = rgba8ToLinear(image, channels);
  if (!linear.ok()) return linear.status();
  premultiplyAlpha(linear.value());
  Result<ImagePlanar> blurred = blurLinear(linear.value(), options);
  if (!blurred.ok()) return blurred.status();
  if (style.smoothResult) return blurredPlanesToRgba8(blurred.value());
  unpremultiplyAlpha(blurred.value());
  return linearToRgba8(blurred.value());
}

}  // namespace defocus
