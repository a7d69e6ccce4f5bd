// RGBA pixels -> an encoded file. Browsers use their own encoders (OffscreenCanvas);
// Node uses the engine (PNG, JPEG) and the WebP encoder it hands in (node-host.js).
import { DefocusError } from './errors.js';

const formats = ['jpeg', 'png', 'webp'];

export function checkFormat(format, quality) {
  if (!formats.includes(format)) throw new DefocusError('invalid_argument', `format must be jpeg, png or webp, got '${format}'`);
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new DefocusError('invalid_argument', `quality must be an integer in 1..100, got ${quality}`);
  }
}

/** RGBA pixels ({width, height, data}) as an ImageData over the same memory (browsers). */
export function toImageData({ width, height, data }) {
  return new ImageData(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), width, height);
}

/** Returns a Blob where OffscreenCanvas exists, else a Uint8Array; `host` is the engine
 *  host's {engine, encodeWebp}. */
export async function encodeImage({ engine, encodeWebp }, image, format, quality) {
  checkFormat(format, quality);
  if (typeof OffscreenCanvas === 'function') {
    const canvas = new OffscreenCanvas(image.width, image.height);
    canvas.getContext('2d').putImageData(toImageData(image), 0, 0);
    const blob = await canvas.convertToBlob({ type: `image/${format}`, quality: quality / 100 });
    // A browser without that encoder silently returns PNG: say so instead.
    if (blob.type !== `image/${format}`) throw new DefocusError('unsupported', `this browser cannot encode ${format}`);
    return blob;
  }
  if (format !== 'webp') return engine.encode(image, { format, quality });
  if (!encodeWebp) throw new DefocusError('unsupported', 'WebP needs OffscreenCanvas here');
  return encodeWebp(image, quality);
}

/** A matte (alpha 0..1) as a greyscale RGBA image: white = subject. */
export function matteToImage(matte, width, height) {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0, o = 0; i < matte.length; i++, o += 4) {
    const v = Math.round(Math.min(1, Math.max(0, matte[i])) * 255);
    data[o] = data[o + 1] = data[o + 2] = v;
    data[o + 3] = 255;
  }
  return { width, height, data };
}
