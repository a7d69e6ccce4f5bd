// Render options: read from JS by the engine's schema and checked, the schema itself for
// JS (defaults, CLI flags), the render thread count, and the blur-only call.
#include "render_options.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "defocus/blur.h"
#include "defocus/option_schema.h"
#include "heap_warmer.h"

namespace defocus_js {

namespace {

// Options from JS by the engine's schema (defocus/option_schema.h): every option of the
// groups read is present (the JS wrapper fills defaults), depth options under `depth`.
// Then the engine's verdict on them, the same whether a render or checkOptions() asks.
defocus::Status optionsFromJs(const val& options, bool blurOnly, defocus::RenderOptions* o) {
  for (const defocus::OptionSpec& spec : defocus::renderOptionSchema()) {
    if (blurOnly && spec.group != defocus::OptionGroup::kBlur) continue;
    const val value = spec.group == defocus::OptionGroup::kDepth ? options["depth"][spec.name] : options[spec.name];
    if (spec.type == defocus::OptionType::kChoice) {
      defocus::Status chosen = defocus::setChoiceOption(spec, *o, value.as<std::string>());
      if (!chosen.ok()) return chosen;
    } else if (spec.type == defocus::OptionType::kBoolean) {
      spec.set(*o, value.as<bool>() ? 1.0 : 0.0);
    } else {
      const double number = value.as<double>();
      if (spec.type == defocus::OptionType::kInteger) {  // the struct's int would hide -1 or 2.5
        defocus::Status whole = defocus::checkOptionValue(spec, number);
        if (!whole.ok()) return whole;
      }
      spec.set(*o, number);
    }
  }
  return defocus::checkRenderOptions(*o);
}

defocus::Status blurOptionsFromJs(const val& options, defocus::BlurOptions* o) {
  defocus::RenderOptions render;
  render.blur = *o;
  defocus::Status parsed = optionsFromJs(options, true, &render);
  *o = render.blur;
  return parsed;
}

// Threads a full-size render's strips share: an engine setting (the loader picks it with
// the build), not a render option: the same pixels either way. Without -pthread, one.
#ifdef __EMSCRIPTEN_PTHREADS__
constexpr int kMaxRenderThreads = 2;  // the pool's one worker plus the caller (bindings/CMakeLists.txt)
#else
constexpr int kMaxRenderThreads = 1;
#endif
int renderThreads = 1;

int setRenderThreads(int threads) {
  renderThreads = std::clamp(threads, 1, kMaxRenderThreads);
  return renderThreads;
}

// The schema as JS reads it: [{name, group, type, style?, min?, max?, maxExclusive?,
// choices?, default, help}]; unbounded ranges leave min / max out.
val optionSchema() {
  const defocus::RenderOptions defaults;
  val out = val::array();
  for (const defocus::OptionSpec& spec : defocus::renderOptionSchema()) {
    val row = val::object();
    row.set("name", std::string(spec.name));
    row.set("group", std::string(defocus::optionGroupName(spec.group)));
    row.set("type", std::string(defocus::optionTypeName(spec.type)));
    if (spec.style) row.set("style", std::string(spec.style));
    switch (spec.type) {
      case defocus::OptionType::kChoice: {
        val choices = val::array();
        for (const std::string& c : spec.choices) choices.call<void>("push", c);
        row.set("choices", choices);
        row.set("default", spec.getChoice(defaults));
        break;
      }
      case defocus::OptionType::kBoolean:
        row.set("default", spec.get(defaults) != 0);
        break;
      default:
        if (std::isfinite(spec.min)) row.set("min", spec.min);
        if (std::isfinite(spec.max)) row.set("max", spec.max);
        if (spec.maxExclusive) row.set("maxExclusive", true);
        row.set("default", spec.get(defaults));
    }
    row.set("help", std::string(spec.help));
    out.call<void>("push", row);
  }
  return out;
}

// The engine's verdict on render options (all present, as render takes them) without
// rendering: null, or {error, code} naming the option.
val checkOptions(const val& options) {
  defocus::RenderOptions o;
  defocus::Status verdict = renderOptionsFromJs(options, &o);
  return verdict.ok() ? val::null() : failure(verdict);
}

// output: null, or a caller's Uint8Array / Uint8ClampedArray of width * height * 4 bytes
// that receives the pixels (e.g. an ImageData's), which spares JS a fresh 4-bytes-a-pixel
// allocation per call.
val blur(const val& rgba, int width, int height, const val& options, const val& output) {
  defocus::BlurOptions o;
  defocus::Status parsed = blurOptionsFromJs(options, &o);
  if (!parsed.ok()) return failure(parsed);
  auto image = imageFromJs(rgba, width, height);
  if (!image.ok()) return failure(image.status());
  const bool into = present(output);
  if (into && output["length"].as<size_t>() != image.value().pixels.size()) {
    return failure({defocus::ErrorCode::kInvalidArgument,
                    "output holds " + std::to_string(output["length"].as<size_t>()) + " bytes but the image needs " +
                        std::to_string(image.value().pixels.size())});
  }
  auto blurred = defocus::blurImage(image.value(), o);
  if (!blurred.ok()) return failure(blurred.status());
  if (!into) return imageValue(blurred.value());
  const auto& pixels = blurred.value().pixels;
  output.call<void>("set", val(emscripten::typed_memory_view(pixels.size(), pixels.data())));
  return sizedValue(blurred.value().width, blurred.value().height, output);
}

}  // namespace

// Declared in the header, which says what they take: the other binding files use them too.
int fullSizeThreads() {
  finishHeapWarming();  // its thread is the pool's one worker, which a second thread needs
  return renderThreads;
}

int idleThreads() {
  if (heapWarming().running) return 1;
  finishHeapWarming();  // a warming that is done: its thread joined, its worker back in the pool
  return renderThreads;
}

defocus::Status renderOptionsFromJs(const val& options, defocus::RenderOptions* o) {
  o->threads = fullSizeThreads();
  return optionsFromJs(options, false, o);
}

}  // namespace defocus_js

EMSCRIPTEN_BINDINGS(defocus_render_options) {
  using namespace defocus_js;
  emscripten::function("blur", exported<&blur>);
  emscripten::function("optionSchema", exported<&optionSchema>);
  emscripten::function("checkOptions", exported<&checkOptions>);
  emscripten::function("setRenderThreads", &setRenderThreads);
}
