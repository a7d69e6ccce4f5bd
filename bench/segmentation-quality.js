// Segmentation quality per model choice, in one process (one ONNX Runtime thread): mean
// IoU and boundary F (2 px) of the refined matte against hand-made masks, time per photo
// (segment + refine), and, at 12 MP, the cost of 'auto' against 'subject' alone.
//   node bench/segmentation-quality.js [PHOTO_12MP_SOURCE]   prints JSON lines
//   node bench/segmentation-quality.js --12mp [PHOTO_12MP_SOURCE]   only the 12 MP comparison
// Held-out frames (never used to choose the finder's thresholds) are reported apart.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDefocus } from '../web/lib/node.js';
import { resizeTo } from './enlarge.js';
import { median } from './table.js';

const testdata = fileURLToPath(new URL('../../shared/testdata/', import.meta.url));
const models = fileURLToPath(new URL('../web/models/', import.meta.url));
export const heldOut = /^(tennis|kite-walk)_/;

const choices = [
  { name: 'auto', options: { model: 'auto' }, files: ['selfie_segmentation.onnx', 'u2netp_int8.onnx'] },
  { name: 'auto, no zoom', options: { model: 'auto', zoom: false }, files: ['selfie_segmentation.onnx', 'u2netp_int8.onnx'] },
  { name: 'subject', options: { model: 'subject', zoom: false }, files: ['u2netp_int8.onnx'] },
  { name: 'portrait', options: { model: 'portrait', zoom: false }, files: ['selfie_segmentation.onnx'] },
];

function truthOf(engine, path) {
  const m = engine.decode(new Uint8Array(readFileSync(path)));
  return { width: m.width, height: m.height, data: Float32Array.from({ length: m.width * m.height }, (_, i) => m.data[4 * i] / 255) };
}

const sets = [
  { name: 'people (tuning)', folder: 'people', keep: (f) => !heldOut.test(f) },
  { name: 'people (held out)', folder: 'people', keep: (f) => heldOut.test(f) },
  { name: 'animals, objects', folder: 'masks', keep: () => true },
];

const only12 = process.argv.includes('--12mp');
for (const choice of only12 ? [] : choices) {
  const d = await createDefocus({ ...choice.options, numThreads: 1 });
  const bytes = choice.files.reduce((sum, f) => sum + statSync(`${models}${f}`).size, 0);
  for (const set of sets) {
    const frames = readdirSync(`${testdata}${set.folder}`).filter((f) => f.endsWith('.jpg') && set.keep(f)).sort();
    let iou = 0, bf = 0, zoomed = 0;
    const ms = [];
    for (const f of frames) {
      const image = d.engine.decode(new Uint8Array(readFileSync(`${testdata}${set.folder}/${f}`)));
      const t = performance.now();
      const r = await d.segment(image);
      ms.push(performance.now() - t);
      const s = d.engine.scoreMatte({ width: r.width, height: r.height, data: r.matte },
        truthOf(d.engine, `${testdata}${set.folder}/${f.replace('.jpg', '.alpha.png')}`));
      iou += s.iou / frames.length, bf += s.boundaryF / frames.length, zoomed += r.zoom ? 1 : 0;
    }
    console.log(JSON.stringify({ choice: choice.name, set: set.name, frames: frames.length, iou, bf, ms: median(ms), zoomed, bytes }));
  }
  await d.dispose();
}

// 12 MP: segmentation (models + refinement) of 'auto' against 'subject' alone, median of 3.
const source = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? `${testdata}photos/astronaut_eileen_collins.png`;
for (const choice of [choices[2], choices[0]]) {
  const d = await createDefocus({ ...choice.options, numThreads: 1 });
  const photo = d.engine.decode(new Uint8Array(readFileSync(source)));
  const big = resizeTo(d.engine, photo, 12);
  const ms = [];
  const parts = {};
  let zoomed = false;
  for (let i = 0; i < 3; i++) {
    const copy = { ...big };  // a new object: the per-photo cache does not hit
    const t = performance.now();
    const r = await d.segment(copy);
    ms.push(performance.now() - t - r.timings.decode);
    for (const k of ['segment', 'zoom', 'refine']) if (r.timings[k] != null) (parts[k] ??= []).push(r.timings[k]);
    zoomed ||= Boolean(r.zoom);
  }
  const split = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, +median(v).toFixed(0)]));
  console.log(JSON.stringify({ choice: choice.name, set: `12 MP ${source.split('/').pop()}`, ms: median(ms), zoomed, parts: split }));
  await d.dispose();
}
process.exit(0);
