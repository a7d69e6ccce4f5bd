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
 * Antialiased bilinear (triangle filter) resize of an RGBA image to width x height, separable.
 * Pixel centres are aligned (source x = (dst x + 0.5) * scale - 0.5). When upscaling this
 * is ordinary bilinear interpolation; when downscaling, the triangle is widened by the
 * scale factor so that every source pixel contributes (as PIL's BILINEAR does), instead
 * of point-sampling two pixels and aliasing fine texture into the model input.
 * Returns float RGB planes in 0..255: {width, height, rgb: Float32Array(3*w*h)}.
 */
export function resizeTriangleRGB(img, width, height) {
  const { width: sw, height: sh, data } = img;
  const taps = (srcN, dstN) => {
    const scale = srcN / dstN;
    const support = Math.max(1, scale);
    const out = [];
    for (let i = 0; i < dstN; i++) {
      const centre = (i + 0.5) * scale - 0.5;
      const lo = Math.max(0, Math.ceil(centre - support));
      const hi = Math.min(srcN - 1, Math.floor(centre + support));
      const w = [];
      let sum = 0;
      for (let j = lo; j <= hi; j++) { const v = Math.max(0, 1 - Math.abs(j - centre) / support); w.push(v); sum += v; }
      if (sum === 0) { out.push({ lo: Math.min(Math.max(Math.round(centre), 0), srcN - 1), w: [1] }); continue; }
      out.push({ lo, w: w.map((v) => v / sum) });
    }
    return out;
  };
  const tx = taps(sw, width); const ty = taps(sh, height);
  // Horizontal pass: sh rows x width columns x 3 channels.
  const tmp = new Float32Array(sh * width * 3);
  for (let y = 0; y < sh; y++) {
    const row = y * sw * 4;
    for (let x = 0; x < width; x++) {
      const { lo, w } = tx[x];
      let r = 0; let g = 0; let b = 0;
      for (let k = 0; k < w.length; k++) { const p = row + (lo + k) * 4; r += w[k] * data[p]; g += w[k] * data[p + 1]; b += w[k] * data[p + 2]; }
      const o = (y * width + x) * 3;
      tmp[o] = r; tmp[o + 1] = g; tmp[o + 2] = b;
    }
  }
  // Vertical pass into planar RGB.
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  for (let y = 0; y < height; y++) {
    const { lo, w } = ty[y];
    for (let x = 0; x < width; x++) {
      let r = 0; let g = 0; let b = 0;
      for (let k = 0; k < w.length; k++) { const p = ((lo + k) * width + x) * 3; r += w[k] * tmp[p]; g += w[k] * tmp[p + 1]; b += w[k] * tmp[p + 2]; }
      const o = y * width + x;
      out[o] = r; out[plane + o] = g; out[2 * plane + o] = b;
    }
  }
  return { width, height, rgb: out };
}

/**
 * Input tensor data (NCHW float32, 1x3xHxW) for a photo.
 * norm: {mean:[r,g,b], std:[r,g,b]} applied to values in 0..1 (ImageNet style),
 *       or {range:[lo,hi]} mapping 0..255 linearly onto lo..hi.
 * resize: 'bilinear' (2x2 interpolation, the default) or 'triangle' (antialiased).
 */
export function toInputTensor(img, width, height, norm, resize = 'bilinear') {
  const { rgb } = (resize === 'triangle' ? resizeTriangleRGB : resizeBilinearRGB)(img, width, height);
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
