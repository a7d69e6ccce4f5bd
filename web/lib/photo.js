// One opened photo: segmented once, then rendered as often as the options change.
// Previews render a screen-size copy (what a slider move costs); export renders the
// full-resolution photo in the engine with the same options (strength, strokes and focus
// are resolution independent). In browsers the photo is opened at preview size (decoded
// so by the browser) and decoded at full size on the first export, when its full-size
// matte is refined too: the first preview waits for neither.
import { DefocusError } from './errors.js';
import { checkBackgroundFormat } from './background.js';
import { drawHeld, encodeCanvas, encodeImage, matteToImage } from './encode.js';
import { defaultMaxPixels } from './defaults.js';
import { previewSizeOf } from './image-input.js';

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

// The depth model's map of a photo (of `image`: the photo or its preview-size copy, one
// estimate for both) when depth mode 'map' applies, and a background image given encoded,
// decoded (core.background).
async function withDepthAndBackground(core, image, given) {
  const options = given.background === undefined ? given : { ...given, background: await core.background(given.background) };
  if (!core.hasDepthModel || (options.depth?.mode ?? 'map') !== 'map') return { options, depthMap: null };
  return { options: { ...options, depth: { ...options.depth, mode: 'map' } }, depthMap: await core.depthOf(image) };
}

/**
 * The full-size portrait of an engine photo (its matte set), encoded: {data, timings}.
 * Without OffscreenCanvas (Node) PNG and JPEG are encoded in the engine; in browsers the
 * browser's encoder draws the render from the engine a band at a time: either way no
 * full-size copy of the pixels is made in JavaScript. Shared by blur() and an opened photo's export();
 * `depthOf` is what the depth model reads (default: the photo).
 */
export async function renderFullSize(core, photo, given, { format, quality, signal, depthOf = photo }) {
  const { progress } = core;
  const timings = {};
  await core.enterStage('render', signal);
  let t = now();
  const { options, depthMap } = await withDepthAndBackground(core, depthOf, given);
  signal?.throwIfAborted();
  let data;
  const inBrowser = typeof OffscreenCanvas === 'function';
  if (!inBrowser && format !== 'webp') {
    const encoded = photo.renderEncoded(options, { format, quality }, depthMap);
    Object.assign(timings, { render: encoded.render, encode: encoded.encode });
    progress('render', 1);
    progress('encode', 0);
    data = encoded.bytes;
  } else if (inBrowser) {
    // Drawn onto the browser encoder's canvas straight from the engine, a band at a time.
    const canvas = drawHeld(photo.renderHeld(options, depthMap));
    timings.render = now() - t;
    progress('render', 1);
    await core.enterStage('encode', signal);
    t = now();
    data = await encodeCanvas(canvas, format, quality);
    timings.encode = now() - t;
  } else {  // WebP in Node: the host's encoder takes pixels
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
 * @param core      {engine, refine, depthOf(image), background, enterStage, progress} from the engine host
 * @param source    the photo: {width, height} (full size, upright) and either `photo`, the
 *                  engine's photo (load-engine.js openPhoto), or `previewImage`, the photo
 *                  already at preview size (RGBA), with `decodeFull(signal)`, which gives the
 *                  engine photo for exports. This object owns the engine photo from here.
 * @param found     the subject finder's answer: {probability, subject}
 * @param options   previewSize (longest side), refine (false: the model's map upsampled only)
 */
export function createPhoto(core, source, found, { previewSize = defaultPreviewSize, refine = true } = {}) {
  const { engine, progress } = core;
  const { width, height } = source;
  let photo = source.photo ?? null;
  const depthSource = source.previewImage ?? photo;  // one depth estimate for preview and export
  const timings = {};
  // The screen-size copy and its matte: the matte comes from the same model output, refined
  // against the preview's own pixels.
  let small = null;
  function previewParts() {
    if (small) return small;
    let t = now();
    const size = previewSizeOf(width, height, previewSize);
    const image = source.previewImage ?? (size.width >= width ? photo.pixels() : photo.resize(size.width, size.height));
    timings.preview = now() - t;
    t = now();
    const matte = refine
      ? engine.refineMatte(image, found.probability, core.refine).data
      : engine.upsampleMatte(found.probability, image.width, image.height).data;
    timings.refine = now() - t;
    small = { image, matte, sessions: sessionCache(engine, image, matte) };
    return small;
  }
  // The full-size photo and its matte, made in the engine on first need (export, matte
  // export). A photo opened at preview size is decoded here (the 'decode' stage).
  let fullMatte = false;
  let decoding = null;  // one decode for exports asked for at once
  let closed = false;
  async function fullPhoto(signal, timings = {}) {
    if (!photo) {
      decoding ??= (async () => {
        await core.enterStage('decode', signal);
        const t = now();
        const decoded = await source.decodeFull(signal);
        if (closed) {  // closed while it decoded: nothing may keep the photo
          decoded.dispose();
          throw new DefocusError('invalid_argument', 'this photo was closed');
        }
        photo = decoded;
        timings.decode = now() - t;
        progress('decode', 1);
      })().finally(() => { decoding = null; });
      await decoding;
    }
    if (!fullMatte) photo.setMatte(found.probability, core.refine, refine);
    fullMatte = true;
    return photo;
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
      const { options, depthMap } = await withDepthAndBackground(core, depthSource, given);
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
      checkRenderable(source, core.maxRenderPixels);
      checkBackgroundFormat(options.background, format);
      try {
        const decoded = {};  // the first export's decode, when the photo was opened at preview size
        const full = await fullPhoto(signal, decoded);
        const { data, timings: spent } = await renderFullSize(core, full, options, { format, quality, signal, depthOf: depthSource });
        return { data, width, height, format, timings: { ...decoded, ...spent } };
      } finally {
        photo?.releaseRenderer();  // the renderer's full-size planes go; photo and matte stay
      }
    },

    /** The matte (with strokes applied) as a greyscale image file at full size. */
    async exportMatte({ format = 'png', quality = 95, strokes = [] } = {}) {
      const plane = (await fullPhoto()).matte();
      const matte = strokes.length ? engine.applyStrokes(plane, strokes).data : plane.data;
      return encodeImage(core, matteToImage(matte, width, height), format, quality);
    },

    async close() {
      closed = true;
      small?.sessions.dispose();
      photo?.dispose();
    },
  };
}
