#include "defocus/option_schema.h"

#include <cmath>
#include <limits>

#include "defocus/blur.h"
#include "defocus/depth.h"
#include "core/number_text.h"

namespace defocus {

namespace {

constexpr double kAny = std::numeric_limits<double>::infinity();
constexpr double kMaxUint32 = 4294967295.0;

// Depth modes by name, in one place (the bindings and the schema read them here).
const struct {
  const char* name;
  DepthMode mode;
} kDepthModes[] = {{"auto", DepthMode::kAuto}, {"flat", DepthMode::kFlat}, {"linear", DepthMode::kLinear},
                   {"radial", DepthMode::kRadial}, {"map", DepthMode::kMap}};

std::vector<std::string> depthModeNames() {
  std::vector<std::string> names;
  for (const auto& m : kDepthModes) names.push_back(m.name);
  return names;
}

// Rows are built with these, so each row reads as name, where, range, help, field.
#define DEFOCUS_FIELD(field)                                                \
  [](const RenderOptions& o) -> double { return static_cast<double>(o.field); }, \
      [](RenderOptions& o, double v) { o.field = static_cast<decltype(o.field)>(v); }

OptionSpec number(const char* name, OptionGroup group, const char* style, double min, double max, const char* help,
                  double (*get)(const RenderOptions&), void (*set)(RenderOptions&, double),
                  OptionType type = OptionType::kNumber, bool maxExclusive = false) {
  return {name, group, type, style, min, max, maxExclusive, {}, help, get, set, nullptr, nullptr};
}

OptionSpec boolean(const char* name, OptionGroup group, const char* help, double (*get)(const RenderOptions&),
                   void (*set)(RenderOptions&, double)) {
  return {name, group, OptionType::kBoolean, nullptr, 0, 1, false, {}, help, get, set, nullptr, nullptr};
}

std::vector<OptionSpec> buildSchema() {
  using G = OptionGroup;
  std::vector<OptionSpec> s;
  s.push_back({"style", G::kBlur, OptionType::kChoice, nullptr, 0, 0, false, blurStyleNames(),
               "blur style: lens (bokeh discs), gaussian (soft), motion (streaks), radial (zoom)", nullptr, nullptr,
               [](const RenderOptions& o) { return std::string(blurStyleName(o.blur.style)); },
               [](RenderOptions& o, const std::string& v) { return parseBlurStyle(v, &o.blur.style); }});
  s.push_back(number("strength", G::kBlur, nullptr, kMinStrength, kMaxStrength,
                     "blur strength, the same look at any resolution (100 = an 85 mm f/1.4 portrait; strength = 140 / f-number)",
                     DEFOCUS_FIELD(blur.strength)));
  s.push_back(number("blades", G::kBlur, "lens", 0, 16, "aperture: 0 = round, 3..16 straight blades",
                     DEFOCUS_FIELD(blur.aperture.blades), OptionType::kInteger));
  s.push_back(number("rotation", G::kBlur, "lens", -kAny, kAny, "aperture polygon rotation in degrees",
                     DEFOCUS_FIELD(blur.aperture.rotationDegrees)));
  s.push_back(number("curvature", G::kBlur, "lens", 0, 1, "blade curvature: 0 = straight .. 1 = round",
                     DEFOCUS_FIELD(blur.aperture.curvature)));
  s.push_back(number("highlightThreshold", G::kBlur, "lens", 0, 1,
                     "linear luminance above which highlights are boosted",
                     DEFOCUS_FIELD(blur.highlights.threshold), OptionType::kNumber, true));
  s.push_back(number("highlightBoost", G::kBlur, "lens", 0, 100,
                     "how much brighter the brightest highlights get before blurring (0 = off)",
                     DEFOCUS_FIELD(blur.highlights.boost)));
  s.push_back(number("angle", G::kBlur, "motion", -kAny, kAny, "streak direction in degrees, counter-clockwise from horizontal",
                     DEFOCUS_FIELD(blur.angleDegrees)));
  s.push_back(number("centerX", G::kBlur, "radial", 0, 1, "zoom centre, fraction of the width",
                     DEFOCUS_FIELD(blur.centerX)));
  s.push_back(number("centerY", G::kBlur, "radial", 0, 1, "zoom centre, fraction of the height",
                     DEFOCUS_FIELD(blur.centerY)));
  s.push_back(boolean("blurBackground", G::kRender, "blur a replacement background by the depth, like the photo's own",
                      DEFOCUS_FIELD(blurReplacement)));
  s.push_back(boolean("fillBackground", G::kRender, "fill the background behind the subject before blurring (off: the naive blur)",
                      DEFOCUS_FIELD(fillBackground)));
  s.push_back(boolean("decontaminate", G::kRender, "take the old background's colour out of edge pixels (hair, fur)",
                      DEFOCUS_FIELD(decontaminate)));
  s.push_back(boolean("grain", G::kRender, "add grain matched to the photo's own noise", DEFOCUS_FIELD(grain)));
  s.push_back(number("grainSeed", G::kRender, nullptr, 0, kMaxUint32, "the grain's seed: same seed, same grain",
                     DEFOCUS_FIELD(grainSeed), OptionType::kInteger));
  s.push_back({"mode", G::kDepth, OptionType::kChoice, nullptr, 0, 0, false, depthModeNames(),
               "how blur grows with distance: auto (the scene's geometry), flat, linear or radial gradient, map (a depth map)",
               nullptr, nullptr,
               [](const RenderOptions& o) {
                 for (const auto& m : kDepthModes) {
                   if (m.mode == o.depth.mode) return std::string(m.name);
                 }
                 return std::string();
               },
               [](RenderOptions& o, const std::string& v) {
                 for (const auto& m : kDepthModes) {
                   if (v == m.name) return o.depth.mode = m.mode, true;
                 }
                 return false;
               }});
  s.push_back(number("focusX", G::kDepth, nullptr, -1, 1, "focus point, fraction of the width (negative: the subject)",
                     DEFOCUS_FIELD(depth.focusX)));
  s.push_back(number("focusY", G::kDepth, nullptr, -1, 1, "focus point, fraction of the height (negative: the subject)",
                     DEFOCUS_FIELD(depth.focusY)));
  s.push_back(number("startX", G::kDepth, nullptr, -kAny, kAny, "gradient: where it is near, fraction of the width",
                     DEFOCUS_FIELD(depth.startX)));
  s.push_back(number("startY", G::kDepth, nullptr, -kAny, kAny, "gradient: where it is near, fraction of the height",
                     DEFOCUS_FIELD(depth.startY)));
  s.push_back(number("endX", G::kDepth, nullptr, -kAny, kAny, "gradient: where it is far, fraction of the width",
                     DEFOCUS_FIELD(depth.endX)));
  s.push_back(number("endY", G::kDepth, nullptr, -kAny, kAny, "gradient: where it is far, fraction of the height",
                     DEFOCUS_FIELD(depth.endY)));
  s.push_back(boolean("tiltShift", G::kDepth, "linear gradient: a sharp band halfway that blurs towards both ends",
                      DEFOCUS_FIELD(depth.tiltShift)));
  s.push_back(boolean("readFocus", G::kDepth, "auto depth: read the photo's own focus (what is as sharp as the subject stays sharp)",
                      DEFOCUS_FIELD(depth.readFocus)));
  return s;
}

#undef DEFOCUS_FIELD

std::string rangeText(const OptionSpec& spec) {
  return numberText(spec.min) + ".." + numberText(spec.max) + (spec.maxExclusive ? " (exclusive)" : "");
}

}  // namespace

const std::vector<OptionSpec>& renderOptionSchema() {
  static const std::vector<OptionSpec> schema = buildSchema();
  return schema;
}

const char* optionTypeName(OptionType type) {
  switch (type) {
    case OptionType::kNumber: return "number";
    case OptionType::kInteger: return "integer";
    case OptionType::kBoolean: return "boolean";
    case OptionType::kChoice: return "choice";
  }
  return "unknown";
}

const char* optionGroupName(OptionGroup group) {
  switch (group) {
    case OptionGroup::kBlur: return "blur";
    case OptionGroup::kRender: return "render";
    case OptionGroup::kDepth: return "depth";
  }
  return "unknown";
}

std::string optionPath(const OptionSpec& spec) {
  return spec.group == OptionGroup::kDepth ? std::string("depth.") + spec.name : std::string(spec.name);
}

Status setChoiceOption(const OptionSpec& spec, RenderOptions& options, const std::string& value) {
  if (spec.setChoice(options, value)) return Status::success();
  std::string names;
  for (size_t i = 0; i < spec.choices.size(); ++i) {
    names += (i == 0 ? "" : i + 1 == spec.choices.size() ? " or " : ", ") + spec.choices[i];
  }
  return {ErrorCode::kInvalidArgument, optionPath(spec) + " must be " + names + ", got '" + value + "'"};
}

Status checkOptionValue(const OptionSpec& spec, double v) {
  if (spec.type == OptionType::kChoice || spec.type == OptionType::kBoolean) return Status::success();
  const bool bounded = std::isfinite(spec.min) || std::isfinite(spec.max);
  const bool inRange = std::isfinite(v) && v >= spec.min && (spec.maxExclusive ? v < spec.max : v <= spec.max);
  const bool whole = spec.type != OptionType::kInteger || v == std::floor(v);
  if (inRange && whole) return Status::success();
  const std::string what = spec.type == OptionType::kInteger ? "an integer" : "a number";
  return {ErrorCode::kInvalidArgument, optionPath(spec) + " must be " +
                                           (bounded ? what + " in " + rangeText(spec) : "a finite number") + ", got " +
                                           numberText(v)};
}

Status checkRenderOptions(const RenderOptions& o) {
  // The style's own checks first: their reasons say what the table's ranges cannot (blades
  // 1 and 2 are no polygon; a gradient needs two different points).
  for (const Status& s : {checkBlurOptions(o.blur), checkDepthOptions(o.depth)}) {
    if (!s.ok()) return s;
  }
  const std::string style = blurStyleName(o.blur.style);
  for (const OptionSpec& spec : renderOptionSchema()) {
    if (spec.style && style != spec.style) continue;
    Status s = spec.type == OptionType::kChoice ? Status::success() : checkOptionValue(spec, spec.get(o));
    if (!s.ok()) return s;
  }
  return Status::success();
}

}  // namespace defocus
