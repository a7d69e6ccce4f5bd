// The module's background images: encoded files (Blob, File, bytes) -> RGBA pixels for the
// engine's `background` option (background.js), decoded once.
import { DefocusError } from './errors.js';
import { isRgba, toImage } from './image-input.js';

const isEncoded = (value) => (typeof Blob === 'function' && value instanceof Blob) || value instanceof ArrayBuffer ||
  (ArrayBuffer.isView(value) && !isRgba(value));

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Module level: encoded images -> pixels, decoded once. The same image object comes back
 * for the same bytes (a worker receives a fresh copy of the options with every slider move),
 * so the engine, which keeps a fitted background per object, fits it once too.
 */
export function createBackgroundResolver(engine, { maxPixels } = {}) {
  let last = null;  // {bytes, image}
  return async function resolve(value) {
    if (value === undefined || !isEncoded(value)) return value;
    const bytes = new Uint8Array(value instanceof Blob ? await value.arrayBuffer() : ArrayBuffer.isView(value)
      ? value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength) : value);
    if (last && sameBytes(last.bytes, bytes)) return last.image;
    const decoded = await toImage(engine, bytes, maxPixels ? { maxPixels } : {}).catch((err) => {
      throw new DefocusError(err.code ?? 'invalid_argument', `background image: ${err.message}`);
    });
    const image = { width: decoded.width, height: decoded.height, data: decoded.data };
    last = { bytes, image };
    return image;
  };
}
