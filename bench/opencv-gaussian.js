// OpenCV.js GaussianBlur timings for bench/blur.js, in a process of its own (OpenCV.js
// did not finish loading inside the benchmark process after the other runs):
//   node bench/opencv-gaussian.js PHOTO WIDTH HEIGHT SIGMA...   one JSON line per sigma
// The photo is resized like the benchmark's. GaussianBlur's cost grows with the kernel (tens
// of seconds on 12 MP at strength 100), so it runs once on a full-width strip, at least a
// kernel tall, and the time is scaled to the whole photo by pixel count.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadEngine } from '../web/lib/node.js';

const [photoPath, width, height, ...sigmas] = process.argv.slice(2);
const w = Number(width), h = Number(height);
const engine = await loadEngine();
const image = engine.resize(engine.decode(new Uint8Array(readFileSync(photoPath))), w, h);
let cv = createRequire(import.meta.url)('@techstark/opencv-js');
if (cv instanceof Promise) cv = await cv;
else if (!cv.Mat) await new Promise((resolve) => { cv.onRuntimeInitialized = resolve; });
for (const sigma of sigmas.map(Number)) {
  const k = 2 * Math.ceil(3 * sigma) + 1;
  const rows = Math.min(h, Math.max(256, k));
  const src = cv.matFromArray(rows, w, cv.CV_8UC4, image.data.subarray(0, rows * w * 4));
  const dst = new cv.Mat();
  const t0 = performance.now();
  cv.GaussianBlur(src, dst, new cv.Size(k, k), sigma, sigma);
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ sigma, rows, stripMs: ms, ms: (ms * h) / rows }));
  src.delete();
  dst.delete();
}
process.exit(0);
