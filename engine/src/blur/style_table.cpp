// The style table and the calls through it.
#include "blur/style_table.h"

#include <string>
#include <vector>

namespace defocus {

// Each row is defined in its style's folder: blur/<name>/<name>_style.cpp.
extern const BlurStyleEntry kGaussianStyle, kLensStyle, kMotionStyle, kRadialStyle;

namespace {

const BlurStyleEntry* const kStyles[] = {&kGaussianStyle, &kLensStyle, &kMotionStyle, &kRadialStyle};

}  // namespace

const BlurStyleEntry* findBlurStyle(BlurStyle style) {
  for (const BlurStyleEntry* s : kStyles) {
    if (s->style == style) return s;
  }
  return nullptr;
}

const BlurStyleEntry* findBlurStyle(const std::string& name) {
  for (const BlurStyleEntry* s : kStyles) {
    if (name == s->name) return s;
  }
  return nullptr;
}

std::vector<std::string> blurStyleNames() {
  std::vector<std::string> names;
  for (const BlurStyleEntry* s : kStyles) names.push_back(s->name);
  return names;
}

Result<ImagePlanar> blurLinearAtRadiusInFrame(const ImagePlanar& linear, const BlurFrame& frame, double radius,
                                              const BlurOptions& o) {
  Status ok = checkBlurOptions(o);
  if (!ok.ok()) return ok;
  if (!(radius >= 0 && radius <= kMaxLensRadius)) {
    return invalidArgument("blur radius must be in 0.." + std::to_string(int(kMaxLensRadius)));
  }
  const int from = frame.rows.from, to = frame.rows.end(linear.height);
  if (from < 0 || to > linear.height || from >= to) return invalidArgument("the rows kept must be inside the planes");
  Result<ImagePlanar> out = findBlurStyle(o.style)->atRadius(linear, frame, radius, o);
  if (!out.ok() || out.value().height == to - from) return out;
  return cropPlanes(out.value(), 0, from, linear.width, to - from);  // a style that made every row
}

Result<ImagePlanar> blurLinearVariableInFrame(const ImagePlanar& linear, const BlurFrame& frame, const float* radiusMap,
                                              const BlurOptions& o, const uint8_t* needed) {
  Status ok = checkBlurOptions(o);
  if (!ok.ok()) return ok;
  if (!radiusMap) return invalidArgument("radius map is missing");
  const int from = frame.rows.from, to = frame.rows.end(linear.height);
  if (from < 0 || to > linear.height || from >= to) return invalidArgument("the rows kept must be inside the planes");
  Result<ImagePlanar> out = findBlurStyle(o.style)->variable(linear, frame, radiusMap, o, needed);
  if (!out.ok() || out.value().height == to - from) return out;
  return cropPlanes(out.value(), 0, from, linear.width, to - from);  // a style that made every row
}

double blurReach(const BlurOptions& options) {
  const BlurStyleEntry* style = findBlurStyle(options.style);
  if (!style) return 2.0;
  return style->rowReach ? style->rowReach(options) : style->reach;
}

}  // namespace defocus
