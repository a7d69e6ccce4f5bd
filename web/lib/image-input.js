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
    return { ...pixelsOf(bitmap, bitmap.width, bitmap.height), format: 'browser', orientation: 1 };
  } finally {
    bitmap.close();
  }
}

/** Decodes or unwraps `input`; EXIF orientation is applied; limits are checked before allocating. */
export async function toImage(engine, input, { maxPixels = defaultMaxPixels } = {}) {
  if (isRgba(input)) return input;
  if (typeof ImageBitmap === 'function' && input instanceof ImageBitmap) return pixelsOf(input, input.width, input.height);
  if (typeof Blob === 'function' && input instanceof Blob) input = await input.arrayBuffer();
  const bytes = toBytes(input);
  if (bytes.length === 0) throw new DefocusError('empty_input', 'the file is empty');
  try {
    return engine.decode(bytes, { maxPixels });
  } catch (err) {
    if (err.code === 'unsupported' && typeof createImageBitmap === 'function') return decodeInBrowser(bytes, maxPixels, err);
    throw err;
  }
}
