// Every input the module takes (encoded bytes in a Blob, File, ArrayBuffer or typed array;
// pixels in ImageData, ImageBitmap or {data, width, height}) -> an upright RGBA image.
import { DefocusError } from './errors.js';
import { defaultMaxPixels } from './defaults.js';
import { toBytes } from './load-engine.js';

export const isRgba = (input) => input && typeof input === 'object' && 'width' in input && 'height' in input && 'data' in input;

/** RGBA pixels of a drawable (ImageBitmap, VideoFrame, ...), scaled to width x height;
 *  `canvas` (an OffscreenCanvas) may be passed in to be reused from call to call. */
export function pixelsOf(source, width, height, canvas = new OffscreenCanvas(width, height)) {
  if (canvas.width !== width || canvas.height !== height) Object.assign(canvas, { width, height });
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(source, 0, 0, width, height);
  const { data } = context.getImageData(0, 0, width, height);
  return { width, height, data: new Uint8Array(data.buffer) };
}

// The platform's decoder, for formats stb does not read (WebP, AVIF, HEIC where supported).
// Their size is known only once decoded.
async function decodeInBrowser(bytes, maxPixels, why) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes]), { imageOrientation: 'from-image' });
  } catch {
    throw why;
  }
  try {
    if (bitmap.width * bitmap.height > maxPixels) {
      throw new DefocusError('too_large', `${bitmap.width} x ${bitmap.height} is over the ${maxPixels}-pixel limit`);
    }
    return { ...pixelsOf(bitmap, bitmap.width, bitmap.height), format: 'browser', orientation: 1, decoder: 'browser' };
  } finally {
    bitmap.close();
  }
}

// A decoded bitmap's RGBA pixels: {width, height, data}, or with `engine` an engine photo
// written in place ({photo}). WebCodecs copies a frame straight into a buffer: 48 ms for
// 12 MP against 232 ms through a canvas (bench/browser.js, Chromium 156), and straight into
// the engine's memory it skips a fresh 12 MP buffer in JavaScript (~140 ms more in this
// VM, where a fresh page costs a fault). But a frame made from a bitmap turned by EXIF
// orientation loses the turn (Chromium 156: orientation 2 came out 7.8 dB from the upright
// pixels), so turned photos go through the canvas, which keeps it, as do browsers without
// VideoFrame or its RGBA conversion.
async function bitmapPixels(bitmap, orientation, engine = null) {
  const { width, height } = bitmap;
  if (typeof VideoFrame === 'function' && orientation === 1) {
    let frame;
    try {
      frame = new VideoFrame(bitmap, { timestamp: 0 });
      if (engine) return { photo: await engine.openPhotoWritten(width, height, (view) => frame.copyTo(view(), { format: 'RGBA' })) };
      const data = new Uint8Array(width * height * 4);
      await frame.copyTo(data, { format: 'RGBA' });
      return { width, height, data };
    } catch {
      // an older browser: the canvas below
    } finally {
      frame?.close();
    }
  }
  return pixelsOf(bitmap, width, height);
}

// An upright JPEG decoded into the engine through WebCodecs' ImageDecoder: the frame holds
// the planes as stored (1.5 bytes a pixel at 4:2:0, against 4 for a bitmap), they are copied
// into the engine, and the engine makes RGBA of them as libjpeg does (the browser's own
// conversion of a frame repeats each chroma sample over 2 x 2 pixels: 40 dB from libjpeg
// on fine colour). A 12 MP JPEG into the engine's photo in Chromium: 66 ms against 92
// through createImageBitmap on one thread, 50 against 92 on two. The frame knows no EXIF
// turn, hence upright photos only. Null where the browser has no ImageDecoder, cannot
// decode the file, decodes it to another size or not to JFIF's planes (full-range BT.601
// YCbCr; Chromium 156 gives grey, 4:4:0 and RGB JPEGs as BGRX frames): the bitmap then.
const jfifMatrices = new Set(['bt470bg', 'smpte170m']);
async function decodeUprightJpeg(bytes, size, engine) {
  if (typeof ImageDecoder !== 'function') return null;
  let decoder;
  let frame;
  try {
    decoder = new ImageDecoder({ data: bytes, type: 'image/jpeg', colorSpaceConversion: 'none' });
    frame = (await decoder.decode()).image;
    const { displayWidth: width, displayHeight: height, format, colorSpace } = frame;
    if (width !== size.width || height !== size.height || !colorSpace.fullRange || !jfifMatrices.has(colorSpace.matrix)) return null;
    return { photo: await engine.openPhotoFromPlanes(width, height, format, (view, layout) => frame.copyTo(view(), { layout })) };
  } catch {
    return null;  // the bitmap path tries, and the engine decodes what neither reads
  } finally {
    frame?.close();
    decoder?.close();
  }
}

// A photo's size once EXIF orientation is applied (orientations 5 to 8 swap the sides).
function uprightSize({ width, height, orientation }) {
  return orientation >= 5 && orientation <= 8 ? { width: height, height: width } : { width, height };
}

// Files the browser decodes in place of the engine, once the engine's checks passed: JPEG
// and opaque PNG. A canvas keeps premultiplied alpha, so partly transparent pixels would
// lose colour: images with an alpha channel stay with the engine's exact decoder.
const platformDecodes = (info) => info.format === 'jpeg' || (info.format === 'png' && (info.channels === 1 || info.channels === 3));

// The browser's decoder (libjpeg-turbo in Chromium; measured in bench/decode.js) for a
// file the engine inspected: the size limit was checked from the header before any pixel
// was decoded, and EXIF orientation is applied as the engine applies it. Colours are left
// as stored, as the engine leaves them. Null when the browser cannot decode the file, or
// decodes it to another size: the engine then decodes it (and names what is wrong).
// `size` smaller than the photo: decoded straight to that size ('medium' quality is the one
// closest to the engine's own resize: 46.9 dB on a 12 MP photo, 'high' 40.0, 'low' 41.4).
// `engine`: where the pixels can be written into an engine photo, they are ({photo}).
async function decodeInspected(bytes, info, size = uprightSize(info), engine = null) {
  const full = uprightSize(info);
  const atFullSize = size.width === full.width && size.height === full.height;
  if (engine && atFullSize && info.format === 'jpeg' && info.orientation === 1) {
    const decoded = await decodeUprightJpeg(bytes, size, engine);
    if (decoded) return { ...decoded, format: info.format, orientation: info.orientation, decoder: 'browser' };
  }
  const resize = atFullSize ? {} : { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'medium' };
  let bitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes]),
      { imageOrientation: 'from-image', colorSpaceConversion: 'none', premultiplyAlpha: 'none', ...resize });
  } catch {
    return null;
  }
  try {
    if (bitmap.width !== size.width || bitmap.height !== size.height) return null;
    return { ...(await bitmapPixels(bitmap, info.orientation, engine)), format: info.format, orientation: info.orientation, decoder: 'browser' };
  } finally {
    bitmap.close();
  }
}

/** The size of a width x height photo scaled to fit maxSide (never enlarged). */
export function previewSizeOf(width, height, maxSide) {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * A photo file decoded by the browser straight to preview size (longest side maxSide),
 * after the engine's checks of the whole file: {image, width, height, format, orientation},
 * width and height being the photo's full upright size. What open() starts from: a 12 MP
 * JPEG decodes so in about the time of a full decode into the engine (bench/browser.js:
 * 391 ms against 366 ms; Chromium decodes the whole file, then scales), but no 12 MP
 * photo is held until an export needs it, and the models read a small image.
 * Null where the platform does not decode the file, where it is no larger than maxSide,
 * or outside browsers: the caller decodes it at full size.
 */
export async function toPreviewImage(engine, input, maxSide, { maxPixels = defaultMaxPixels } = {}) {
  if (isRgba(input) || typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function') return null;
  if (typeof ImageBitmap === 'function' && input instanceof ImageBitmap) return null;
  const bytes = toBytes(input instanceof Blob ? await input.arrayBuffer() : input);
  if (bytes.length === 0) throw new DefocusError('empty_input', 'the file is empty');
  let info;
  try {
    info = engine.inspect(bytes, { maxPixels });  // a bad file or too many pixels: thrown here
  } catch (err) {
    if (err.code === 'unsupported') return null;  // the browser may read it at full size
    throw err;
  }
  if (!platformDecodes(info)) return null;
  const full = uprightSize(info);
  const size = previewSizeOf(full.width, full.height, maxSide);
  if (size.width >= full.width) return null;
  const image = await decodeInspected(bytes, info, size);
  return image && { image, ...full, format: info.format, orientation: info.orientation };
}

/** Decodes or unwraps `input`; EXIF orientation is applied; limits are checked before
 *  allocating. In browsers the platform's decoder reads JPEG and opaque PNG after the
 *  engine's checks (engine.inspect); the engine decodes what the browser cannot.
 *  `decoder` says which one did: 'browser' or 'engine'. `intoEngine`: a photo the browser
 *  decoded may come back as an engine photo ({photo} in place of {width, height, data}).
 *  `beforeDecode({width, height})`: called in browsers once the file has passed the checks,
 *  before it is decoded; a function it returns is called when the browser's decode is over. */
export async function toImage(engine, input, { maxPixels = defaultMaxPixels, intoEngine = false, beforeDecode } = {}) {
  if (isRgba(input)) return input;
  if (typeof ImageBitmap === 'function' && input instanceof ImageBitmap) return pixelsOf(input, input.width, input.height);
  if (typeof Blob === 'function' && input instanceof Blob) input = await input.arrayBuffer();
  const bytes = toBytes(input);
  if (bytes.length === 0) throw new DefocusError('empty_input', 'the file is empty');
  const inBrowser = typeof createImageBitmap === 'function' && typeof OffscreenCanvas === 'function';
  try {
    if (inBrowser) {
      const info = engine.inspect(bytes, { maxPixels });  // a bad file or too many pixels: thrown here
      const size = uprightSize(info);
      const decoded = beforeDecode?.(size);
      let image;
      try {
        image = platformDecodes(info) ? await decodeInspected(bytes, info, size, intoEngine ? engine : null) : null;
      } finally {
        decoded?.();
      }
      if (image) return image;
    }
    return { ...engine.decode(bytes, { maxPixels }), decoder: 'engine' };
  } catch (err) {
    if (err.code === 'unsupported' && inBrowser) return decodeInBrowser(bytes, maxPixels, err);
    throw err;
  }
}

/** `input` decoded into an engine photo: {photo, format, orientation, decoder}. A photo
 *  the browser decoded upright is written into the engine in place; anything else is
 *  copied in once from toImage's pixels. */
export async function toEnginePhoto(engine, input, options) {
  const image = await toImage(engine, input, { ...options, intoEngine: true });
  const { format, orientation, decoder } = image;
  return { photo: image.photo ?? engine.openPhoto(image), format, orientation, decoder };
}
