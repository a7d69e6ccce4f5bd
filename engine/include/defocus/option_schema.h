// The render options as declared arguments: each option's name, type, range, default and
// one line of help, once, here (the libvips way: an operation's declared arguments feed its
// command line and bindings). Defaults are RenderOptions' own initialisers (render.h,
// blur.h, lens_blur.h, depth.h), read through the table; ranges and help are in the table.
//
// Who reads it: the bindings hand it to JavaScript (optionSchema()), and the wasm build
// writes it to web/wasm/option-schema.js, from which the module's defaults and the CLI's
// flags, ranges and help are made; tests hold the page's controls and the .d.ts files to it.
// checkRenderOptions() is the engine's verdict on a set of options: what a render would
// refuse, without rendering (the CLI asks it once before a batch).
//
// Adding a render option: the field in its struct (with its default), one row in
// option_schema.cpp; the bindings, the JS defaults and the CLI flag follow.
#pragma once

#include <string>
#include <vector>

#include "defocus/render.h"
#include "defocus/status.h"

namespace defocus {

enum class OptionType { kNumber, kInteger, kBoolean, kChoice };

// Where an option sits in JavaScript's options object: blur and render options at the top
// level (blur() takes the blur ones), depth options under `depth`.
enum class OptionGroup { kBlur, kRender, kDepth };

struct OptionSpec {
  const char* name;      // as JavaScript spells it; the CLI flag is its kebab-case
  OptionGroup group;
  OptionType type;
  const char* style;     // the blur style it belongs to ("lens", ...), checked only then; nullptr: always
  double min, max;       // kNumber / kInteger; infinite bounds: any finite value
  bool maxExclusive;     // the range is min <= v < max
  std::vector<std::string> choices;  // kChoice: the names it accepts
  const char* help;      // one line
  // kNumber / kInteger / kBoolean (0 or 1) values:
  double (*get)(const RenderOptions&);
  void (*set)(RenderOptions&, double);
  // kChoice values; set returns false for a name not in choices:
  std::string (*getChoice)(const RenderOptions&);
  bool (*setChoice)(RenderOptions&, const std::string&);
};

// Every option, in the order help lists them.
const std::vector<OptionSpec>& renderOptionSchema();

const char* optionTypeName(OptionType type);    // "number", "integer", "boolean", "choice"
const char* optionGroupName(OptionGroup group);  // "blur", "render", "depth"

// How messages and JavaScript name the option: "strength", "depth.focusX".
std::string optionPath(const OptionSpec& spec);

// A choice by name; an unknown one is kInvalidArgument naming the option and its choices.
Status setChoiceOption(const OptionSpec& spec, RenderOptions& options, const std::string& value);

// One value against the option's declared type and range (kInvalidArgument naming it). The
// bindings ask it for integers before they narrow into the struct's field, which would hide
// -1 or 2.5.
Status checkOptionValue(const OptionSpec& spec, double value);

// The engine's verdict on a whole set of options (one line, naming the option): the checks
// of blur.h and depth.h, then every option against its declared type and range (style
// options only for their style).
Status checkRenderOptions(const RenderOptions& options);

}  // namespace defocus
