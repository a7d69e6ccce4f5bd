// The defaults of every render option, for callers that start from them (the page, the
// CLI's --help) and for the engine wrapper that fills them in (load-engine.js). They are
// the engine's own (option-schema.js); background and strokes are inputs the module adds.
import { defaultsOf } from './option-schema.js';

/** Defaults of every blur option; see engine/include/defocus/blur.h for their meaning. */
export const blurDefaults = Object.freeze(defaultsOf('blur'));

/** Render options beyond the blur's; see engine/include/defocus/render.h and depth.h. */
export const renderDefaults = Object.freeze({
  ...blurDefaults, background: 'blur', ...defaultsOf('render'), strokes: [],
  depth: Object.freeze(defaultsOf('depth')),
});

/** The largest photo decoded by default, in pixels: larger ones are refused before decoding. */
export const defaultMaxPixels = 100_000_000;
