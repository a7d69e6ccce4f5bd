// Test fixtures built in JS: files with EXIF orientation, huge headers, defects.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pngChunk } from '../../cli/matte-png.js';

export const testdataRoot = process.env.DEFOCUS_TESTDATA ?? fileURLToPath(new URL('../../../shared/testdata/', import.meta.url));

export const testdata = (relative) => new Uint8Array(readFileSync(`${testdataRoot}/${relative}`));

/** Four flat quadrants: red, green / blue, white (top-left, top-right / bottom-left, bottom-right). */
export function quadrantImage(width, height) {
  const colours = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255]];
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = colours[(y >= height / 2) * 2 + (x >= width / 2)];
      data.set([...c, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/** Inserts an APP1 Exif segment (IFD0 with only the orientation tag) right after SOI. */
export function withExifOrientation(jpeg, orientation, bigEndian) {
  const tiff = new DataView(new ArrayBuffer(26));
  const le = !bigEndian;
  tiff.setUint16(0, bigEndian ? 0x4d4d : 0x4949);
  tiff.setUint16(2, 42, le);
  tiff.setUint32(4, 8, le);
  tiff.setUint16(8, 1, le); // one entry
  tiff.setUint16(10, 0x0112, le);
  tiff.setUint16(12, 3, le); // SHORT
  tiff.setUint32(14, 1, le);
  tiff.setUint16(18, orientation, le);
  tiff.setUint32(22, 0, le); // no next IFD
  const payload = new Uint8Array([...new TextEncoder().encode('Exif'), 0, 0, ...new Uint8Array(tiff.buffer)]);
  const length = payload.length + 2;
  const segment = new Uint8Array([0xff, 0xe1, length >> 8, length & 0xff, ...payload]);
  const out = new Uint8Array(jpeg.length + segment.length);
  out.set(jpeg.subarray(0, 2));
  out.set(segment, 2);
  out.set(jpeg.subarray(2), 2 + segment.length);
  return out;
}

/** PNG signature + IHDR (valid CRC) declaring width x height, then IEND: no pixel data. */
export function pngHeaderOnly(width, height) {
  const ihdr = new DataView(new ArrayBuffer(13));
  ihdr.setUint32(0, width);
  ihdr.setUint32(4, height);
  new Uint8Array(ihdr.buffer).set([8, 6, 0, 0, 0], 8);
  return new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
    ...pngChunk('IHDR', new Uint8Array(ihdr.buffer)), ...pngChunk('IEND', new Uint8Array(0))]);
}

/** A real PNG whose compressed data is damaged (two bytes of the IDAT stream). */
function corruptPng() {
  const png = testdata('photos/cat_chelsea.png');
  const idat = Buffer.from(png).indexOf('IDAT');
  png[idat + 4] = 0xff;
  png[idat + 5] = 0xff;
  return png;
}

/** The bad files every layer is tested with: {file name: [bytes, the engine's error code]}. */
export function badFiles() {
  const jpeg = testdata('photos/dust_bowl_home.jpg');
  return {
    'corrupt.png': [corruptPng(), 'corrupt'],
    'truncated.jpg': [jpeg.subarray(0, jpeg.length >> 1), 'truncated'],
    'notes.jpg': [new TextEncoder().encode('shopping list: milk, eggs\n'), 'not_an_image'],
    'empty.png': [new Uint8Array(0), 'empty_input'],
    'bomb.png': [pngHeaderOnly(100000, 100000), 'too_large'],
  };
}

/** PSNR in dB of two RGBA byte arrays over their colour channels (alpha ignored). */
export function psnr(a, b) {
  let sum = 0;
  for (let i = 0; i < a.length; i++) if ((i & 3) !== 3) sum += (a[i] - b[i]) ** 2;
  return 10 * Math.log10(255 ** 2 / (sum / (a.length * 0.75)));
}

/** Luma high-frequency energy (mean squared Laplacian) where `where(i)` holds: {energy, pixels}. */
export function detailEnergy({ width, height, data }, where) {
  const luma = (i) => 0.299 * data[i * 4] + 0.587 * data[i * 4 + 1] + 0.114 * data[i * 4 + 2];
  let sum = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      if (!where(i)) continue;
      const lap = 4 * luma(i) - luma(i - 1) - luma(i + 1) - luma(i - width) - luma(i + width);
      sum += lap * lap;
      n++;
    }
  }
  return { energy: sum / Math.max(1, n), pixels: n };
}
