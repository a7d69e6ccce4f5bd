// The options schema (defocus/option_schema.h) against the engine itself: its ranges are the
// ones the engine's checks enforce, its defaults are RenderOptions' and pass, every row
// reads and writes its own field.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <string>

#include "defocus/option_schema.h"

namespace defocus {
namespace {

// Options with the style an option belongs to, so its style's checks apply.
RenderOptions forStyle(const OptionSpec& spec) {
  RenderOptions o;
  if (spec.style) EXPECT_TRUE(parseBlurStyle(spec.style, &o.blur.style)) << spec.style;
  return o;
}

std::string squeezed(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), ' '), text.end());
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// The reason names the option: "highlight threshold" and "highlightThreshold" both do.
bool names(const Status& status, const OptionSpec& spec) {
  return squeezed(status.reason()).find(squeezed(spec.name)) != std::string::npos ||
         (spec.group == OptionGroup::kDepth && status.reason().find("depth") != std::string::npos);
}

Status withValue(const OptionSpec& spec, double value) {
  RenderOptions o = forStyle(spec);
  spec.set(o, value);
  return checkRenderOptions(o);
}

TEST(OptionSchema, NamesAreUniqueAndEveryRowIsComplete) {
  const auto& schema = renderOptionSchema();
  ASSERT_GE(schema.size(), 24u);
  std::set<std::string> paths;
  for (const OptionSpec& spec : schema) {
    EXPECT_TRUE(paths.insert(optionPath(spec)).second) << "twice: " << optionPath(spec);
    EXPECT_GT(std::string(spec.help).size(), 10u) << spec.name;
    EXPECT_EQ(std::string(spec.help).find('\n'), std::string::npos) << spec.name << ": help is one line";
    if (spec.type == OptionType::kChoice) {
      EXPECT_TRUE(spec.getChoice && spec.setChoice && spec.choices.size() >= 2) << spec.name;
    } else {
      EXPECT_TRUE(spec.get && spec.set) << spec.name;
      EXPECT_LE(spec.min, spec.max) << spec.name;
    }
  }
  for (const char* path : {"style", "strength", "blades", "centerX", "centerY", "grainSeed", "depth.mode", "depth.focusX",
                           "depth.readFocus", "blurBackground"}) {
    EXPECT_EQ(paths.count(path), 1u) << path;
  }
}

TEST(OptionSchema, DefaultsAreRenderOptionsOwnAndPass) {
  const RenderOptions defaults;
  EXPECT_TRUE(checkRenderOptions(defaults).ok()) << checkRenderOptions(defaults).reason();
  for (const OptionSpec& spec : renderOptionSchema()) {
    if (spec.type == OptionType::kChoice) {
      const std::string value = spec.getChoice(defaults);
      EXPECT_NE(std::find(spec.choices.begin(), spec.choices.end(), value), spec.choices.end()) << spec.name << " " << value;
      continue;
    }
    const double v = spec.get(defaults);
    EXPECT_TRUE(v >= spec.min && (spec.maxExclusive ? v < spec.max : v <= spec.max)) << spec.name << " default " << v;
  }
  EXPECT_EQ(renderOptionSchema()[1].get(defaults), 30.0) << "strength's default is BlurOptions'";
}

// The declared range is what the engine accepts: both ends pass, just outside fails with a
// reason naming the option; unbounded options refuse only non-finite values.
TEST(OptionSchema, RangesAreTheEnginesOwn) {
  int bounded = 0;
  for (const OptionSpec& spec : renderOptionSchema()) {
    if (spec.type == OptionType::kChoice || spec.type == OptionType::kBoolean) continue;
    const double step = spec.type == OptionType::kInteger ? 1.0 : 1e-3;
    const double top = spec.maxExclusive ? spec.max - step : spec.max;
    if (std::isfinite(spec.min)) {
      ++bounded;
      EXPECT_TRUE(withValue(spec, spec.min).ok()) << spec.name << " at min: " << withValue(spec, spec.min).reason();
      EXPECT_TRUE(withValue(spec, top).ok()) << spec.name << " at max: " << withValue(spec, top).reason();
      for (double outside : {spec.min - step, spec.maxExclusive ? spec.max : spec.max + step}) {
        // An integer field cannot hold what is outside (the bindings check the JS value first).
        const Status s = spec.type == OptionType::kInteger ? checkOptionValue(spec, outside) : withValue(spec, outside);
        EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument) << spec.name << " at " << outside;
        EXPECT_TRUE(names(s, spec)) << spec.name << ": " << s.reason();
      }
    } else {
      EXPECT_TRUE(withValue(spec, -1e6).ok() && withValue(spec, 1e6).ok()) << spec.name;
    }
    if (spec.type == OptionType::kInteger) {
      EXPECT_FALSE(checkOptionValue(spec, spec.min + 3.5).ok()) << spec.name << ": integers are whole";
      EXPECT_TRUE(checkOptionValue(spec, spec.min + 3).ok()) << spec.name;
      continue;
    }
    const Status nan = withValue(spec, NAN);
    EXPECT_EQ(nan.code(), ErrorCode::kInvalidArgument) << spec.name << " NaN";
    EXPECT_TRUE(names(nan, spec)) << spec.name << ": " << nan.reason();
  }
  EXPECT_GE(bounded, 9);
}

TEST(OptionSchema, StyleOptionsAreCheckedOnlyForTheirStyle) {
  RenderOptions o;
  o.blur.style = BlurStyle::kGaussian;
  o.blur.centerX = 2;
  o.blur.aperture.curvature = 5;
  EXPECT_TRUE(checkRenderOptions(o).ok()) << checkRenderOptions(o).reason();
  o.blur.style = BlurStyle::kRadial;
  EXPECT_EQ(checkRenderOptions(o).reason(), "centerX must be a number in 0..1, got 2");
}

TEST(OptionSchema, EachRowReadsAndWritesItsOwnField) {
  const auto& schema = renderOptionSchema();
  const RenderOptions defaults;
  for (const OptionSpec& spec : schema) {
    RenderOptions o;
    if (spec.type == OptionType::kChoice) {
      const std::string other = spec.choices.back() == spec.getChoice(o) ? spec.choices.front() : spec.choices.back();
      ASSERT_TRUE(setChoiceOption(spec, o, other).ok()) << spec.name;
      EXPECT_EQ(spec.getChoice(o), other) << spec.name;
      const Status unknown = setChoiceOption(spec, o, "watercolour");
      EXPECT_NE(unknown.reason().find(optionPath(spec) + " must be "), std::string::npos) << unknown.reason();
      EXPECT_NE(unknown.reason().find("'watercolour'"), std::string::npos) << unknown.reason();
    } else {
      const double value = spec.type == OptionType::kBoolean ? 1 - spec.get(defaults) : spec.get(defaults) == 3 ? 4 : 3;
      spec.set(o, value);
      EXPECT_EQ(spec.get(o), value) << spec.name;
    }
    for (const OptionSpec& other : schema) {  // nothing else moved
      if (&other == &spec) continue;
      if (other.type == OptionType::kChoice) {
        EXPECT_EQ(other.getChoice(o), other.getChoice(defaults)) << spec.name << " moved " << other.name;
      } else {
        EXPECT_EQ(other.get(o), other.get(defaults)) << spec.name << " moved " << other.name;
      }
    }
  }
}

}  // namespace
}  // namespace defocus
