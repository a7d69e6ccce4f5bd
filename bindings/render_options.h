// Render options as JS hands them to the engine (by the engine's option schema), the
// full-size render's thread count, and the fitted background replacement: shared by the
// one-off render, the PortraitSession and the EnginePhoto, which must read options alike.
#pragma once

#include <cctype>
#include <memory>
#include <string>

#include "defocus/cutout.h"
#include "defocus/render.h"
#include "js_values.h"

namespace defocus_js {

// The threads a full-size step (a render's strips, a photo's matte refinement) shares its
// rows among (setRenderThreads). Ends a heap warming first: its thread is the one the
// second needs.
int fullSizeThreads();

// The same threads while no heap warming runs, else one: for a step between a photo's
// decode and its refinement (the model's input), which should not cut the warming short.
int idleThreads();

// Options from JS (all present, as render takes them), threads set, checked by the engine.
defocus::Status renderOptionsFromJs(const val& options, defocus::RenderOptions* o);

// background: 'blur' | 'transparent' | '#rrggbb' | {width, height, data} (RGBA pixels),
// already checked by load-engine.js; blurBackground: blur a replacement by the depth.
// A replacement is fitted to the photo once and kept while the same colour or image object
// comes back (a slider move does not convert it again).
class ReplacementCache {
 public:
  defocus::Status apply(const val& options, int width, int height, defocus::RenderOptions* o) {
    const val background = options["background"];
    o->blurReplacement = options["blurBackground"].as<bool>();
    if (background.isString()) {
      const std::string name = background.as<std::string>();
      if (name == "blur") return defocus::Status::success();
      if (name == "transparent") {
        o->background = defocus::BackgroundMode::kTransparent;
        return defocus::Status::success();
      }
      if (name.size() != 7 || name[0] != '#') return {defocus::ErrorCode::kInvalidArgument, "background colour must be #rrggbb"};
    }
    if (!rows_ || !source_.strictlyEquals(background) || rows_->width() != width || rows_->height() != height) {
      rows_.reset();
      defocus::Result<defocus::ReplacementRows> fitted = fit(background, width, height);
      if (!fitted.ok()) return fitted.status();
      rows_ = std::make_unique<defocus::ReplacementRows>(fitted.take());
      source_ = background;
    }
    o->background = defocus::BackgroundMode::kReplace;
    o->replacementRows = rows_.get();  // made a band of rows at a time: no full-size planes
    return defocus::Status::success();
  }

 private:
  static defocus::Result<defocus::ReplacementRows> fit(const val& background, int width, int height) {
    if (background.isString()) {
      const std::string hex = background.as<std::string>();
      unsigned rgb = 0;
      for (size_t i = 1; i < hex.size(); ++i) {
        const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(hex[i])));
        const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (digit < 0) return defocus::Status{defocus::ErrorCode::kInvalidArgument, "background colour must be #rrggbb"};
        rgb = rgb * 16 + static_cast<unsigned>(digit);
      }
      return defocus::ReplacementRows::solid((rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255, width, height);
    }
    auto image = imageFromJs(background["data"], background["width"].as<int>(), background["height"].as<int>());
    if (!image.ok()) return image.status();
    return defocus::ReplacementRows::cover(image.value(), width, height);
  }

  std::unique_ptr<defocus::ReplacementRows> rows_;
  val source_ = val::null();
};

}  // namespace defocus_js
