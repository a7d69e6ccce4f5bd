// Blur styles at strengths 10 / 50 / 100 on a 12 MP photo, one thread: our WASM build
// (this Node process) and native build, next to StackBlur and OpenCV.js GaussianBlur.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { imageDataRGBA as stackBlurRGBA } from 'stackblur-canvas';
import { bestOf, printTable } from './table.js';

const strengths = [10, 50, 100];
const styles = {
  gaussian: { style: 'gaussian' },
  'lens + highlights': { style: 'lens', highlightBoost: 8 },
  'lens hexagon': { style: 'lens', blades: 6, rotation: 15 },
  motion: { style: 'motion', angle: 20 },
  radial: { style: 'radial' },
};

async function loadOpenCv() {
  let cv = createRequire(import.meta.url)('@techstark/opencv-js');
  if (cv instanceof Promise) cv = await cv;
  else if (!cv.Mat) await new Promise((resolve) => { cv.onRuntimeInitialized = resolve; });
  return cv;
}

// Radius in pixels at a strength (engine/include/defocus/blur.h).
const radiusAt = (strength, w, h) => (strength / 100) * 0.02 * Math.hypot(w, h);

export async function benchBlur({ engine, image, nativeBench, photoPath, runs, skipOpenCv }) {
  const { width: w, height: h } = image;
  const mp = (w * h) / 1e6;
  const ms = {}; // ms[name][strength]
  const record = (name, strength, value) => ((ms[name] ??= {})[strength] = value);

  const native = execFileSync(nativeBench, ['blur', photoPath, String(w), String(h), String(runs)], { encoding: 'utf8' })
    .trim().split('\n').map((line) => JSON.parse(line));
  for (const { style, strength, ms: t } of native) record(`native ${style}`, strength, t);

  for (const [name, options] of Object.entries(styles)) {
    for (const strength of strengths) {
      record(`wasm ${name}`, strength, bestOf(runs, () => engine.blur(image, { ...options, strength })));
    }
  }
  // The same Gaussian written into a caller's buffer (e.g. an ImageData): no fresh 48 MB
  // JS allocation per call.
  const output = new Uint8Array(image.data.length);
  for (const strength of strengths) {
    record('wasm gaussian, into a buffer', strength,
      bestOf(runs, () => engine.blur(image, { style: 'gaussian', strength }, output)));
  }
  for (const strength of strengths) {
    const radius = Math.round(radiusAt(strength, w, h));
    record('StackBlur (JS, RGBA8)', strength, bestOf(runs, () => {
      stackBlurRGBA({ data: new Uint8ClampedArray(image.data), width: w, height: h }, 0, 0, w, h, radius);
    }));
  }
  const openCvRows = {};
  if (!skipOpenCv) {
    // OpenCV's cost grows with the kernel (tens of seconds on 12 MP at strength 100), so it
    // runs once on a full-width strip of the photo, at least a kernel tall, scaled to the
    // whole photo by pixel count.
    const cv = await loadOpenCv();
    for (const strength of strengths) {
      const sigma = radiusAt(strength, w, h) / 2;
      const k = 2 * Math.ceil(3 * sigma) + 1;
      const rows = Math.min(h, Math.max(256, k));
      const src = cv.matFromArray(rows, w, cv.CV_8UC4, image.data.subarray(0, rows * w * 4));
      const dst = new cv.Mat();
      const ms = bestOf(1, () => cv.GaussianBlur(src, dst, new cv.Size(k, k), sigma, sigma));
      record('OpenCV.js GaussianBlur *', strength, (ms * h) / rows);
      openCvRows[strength] = `${rows} rows: ${ms.toFixed(0)} ms`;
      src.delete();
      dst.delete();
    }
  }

  console.log(`Blur: ${w}x${h} (${mp.toFixed(1)} MP), one thread, best of ${runs} (OpenCV.js: see *)`);
  console.log(`radius at strength 10 / 50 / 100: ${strengths.map((s) => radiusAt(s, w, h).toFixed(1)).join(' / ')} px\n`);
  const stack = ms['StackBlur (JS, RGBA8)'];
  const rows = [['blur', ...strengths.map((s) => `s${s} ms`), ...strengths.map((s) => `s${s} MP/s`),
    ...strengths.map((s) => `s${s} vs StackBlur`), 'slowest/fastest']];
  for (const [name, byStrength] of Object.entries(ms)) {
    const t = strengths.map((s) => byStrength[s]);
    rows.push([name, ...t.map((x) => x.toFixed(0)), ...t.map((x) => (mp / (x / 1000)).toFixed(1)),
      ...t.map((x, i) => `${(stack[strengths[i]] / x).toFixed(2)}x`),
      (Math.max(...t) / Math.min(...t)).toFixed(2)]);
  }
  printTable(rows);
  console.log('"vs StackBlur" is throughput relative to StackBlur at the same strength (> 1: faster).');
  if (!skipOpenCv) {
    console.log(`* OpenCV.js: one run on a ${w}-wide strip, scaled to ${h} rows (${strengths.map((s) => `s${s} ${openCvRows[s]}`).join(', ')}).`);
  }
  console.log();
}
