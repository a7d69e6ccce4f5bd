// Where the memory of a full-size photo goes (`node bench/memory.js`): the engine's heap
// high-water mark (heapStats().peak, dlmalloc's max footprint; WebAssembly memory never
// shrinks, so this is what a photo costs the process) after each stage of blur()'s Node
// path (open the file in the engine, the model's input, the matte, render + encode in the
// engine), in bytes per pixel above the heap of a warmed-up engine. One fresh engine per
// row, so every row's peak is its own. The goal (issue 17): <= 16 bytes a pixel above a
// fixed base. With two sizes or more, a second table fits peak = base + slope * pixels per
// case over the smallest and largest size: the slope is what each pixel costs, the base
// what a photo costs whatever its size (one strip's planes, the matte's working grid).
//   BENCH_SIZES=12,24,48   megapixels (default 12,48)
//   BENCH_CASES=lens,...   rows by name (default: all)
// The photo is a testdata photo enlarged by whole-pixel blocks, encoded as JPEG by the
// engine; the matte is refined from an ellipse-shaped probability map (a subject of about
// a quarter of the frame), so no model runs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngine } from '../web/lib/node.js';
import { enlargeTo } from './enlarge.js';
import { printTable } from './table.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = path.join(root, '../shared/testdata/people/hike_00000.jpg');
const sizes = (process.env.BENCH_SIZES ?? '12,48').split(',').map(Number);

export const memoryCases = [
  ['lens, auto depth', { style: 'lens' }],
  ['gaussian', { style: 'gaussian' }],
  ['motion', { style: 'motion' }],
  ['motion, vertical', { style: 'motion', angle: 90 }],  // the streak's full reach across strips
  ['radial', { style: 'radial' }],
  ['lens, focus on background', { style: 'lens', depth: { focusX: 0.05, focusY: 0.05 } }],
  ['lens, linear depth', { style: 'lens', depth: { mode: 'linear' } }],
  ['lens, strength 100', { style: 'lens', strength: 100 }],
  ['cutout', { background: 'transparent' }, 'png'],
  ['replace (colour)', { background: '#3366aa' }],
  ['replace, blurred', { background: '#3366aa', blurBackground: true }],
];
const wanted = process.env.BENCH_CASES?.split(',');

// A 256 x 256 probability map: an upright ellipse in the lower middle (a portrait's subject).
export function ellipseProbability(size = 256) {
  const data = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = (x - size / 2) / (size * 0.25), dy = (y - size * 0.6) / (size * 0.4);
      data[y * size + x] = Math.min(1, Math.max(0, (1 - Math.hypot(dx, dy)) * 8));
    }
  }
  return { width: size, height: size, data };
}

const peaks = new Map();  // case -> [[pixels, peak bytes]]
const small = (await loadEngine()).decode(new Uint8Array(readFileSync(source)));
const rows = [['photo', 'case', 'open', 'model input', 'matte', 'render + encode', 'peak MB', 'bytes/px']];
for (const mp of sizes) {
  const big = enlargeTo(small, mp);
  const pixels = big.width * big.height;
  const file = (await loadEngine()).encode(big, { format: 'jpeg', quality: 92 });
  for (const [name, options, format = 'jpeg'] of memoryCases) {
    if (wanted && !wanted.some((w) => name.startsWith(w))) continue;
    const engine = await loadEngine();
    engine.warmUp();
    const base = engine.heapStats().peak;
    const perPixel = () => (engine.heapStats().peak - base) / pixels;
    const photo = engine.openPhoto(file);
    const afterOpen = perPixel();
    photo.modelInput({ width: 256, height: 256, channelsFirst: true, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], letterbox: false });
    const afterInput = perPixel();
    photo.setMatte(ellipseProbability(), { workingSize: 768, radius: 4, epsilon: 1e-3 }, true);
    const afterMatte = perPixel();
    photo.renderEncoded(options, { format, quality: 90 });
    const afterRender = perPixel();
    rows.push([`${mp} MP`, name, ...[afterOpen, afterInput, afterMatte, afterRender].map((v) => v.toFixed(1)),
      ((engine.heapStats().peak - base) / 2 ** 20).toFixed(0), afterRender.toFixed(1)]);
    photo.dispose();
    if (!peaks.has(name)) peaks.set(name, []);
    peaks.get(name).push([pixels, engine.heapStats().peak - base]);
  }
}
console.log('The engine\'s heap high-water mark through each stage, bytes a pixel above a warmed-up engine (goal <= 16)');
printTable(rows);
if (sizes.length > 1) {
  const fit = [['case', 'slope bytes/px', 'base MB', 'sizes']];
  for (const [name, points] of peaks) {
    const [p0, b0] = points[0], [p1, b1] = points[points.length - 1];
    const slope = (b1 - b0) / (p1 - p0);
    fit.push([name, slope.toFixed(1), ((b0 - slope * p0) / 2 ** 20).toFixed(0), sizes.join('/') + ' MP']);
  }
  console.log('\nPeak = base + slope * pixels, from the smallest and largest photo (goal: slope <= 16)');
  printTable(fit);
}
