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
    return encodeCanvas(canvas, format, quality);
  }
  if (format !== 'webp') return engine.encode(image, { format, quality });
  if (!encodeWebp) throw new DefocusError('unsupported', 'WebP needs OffscreenCanvas here');
  return encodeWebp(image, quality);
}

// Rows a band of a held render carries to the canvas: about 1 MB, so the band's buffer is
// one small allocation reused down the photo.
const bandBytes = 1 << 20;

/**
 * A render held in the engine (an engine photo's renderHeld()) drawn onto a new canvas a
 * band of rows at a time, then released: no full-size copy is made in JavaScript. Returns
 * the OffscreenCanvas, for encodeCanvas.
 */
export function drawHeld(held) {
  const { width, height } = held;
  try {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    const rows = Math.max(1, Math.min(height, Math.floor(bandBytes / (4 * width))));
    let band = new ImageData(width, rows);
    for (let y = 0; y < height; y += rows) {
      const n = Math.min(rows, height - y);
      if (n < band.height) band = new ImageData(width, n);  // the last band
      held.rows(y, y + n, band.data);
      context.putImageData(band, 0, y);
    }
    return canvas;
  } finally {
    held.release();
  }
}

/** A canvas encoded by the browser as `format` (jpeg, png, webp): a Blob. */
export async function encodeCanvas(canvas, format, quality) {
  checkFormat(format, quality);
  const blob = await canvas.convertToBlob({ type: `image/${format}`, quality: quality / 100 });
  // A browser without that encoder silently returns PNG: say so instead.
  if (blob.type !== `image/${format}`) throw new DefocusError('unsupported', `this browser cannot encode ${format}`);
  return blob;
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
