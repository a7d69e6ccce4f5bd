// One opened photo: decoded and segmented once, then rendered as often as the options
// change. Previews render a screen-size copy (what a slider move costs); export renders
// the full-resolution original with the same options (strength, strokes and focus are
// resolution independent).
import { DefocusError } from './errors.js';
import { checkBackgroundFormat } from './background.js';
import { encodeImage, matteToImage } from './encode.js';

const now = () => performance.now();

// The longest side of the preview copy, in pixels.
export const defaultPreviewSize = 1280;

// Rendering needs ~85 bytes a pixel of engine memory, which WebAssembly caps at 4 GB:
// 36 MP is the largest full-size render verified to fit. Larger photos are refused with a
// reason (decoding, segmenting and previews still work) rather than crash the engine.
export const defaultMaxRenderPixels = 36_000_000;

/** Throws too_large when a full-size render of `image` would not fit the engine's memory. */
export function checkRenderable(image, maxRenderPixels = defaultMaxRenderPixels) {
  if (image.width * image.height > maxRenderPixels) {
    throw new DefocusError('too_large', `${image.width} x ${image.height} is over the ${maxRenderPixels / 1e6} MP ` +
      'full-size render limit (WebAssembly memory); scale the photo down first');
  }
}

function previewSizeOf(width, height, maxSide) {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

// A PortraitRenderer session for one image + matte + brush strokes; rebuilt when strokes change.
function sessionCache(engine, image, matte) {
  let current = null;
  return {
    get(strokes = []) {
      const key = JSON.stringify(strokes);
      if (current?.key !== key) {
        current?.session.dispose();
        const plane = { width: image.width, height: image.height, data: matte };
        current = { key, session: engine.preparePortrait(image, plane, strokes) };
      }
      return current.session;
    },
    dispose() {
      current?.session.dispose();
      current = null;
    },
  };
}

/**
 * @param core     {engine, refine, depthOf(image)} from the engine host
 * @param image    the decoded photo (RGBA)
 * @param segmented {matte, probability, coverage, subject, subjectConfidence} of the photo
 */
export function createPhoto(core, image, segmented, { previewSize = defaultPreviewSize } = {}) {
  const { engine } = core;
  // The screen-size copy is made on first use: export-only callers (blur, the CLI) never pay for it.
  let small = null;
  function previewParts() {
    if (small) return small;
    const size = previewSizeOf(image.width, image.height, previewSize);
    if (size.width >= image.width) {
      small = { image, matte: segmented.matte };
    } else {
      const pixels = engine.resize(image, size.width, size.height);
      // The preview's matte comes from the same model output, refined against the preview's own pixels.
      small = { image: pixels, matte: engine.refineMatte(pixels, segmented.probability, core.refine).data };
    }
    small.sessions = sessionCache(engine, small.image, small.matte);
    return small;
  }

  // The depth map of a depth model, and a background image decoded (core.background).
  async function depthMapFor(given) {
    const options = given.background === undefined ? given : { ...given, background: await core.background(given.background) };
    if (!core.hasDepthModel || (options.depth?.mode ?? 'map') !== 'map') return { options, depthMap: null };
    return { options: { ...options, depth: { ...options.depth, mode: 'map' } }, depthMap: await core.depthOf(image) };
  }

  return {
    width: image.width,
    height: image.height,
    coverage: segmented.coverage,
    /** What the subject finder found: {kind: 'people' | 'object' | 'none', people, confidence}. */
    subject: segmented.subject,
    subjectConfidence: segmented.subjectConfidence,
    /** The photo at preview size (RGBA) and its matte (alpha 0..1). */
    get preview() {
      const { image: p } = previewParts();
      return { width: p.width, height: p.height, data: p.data };
    },
    get previewMatte() {
      return previewParts().matte;
    },

    /** The portrait at preview size; {width, height, data, ms}. */
    async render({ strokes, ...options } = {}) {
      const t = now();
      const withDepth = await depthMapFor(options);
      const out = previewParts().sessions.get(strokes).render(withDepth.options, withDepth.depthMap);
      return { width: out.width, height: out.height, data: out.data, ms: now() - t };
    },

    /** The preview's matte with refine-brush strokes applied (for a matte view while brushing). */
    async previewMatteWith(strokes = []) {
      const { image: p, matte } = previewParts();
      return strokes.length ? engine.applyStrokes({ width: p.width, height: p.height, data: matte }, strokes).data : matte;
    },

    /** The full-resolution portrait, encoded: {data, width, height, format, timings}.
     *  The signal may come with the options (the public call) or beside them (the worker). */
    async export({ format: given, quality = 90, strokes, signal: optionSignal, ...options } = {},
      { signal = optionSignal, progress = () => {} } = {}) {
      const format = given ?? (options.background === 'transparent' ? 'png' : 'jpeg');  // JPEG has no alpha
      checkRenderable(image, core.maxRenderPixels);
      checkBackgroundFormat(options.background, format);
      const timings = {};
      await core.beforeStage?.('render');
      signal?.throwIfAborted();
      let t = now();
      progress('render', 0);
      const withDepth = await depthMapFor(options);
      signal?.throwIfAborted();
      const sessions = sessionCache(engine, image, segmented.matte);
      let rendered;
      try {
        rendered = sessions.get(strokes).render(withDepth.options, withDepth.depthMap);
      } finally {
        sessions.dispose();  // a full-size session holds several copies of the photo: free it now
      }
      timings.render = now() - t;
      progress('render', 1);
      await core.beforeStage?.('encode');
      signal?.throwIfAborted();
      progress('encode', 0);
      t = now();
      const data = await encodeImage(core, rendered, format, quality);
      timings.encode = now() - t;
      progress('encode', 1);
      return { data, width: rendered.width, height: rendered.height, format, timings };
    },

    /** The matte (with strokes applied) as a greyscale image file at full size. */
    async exportMatte({ format = 'png', quality = 95, strokes = [] } = {}) {
      const plane = { width: image.width, height: image.height, data: segmented.matte };
      const matte = strokes.length ? engine.applyStrokes(plane, strokes).data : segmented.matte;
      return encodeImage(core, matteToImage(matte, image.width, image.height), format, quality);
    },

    async close() {
      small?.sessions.dispose();
    },
  };
}
