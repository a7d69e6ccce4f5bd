// The defaults of every render option, for callers that start from them (the page, the
// CLI's --help) and for the engine wrapper that fills them in (load-engine.js).

/** Defaults of every blur option; see engine/include/defocus/blur.h for their meaning. */
export const blurDefaults = Object.freeze({
  style: 'lens', strength: 30, blades: 0, rotation: 0, curvature: 0,
  highlightThreshold: 0.75, highlightBoost: 0, angle: 0, centerX: 0.5, centerY: 0.5,
});

/** Render options beyond the blur's; see engine/include/defocus/render.h and depth.h. */
export const renderDefaults = Object.freeze({
  ...blurDefaults, background: 'blur', blurBackground: true, fillBackground: true, decontaminate: true, grain: false,
  grainSeed: 1, strokes: [],
  depth: Object.freeze({ mode: 'auto', focusX: -1, focusY: -1, startX: 0.5, startY: 1, endX: 0.5, endY: 0, tiltShift: false, readFocus: true }),
});

/** The largest photo decoded by default, in pixels: larger ones are refused before decoding. */
export const defaultMaxPixels = 100_000_000;
