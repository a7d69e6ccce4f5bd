// One opened photo: decoded into the engine and segmented once, then rendered as often as
// the options change. Previews render a screen-size copy (what a slider move costs); export
// renders the full-resolution photo in the engine with the same options (strength, strokes
// and focus are resolution independent). The full-size matte is refined on the first
// export: the first preview does not wait for it (about 0.6 s of a 12 MP photo's 3 s).
import { DefocusError } from './errors.js';
import { checkBackgroundFormat } from './background.js';
import { encodeImage, matteToImage } from './encode.js';
import { defaultMaxPixels } from './defaults.js';

const now = () => performance.now();

// The longest side of the preview copy, in pixels.
export const defaultPreviewSize = 1280;

// Full-size renders go in strips (under 16 bytes a pixel of engine memory besides the photo
// and its matte), so every photo the decoder accepts renders: the limit is the decoder's.
export const defaultMaxRenderPixels = defaultMaxPixels;

/** Throws too_large when a full-size render of `image` would not fit the engine's memory. */
export function checkRenderable(image, maxRenderPixels = defaultMaxRenderPixels) {
  if (image.width * image.height > maxRenderPixels) {
    throw new DefocusError('too_large', `${image.width} x ${image.height} is over the ${maxRenderPixels / 1e6} MP ` +
      'full-size render limit; scale the photo down first');
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

// The depth model's map of a photo when depth mode 'map' applies, and a background image
// given encoded, decoded (core.background).
async function withDepthAndBackground(core, photo, given) {
  const options = given.background === undefined ? given : { ...given, background: await core.background(given.background) };
  if (!core.hasDepthModel || (options.depth?.mode ?? 'map') !== 'map') return { options, depthMap: null };
  return { options: { ...options, depth: { ...options.depth, mode: 'map' } }, depthMap: await core.depthOf(photo) };
}

/**
 * The full-size portrait of an engine photo (its matte set), encoded: {data, timings}.
 * Without OffscreenCanvas (Node) PNG and JPEG are encoded in the engine, so the full-size
 * pixels never reach JavaScript. Shared by blur() and an opened photo's export().
 */
export async function renderFullSize(core, photo, given, { format, quality, signal }) {
  const { progress } = core;
  const timings = {};
  await core.enterStage('render', signal);
  let t = now();
  const { options, depthMap } = await withDepthAndBackground(core, photo, given);
  signal?.throwIfAborted();
  let data;
  if (typeof OffscreenCanvas !== 'function' && format !== 'webp') {
    const encoded = photo.renderEncoded(options, { format, quality }, depthMap);
    Object.assign(timings, { render: encoded.render, encode: encoded.encode });
    progress('render', 1);
    progress('encode', 0);
    data = encoded.bytes;
  } else {
    const rendered = photo.render(options, depthMap);
    timings.render = now() - t;
    progress('render', 1);
    await core.enterStage('encode', signal);
    t = now();
    data = await encodeImage(core, rendered, format, quality);
    timings.encode = now() - t;
  }
  progress('encode', 1);
  return { data, timings };
}

/**
 * @param core      {engine, refine, depthOf(photo), background, enterStage, progress} from the engine host
 * @param photo     the engine's photo (load-engine.js openPhoto); this object owns it from here
 * @param found     the subject finder's answer: {probability, subject}
 * @param options   previewSize (longest side), refine (false: the model's map upsampled only)
 */
export function createPhoto(core, photo, found, { previewSize = defaultPreviewSize, refine = true } = {}) {
  const { engine } = core;
  const { width, height } = photo;
  const timings = {};
  // The screen-size copy and its matte: the matte comes from the same model output, refined
  // against the preview's own pixels.
  let small = null;
  function previewParts() {
    if (small) return small;
    let t = now();
    const size = previewSizeOf(width, height, previewSize);
    const image = size.width >= width ? photo.pixels() : photo.resize(size.width, size.height);
    timings.preview = now() - t;
    t = now();
    const matte = refine
      ? engine.refineMatte(image, found.probability, core.refine).data
      : engine.upsampleMatte(found.probability, image.width, image.height).data;
    timings.refine = now() - t;
    small = { image, matte, sessions: sessionCache(engine, image, matte) };
    return small;
  }
  // The full-size matte, made in the engine on first need (export, matte export).
  let fullMatte = false;
  function ensureFullMatte() {
    if (!fullMatte) photo.setMatte(found.probability, core.refine, refine);
    fullMatte = true;
  }
  let coverage = null;

  return {
    width,
    height,
    timings,
    /** Share of the photo that is subject (the preview matte's mean alpha). */
    get coverage() {
      if (coverage === null) {
        const { matte } = previewParts();
        coverage = matte.reduce((sum, a) => sum + a, 0) / matte.length;
      }
      return coverage;
    },
    /** What the subject finder found: {kind: 'people' | 'object' | 'none', people, confidence}. */
    subject: found.subject,
    subjectConfidence: found.subject.confidence,
    /** The photo at preview size (RGBA) and its matte (alpha 0..1). */
    get preview() {
      const { image: p } = previewParts();
      return { width: p.width, height: p.height, data: p.data };
    },
    get previewMatte() {
      return previewParts().matte;
    },

    /** The portrait at preview size; {width, height, data, ms}. */
    async render({ strokes, ...given } = {}) {
      const t = now();
      const { options, depthMap } = await withDepthAndBackground(core, photo, given);
      const out = previewParts().sessions.get(strokes).render(options, depthMap);
      return { width: out.width, height: out.height, data: out.data, ms: now() - t };
    },

    /** The preview's matte with refine-brush strokes applied (for a matte view while brushing). */
    async previewMatteWith(strokes = []) {
      const { image: p, matte } = previewParts();
      return strokes.length ? engine.applyStrokes({ width: p.width, height: p.height, data: matte }, strokes).data : matte;
    },

    /** The full-resolution portrait, encoded: {data, width, height, format, timings}.
     *  The signal may come with the options (the public call) or beside them (the worker). */
    async export({ format: given, quality = 90, signal: optionSignal, ...options } = {},
      { signal = optionSignal } = {}) {
      const format = given ?? (options.background === 'transparent' ? 'png' : 'jpeg');  // JPEG has no alpha
      checkRenderable(photo, core.maxRenderPixels);
      checkBackgroundFormat(options.background, format);
      try {
        ensureFullMatte();
        const { data, timings: spent } = await renderFullSize(core, photo, options, { format, quality, signal });
        return { data, width, height, format, timings: spent };
      } finally {
        photo.releaseRenderer();  // the renderer's full-size planes go; photo and matte stay
      }
    },

    /** The matte (with strokes applied) as a greyscale image file at full size. */
    async exportMatte({ format = 'png', quality = 95, strokes = [] } = {}) {
      ensureFullMatte();
      const plane = photo.matte();
      const matte = strokes.length ? engine.applyStrokes(plane, strokes).data : plane.data;
      return encodeImage(core, matteToImage(matte, width, height), format, quality);
    },

    async close() {
      small?.sessions.dispose();
      photo.dispose();
    },
  };
}
