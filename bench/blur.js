// Blur styles at strengths 10 / 50 / 100 on a 12 MP photo, one thread: our WASM build
// (this Node process) and native build, next to StackBlur and OpenCV.js GaussianBlur.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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

// Radius in pixels at a strength (engine/include/defocus/blur.h).
const radiusAt = (strength, w, h) => (strength / 100) * 0.0421 * Math.hypot(w, h);  // engine/include/defocus/blur.h

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
    const script = fileURLToPath(new URL('./opencv-gaussian.js', import.meta.url));
    const sigmas = strengths.map((s) => String(radiusAt(s, w, h) / 2));
    const lines = execFileSync(process.execPath, [script, photoPath, String(w), String(h), ...sigmas], { encoding: 'utf8' })
      .trim().split('\n').map((line) => JSON.parse(line));
    lines.forEach(({ rows, stripMs, ms: t }, i) => {
      record('OpenCV.js GaussianBlur *', strengths[i], t);
      openCvRows[strengths[i]] = `${rows} rows: ${stripMs.toFixed(0)} ms`;
    });
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
