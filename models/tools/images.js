// Image helpers for the model tools and tests (Node only): decode PNG/JPEG,
// bilinear resize, and pack into a model's input tensor.

import { readFileSync, readdirSync } from 'node:fs';
import { join, extname } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { PNG } = require('pngjs');
const jpeg = require('jpeg-js');

/** Decode a PNG or JPEG file into {width, height, data: Uint8Array RGBA}. */
export function decodeImage(path) {
  const bytes = readFileSync(path);
  const ext = extname(path).toLowerCase();
  if (ext === '.png') {
    const png = PNG.sync.read(bytes);
    return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length) };
  }
  if (ext === '.jpg' || ext === '.jpeg') {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024, maxResolutionInMP: 200 });
    return { width: img.width, height: img.height, data: img.data };
  }
  throw new Error(`${path}: unsupported image type ${ext}`);
}

/**
 * Bilinear resize of an RGBA image to width x height (pixel centres aligned,
 * i.e. source coordinate = (dst + 0.5) * scale - 0.5, clamped at the edges).
 * Each output pixel interpolates the 2x2 nearest source pixels (no prefilter).
 * Returns float RGB planes in 0..255: {width, height, rgb: Float32Array(3*w*h)}.
 */
export function resizeBilinearRGB(img, width, height) {
  const { width: sw, height: sh, data } = img;
  const out = new Float32Array(3 * width * height);
  const plane = width * height;
  const sx = sw / width; const sy = sh / height;
  const xs0 = new Int32Array(width); const xs1 = new Int32Array(width); const fx = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const u = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), sw - 1);
    xs0[x] = Math.floor(u); xs1[x] = Math.min(xs0[x] + 1, sw - 1); fx[x] = u - xs0[x];
  }
  for (let y = 0; y < height; y++) {
    const v = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), sh - 1);
    const y0 = Math.floor(v); const y1 = Math.min(y0 + 1, sh - 1); const fy = v - y0;
    const r0 = y0 * sw * 4; const r1 = y1 * sw * 4;
    for (let x = 0; x < width; x++) {
      const a = r0 + xs0[x] * 4; const b = r0 + xs1[x] * 4; const c = r1 + xs0[x] * 4; const d = r1 + xs1[x] * 4;
      const wx = fx[x];
      for (let ch = 0; ch < 3; ch++) {
        const top = data[a + ch] + (data[b + ch] - data[a + ch]) * wx;
        const bot = data[c + ch] + (data[d + ch] - data[c + ch]) * wx;
        out[ch * plane + y * width + x] = top + (bot - top) * fy;
      }
    }
  }
  return { width, height, rgb: out };
}

/**
 * Input tensor data (NCHW float32, 1x3xHxW) for a photo.
 * norm: {mean:[r,g,b], std:[r,g,b]} applied to values in 0..1 (ImageNet style),
 *       or {range:[lo,hi]} mapping 0..255 linearly onto lo..hi.
 * The photo is resized with 2x2 bilinear interpolation.
 */
export function toInputTensor(img, width, height, norm) {
  const { rgb } = resizeBilinearRGB(img, width, height);
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  for (let ch = 0; ch < 3; ch++) {
    let scale; let offset;
    if (norm.range) {
      const [lo, hi] = norm.range;
      scale = (hi - lo) / 255; offset = lo;
    } else {
      scale = 1 / (255 * norm.std[ch]); offset = -norm.mean[ch] / norm.std[ch];
    }
    for (let i = 0; i < plane; i++) out[ch * plane + i] = rgb[ch * plane + i] * scale + offset;
  }
  return out;
}

/** The test photos (../shared/testdata/photos beside the repository, or $DEFOCUS_PHOTOS), sorted by name. */
export function listPhotos(dir = process.env.DEFOCUS_PHOTOS ?? fileURLToPath(new URL('../../../shared/testdata/photos', import.meta.url))) {
  return readdirSync(dir).filter((f) => /\.(png|jpe?g)$/i.test(f)).sort().map((f) => join(dir, f));
}
