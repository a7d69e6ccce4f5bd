// Subject model precision and matte edges on the hand-masked dev sets
// (../shared/testdata/people and ../shared/testdata/masks): mean IoU and boundary F (2 px)
// of the subject model's matte per model variant (fp32 upstream, shipped int8, fp16, mixes)
// and per refinement (bilinear, guided filter, guided filter + band matting).
//
//   node bench/matte-edges.js [--variants fp32,int8,fp16,shipped] [--refine raw,guided,band]
//   node bench/matte-edges.js --time [RUNS]   refine time at 2 and 12 MP, guided vs band
//   node bench/matte-edges.js --oracle [people|masks]   per frame, the best IoU and the best BF
//     among every matte the project can make from its two models (an upper bound of any fusion);
//     --sources auto,portrait limits the mattes compared; --no-photo: auto from the maps alone
//   node bench/matte-edges.js --labels   what auto calls each frame and photo ("people" or
//     not), with the statistics that could tell an animal from a person
//
// Probability maps are cached per variant in $TMPDIR/defocus-matte-edges/ (the models take
// ~2 s a photo), keyed by the model file's sha256. Prints one table per dev set and the
// model sizes (raw and gzip -9).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as ort from 'onnxruntime-web';
import { loadEngine } from '../web/lib/node.js';
import { parseManifest } from '../web/lib/models.js';
import { createSegmenter } from '../web/lib/segmenter.js';
import { decodeModel, encodeModel } from '../models/tools/onnx-proto.js';
import { convLayers, quantizeU2netp, readQuantizationPlan } from '../models/tools/quantize-u2netp.js';
import { halveInitializers } from '../models/tools/half.js';
import { SOURCES, upstreamFile } from '../models/tools/upstream.js';
import { printTable } from './table.js';

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';
const root = fileURLToPath(new URL('..', import.meta.url));
const shared = join(root, '..', 'shared', 'testdata');
const planPath = join(root, 'models', 'u2netp-float-layers.json');
const arg = (name, dflt) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : dflt; };

// Model variants, each bytes built here by the project's own tools from the upstream file.
const upstream = () => decodeModel(readFileSync(upstreamFile(SOURCES.u2netp)), 'u2netp.onnx');
const VARIANTS = {
  fp32: () => encodeModel(upstream()),
  fp16: () => { const m = upstream(); return encodeModel(halveInitializers(m, convLayers(m).map((l) => l.weight))); },
  int8: () => { const p = readQuantizationPlan(planPath); return encodeModel(quantizeU2netp(upstream(), { ...p, halfLayers: [] })); },
  // The plan's float layers stored as fp16 instead of float32.
  'int8-f16': () => { const p = readQuantizationPlan(planPath); return encodeModel(quantizeU2netp(upstream(), { ...p, floatLayers: [], halfLayers: p.floatLayers })); },
  // The same, but Conv_787 (the layer whose input has one channel ~100x the rest) in float32.
  'int8-f16x': () => { const p = readQuantizationPlan(planPath); const half = p.floatLayers.filter((n) => n !== 'Conv_787'); return encodeModel(quantizeU2netp(upstream(), { ...p, floatLayers: ['Conv_787'], halfLayers: half })); },
  // The committed plan as it is (its half_layers included): what models/build.js ships.
  shipped: () => encodeModel(quantizeU2netp(upstream(), readQuantizationPlan(planPath))),
};
// "int8-h<K>": the plan's float layers plus the K layers most sensitive alone (the plan's scan)
// in fp16, everything else int8.
function variantBytes(name) {
  if (VARIANTS[name]) return VARIANTS[name]();
  const m = /^int8-h(\d+)$/.exec(name);
  if (!m) throw new Error(`unknown variant ${name}`);
  const plan = readQuantizationPlan(planPath);
  const scan = JSON.parse(readFileSync(planPath, 'utf8')).scan.map((s) => s.node);
  const half = [...new Set([...plan.floatLayers, ...scan.slice(0, Number(m[1]))])];
  return encodeModel(quantizeU2netp(upstream(), { ...plan, floatLayers: [], halfLayers: half }));
}

export function devSet(folder) {
  const dir = join(shared, folder);
  return readdirSync(dir).filter((f) => f.endsWith('.alpha.png')).sort()
    .map((f) => ({ name: f.replace('.alpha.png', ''), photo: join(dir, f.replace('.alpha.png', '.jpg')), truth: join(dir, f) }));
}

export async function probabilities(engine, entry, name, bytes, photos) {
  const sha = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), 'defocus-matte-edges', `${name}-${sha}`);
  mkdirSync(dir, { recursive: true });
  let segmenter = null;
  const out = new Map();
  for (const p of photos) {
    const file = join(dir, `${p.name}.json`);
    if (!existsSync(file)) {
      segmenter ??= await createSegmenter(ort, entry, bytes);
      const prob = await segmenter.run(engine, p.image);
      writeFileSync(file, JSON.stringify({ width: prob.width, height: prob.height, data: [...prob.data].map((v) => +v.toFixed(5)) }));
    }
    const j = JSON.parse(readFileSync(file, 'utf8'));
    out.set(p.name, { width: j.width, height: j.height, data: Float32Array.from(j.data) });
  }
  await segmenter?.dispose();
  return out;
}

const truthPlane = (engine, path) => {
  const img = engine.decode(readFileSync(path));
  const data = new Float32Array(img.width * img.height);
  for (let i = 0; i < data.length; i++) data[i] = img.data[4 * i] / 255;
  return { width: img.width, height: img.height, data };
};

/** The mattes compared: name -> (engine, photo, probability, entry) => Plane. */
export const REFINES = {
  raw: (engine, image, prob) => engine.upsampleMatte(prob, image.width, image.height),
  guided: (engine, image, prob, entry) => engine.refineMatte(image, prob, { ...entry.refine, band: false }),
  band: (engine, image, prob, entry) => engine.refineMatte(image, prob, { ...entry.refine, band: true }),
};

// Refinement time of a real photo (a people frame enlarged to 2 and 12 MP) from the
// subject model's 320x320 map: guided filter alone and with the edge stage.
// Measured (best of 5; before: best of 3), quiet machine (load 0.3-0.9), 2 cores:
//   |                         | 2 MP guided | 2 MP + band + snap | 12 MP guided | 12 MP + band + snap |
//   | before (main @4da5386)  | 139 ms      | 220 ms             | 350 ms       | 775 ms              |
//   | after (issue-13c)       | 106 ms      | 167 ms             | 257 ms       | 441 ms              |
// Where the 12 MP time went (perf natively, phase timers in wasm): the per-pixel bilinear
// gather of the coefficients (now widened once per working row), the model input and guide
// read through a 50-tap window (now integer block means first), the snap's exp() calls and
// its 15 sweeps over all 300k band pixels (now a table, a polynomial, and only pixels near
// a move). Mattes are the same: tests/wasm/segment.test.mjs's numbers did not move.
async function timeRefine(runs) {
  const engine = await loadEngine();
  const manifest = parseManifest(readFileSync(join(root, 'models', 'models.json'), 'utf8'));
  const entry = manifest.get('subject');
  const [p] = devSet('people').filter((x) => x.name === 'lucia_00000');
  p.image = engine.decode(readFileSync(p.photo));
  const bytes = VARIANTS.int8();
  const prob = (await probabilities(engine, entry, 'int8', bytes, [p])).get(p.name);
  // refineMatte copies the photo in and the matte out (~50 ms at 12 MP); blur() and export
  // refine the engine's photo in place (photo.setMatte), the last column.
  const rows = [['photo', 'guided ms', 'guided + band ms', 'band share of pixels', 'guided + band in the engine photo ms']];
  for (const [w, h] of [[1632, 1224], [4000, 3000]]) {
    const image = engine.resize(p.image, w, h);
    const best = (band) => {
      let ms = Infinity;
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        engine.refineMatte(image, prob, { ...entry.refine, band });
        ms = Math.min(ms, performance.now() - t);
      }
      return ms;
    };
    const a = engine.refineMatte(image, prob, { ...entry.refine, band: false });
    const b = engine.refineMatte(image, prob, { ...entry.refine, band: true });
    let changed = 0;
    for (let i = 0; i < a.data.length; i++) changed += a.data[i] !== b.data[i];
    const photo = engine.openPhoto(image);
    let inPhoto = Infinity;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      photo.setMatte(prob, { ...entry.refine, band: true });
      inPhoto = Math.min(inPhoto, performance.now() - t);
    }
    photo.dispose();
    rows.push([`${w}x${h} (${(w * h / 1e6).toFixed(1)} MP)`, best(false).toFixed(0), best(true).toFixed(0), (changed / a.data.length).toFixed(3),
      inPhoto.toFixed(0)]);
  }
  console.log(`Matte refinement in wasm (Node, best of ${runs})`);
  printTable(rows);
}

// The upper bound of any fusion of the two models: per frame, the best IoU and the best BF
// (each on its own) among subject (shipped and fp32 upstream), portrait, auto (the engine's
// rule, no zoom pass) and the mean of the two maps, each refined with and without the edge
// stage; their means over the frames. If these are below a goal, no rule choosing or mixing
// these mattes reaches it.
async function oracle(folder) {
  const engine = await loadEngine();
  const manifest = parseManifest(readFileSync(join(root, 'models', 'models.json'), 'utf8'));
  const subject = manifest.get('subject');
  const portrait = manifest.get('portrait');
  const photos = devSet(folder);
  for (const p of photos) { p.image = engine.decode(readFileSync(p.photo)); p.truthPlane = truthPlane(engine, p.truth); }
  const shipped = readFileSync(join(root, 'web', 'models', subject.file));
  const maps = {
    int8: await probabilities(engine, subject, 'shipped', shipped, photos),
    fp32: await probabilities(engine, subject, 'fp32', VARIANTS.fp32(), photos),
    person: await probabilities(engine, portrait, 'portrait', readFileSync(join(root, 'web', 'models', portrait.file)), photos),
  };
  const mean = (a, b) => {
    const up = engine.upsampleMatte(a, b.width, b.height);
    return { width: b.width, height: b.height, data: b.data.map((v, i) => 0.5 * (v + up.data[i])) };
  };
  // --no-photo: the finder without the photo (the maps alone: no colour rule), to compare.
  const noPhoto = process.argv.includes('--no-photo');
  const auto = (p, s, image) => engine.findSubject(p, s, image.width / image.height, {}, noPhoto ? null : image).probability;
  const sources = {
    subject: (n) => [maps.int8.get(n), subject],
    'subject fp32': (n) => [maps.fp32.get(n), subject],
    portrait: (n) => [maps.person.get(n), portrait],
    auto: (n, image) => [auto(maps.person.get(n), maps.int8.get(n), image), subject],
    'auto fp32': (n, image) => [auto(maps.person.get(n), maps.fp32.get(n), image), subject],
    mean: (n) => [mean(maps.person.get(n), maps.int8.get(n)), subject],
    'mean fp32': (n) => [mean(maps.person.get(n), maps.fp32.get(n)), subject],
  };
  // --sources auto,subject: only those (a quick look at one rule's change).
  const only = arg('--sources', null)?.split(',');
  if (only) for (const s of Object.keys(sources)) if (!only.includes(s)) delete sources[s];
  const names = [];
  for (const s of Object.keys(sources)) for (const band of [false, true]) names.push(`${s}${band ? ' +edge' : ''}`);
  const rows = [['frame', 'auto +edge IoU/BF', 'best IoU', 'by', 'best BF', 'by']];
  const sum = { auto: [0, 0], best: [0, 0] };
  const perMatte = Object.fromEntries(names.map((n) => [n, [0, 0]]));
  for (const p of photos) {
    const scores = {};
    for (const [s, source] of Object.entries(sources)) {
      const [prob, entry] = source(p.name, p.image);
      for (const band of [false, true]) {
        const m = engine.refineMatte(p.image, prob, { ...entry.refine, band });
        const sc = engine.scoreMatte({ width: p.image.width, height: p.image.height, data: m.data ?? m }, p.truthPlane, 2);
        const name = `${s}${band ? ' +edge' : ''}`;
        scores[name] = [sc.iou, sc.boundaryF];
        perMatte[name][0] += sc.iou / photos.length, perMatte[name][1] += sc.boundaryF / photos.length;
      }
    }
    const best = (j) => names.reduce((a, b) => (scores[b][j] > scores[a][j] ? b : a));
    const bi = best(0), bb = best(1);
    const a = scores['auto +edge'];
    sum.auto[0] += a[0] / photos.length, sum.auto[1] += a[1] / photos.length;
    sum.best[0] += scores[bi][0] / photos.length, sum.best[1] += scores[bb][1] / photos.length;
    rows.push([p.name, `${a[0].toFixed(3)}/${a[1].toFixed(3)}`, scores[bi][0].toFixed(3), bi, scores[bb][1].toFixed(3), bb]);
  }
  rows.push([`mean (${photos.length})`, `${sum.auto[0].toFixed(4)}/${sum.auto[1].toFixed(4)}`, sum.best[0].toFixed(4), 'per-frame best', sum.best[1].toFixed(4), 'per-frame best']);
  console.log(`Oracle on ${folder}: the best of ${names.length} mattes per frame`);
  printTable(rows);
  const table = [['matte', 'mean IoU', 'mean BF (2 px)']];
  for (const n of names) table.push([n, perMatte[n][0].toFixed(4), perMatte[n][1].toFixed(4)]);
  printTable(table);
}

// Every masked frame and every photo of ../shared/testdata/photos: the finder's kind, and
// per-frame statistics of the two maps that could separate animals the finder calls
// "people" (two_dogs_window) from real people: the finder's confidence, IoU of the two
// maps at 0.5, the person map's mean where the object model says subject, the share of the
// person area the person model is sure of (>= 0.9), and the share of skin-coloured pixels
// (YCbCr box of Chai & Ngan 1999) where both agree, all of it and its top fifth (a face).
async function labels() {
  const engine = await loadEngine();
  const manifest = parseManifest(readFileSync(join(root, 'models', 'models.json'), 'utf8'));
  const subject = manifest.get('subject');
  const portrait = manifest.get('portrait');
  const photos = [...devSet('people'), ...devSet('masks')];
  const dir = join(shared, 'photos');
  for (const f of readdirSync(dir).filter((x) => /\.(jpg|png)$/.test(x)).sort()) photos.push({ name: f.replace(/\.(jpg|png)$/, ''), photo: join(dir, f) });
  for (const p of photos) p.image = engine.decode(readFileSync(p.photo));
  const S = await probabilities(engine, subject, 'shipped', readFileSync(join(root, 'web', 'models', subject.file)), photos);
  const P = await probabilities(engine, portrait, 'portrait', readFileSync(join(root, 'web', 'models', portrait.file)), photos);
  const rows = [['frame', 'kind', 'people', 'confidence', 'IoU(P,S)', 'mean P | S', 'P >= 0.9 | P', 'skin | both', 'skin, top fifth']];
  for (const p of photos) {
    const s = S.get(p.name), found = engine.findSubject(P.get(p.name), s, p.image.width / p.image.height);
    const pu = engine.upsampleMatte(P.get(p.name), s.width, s.height).data;
    const small = engine.resize(p.image, s.width, s.height).data;
    let both = 0, either = 0, pOverS = 0, nS = 0, nP = 0, sure = 0, top = s.height, bottom = -1;
    for (let i = 0; i < s.data.length; i++) {
      const a = pu[i] >= 0.5, b = s.data[i] >= 0.5;
      both += a && b, either += a || b;
      if (b) pOverS += pu[i], nS++;
      if (a) nP++, sure += pu[i] >= 0.9;
      if (a && b) top = Math.min(top, Math.floor(i / s.width)), bottom = Math.max(bottom, Math.floor(i / s.width));
    }
    let skin = 0, skinTop = 0, nTop = 0;
    for (let i = 0; i < s.data.length; i++) {
      if (!(pu[i] >= 0.5 && s.data[i] >= 0.5)) continue;
      const [r, g, b] = small.subarray(4 * i, 4 * i + 3);
      const cb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b, cr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
      const isSkin = cb >= 77 && cb <= 127 && cr >= 133 && cr <= 173;
      skin += isSkin;
      if (Math.floor(i / s.width) <= top + 0.2 * (bottom - top)) nTop++, skinTop += isSkin;
    }
    const f2 = (v) => v.toFixed(2);
    rows.push([p.name, found.kind, String(found.people), f2(found.confidence), f2(both / Math.max(1, either)), f2(pOverS / Math.max(1, nS)),
      f2(sure / Math.max(1, nP)), f2(skin / Math.max(1, both)), f2(skinTop / Math.max(1, nTop))]);
  }
  printTable(rows);
}

async function main() {
  if (process.argv.includes('--labels')) { await labels(); process.exit(0); }
  const oi = process.argv.indexOf('--oracle');
  if (oi > 0) { await oracle(process.argv[oi + 1] ?? 'people'); process.exit(0); }
  const ti = process.argv.indexOf('--time');
  if (ti > 0) { await timeRefine(Number(process.argv[ti + 1]) || 3); process.exit(0); }
  const variants = arg('--variants', 'fp32,int8,shipped').split(',');
  const refines = arg('--refine', 'raw,guided').split(',');
  const engine = await loadEngine();
  const manifest = parseManifest(readFileSync(join(root, 'models', 'models.json'), 'utf8'));
  const entry = manifest.get('subject');
  const sets = ['people', 'masks'].map((folder) => ({ folder, photos: devSet(folder) }));
  for (const s of sets) for (const p of s.photos) { p.image = engine.decode(readFileSync(p.photo)); p.truthPlane = truthPlane(engine, p.truth); }
  const sizes = [['variant', 'bytes', 'gzip -9 bytes']];
  const rows = Object.fromEntries(sets.map((s) => [s.folder, [['variant', 'refine', 'mean IoU', 'mean BF (2 px)', 'min IoU', 'IoU vs fp32 mean/min', 'photos']]]));
  const reference = {};
  const perPhoto = {};
  for (const v of variants) {
    const bytes = variantBytes(v);
    sizes.push([v, String(bytes.length), String(gzipSync(bytes, { level: 9 }).length)]);
    for (const s of sets) {
      const probs = await probabilities(engine, entry, v, bytes, s.photos);
      reference[s.folder] ??= await probabilities(engine, entry, 'fp32', VARIANTS.fp32(), s.photos);
      for (const r of refines) {
        let iou = 0; let bf = 0; let min = 1; let agree = 0; let agreeMin = 1;
        for (const p of s.photos) {
          const plane = (m) => ({ width: p.image.width, height: p.image.height, data: m.data ?? m });
          const matte = REFINES[r](engine, p.image, probs.get(p.name), entry);
          const sc = engine.scoreMatte(plane(matte), p.truthPlane, 2);
          const same = engine.scoreMatte(plane(matte), plane(REFINES[r](engine, p.image, reference[s.folder].get(p.name), entry)), 2).iou;
          agree += same / s.photos.length; agreeMin = Math.min(agreeMin, same);
          iou += sc.iou; bf += sc.boundaryF; min = Math.min(min, sc.iou);
          (perPhoto[`${v}/${r}`] ??= {})[p.name] = [+sc.iou.toFixed(4), +sc.boundaryF.toFixed(4)];
        }
        const n = s.photos.length;
        rows[s.folder].push([v, r, (iou / n).toFixed(4), (bf / n).toFixed(4), min.toFixed(4), `${agree.toFixed(4)}/${agreeMin.toFixed(4)}`, String(n)]);
      }
    }
  }
  console.log('Subject model sizes');
  printTable(sizes);
  for (const s of sets) { console.log(`\n${s.folder} (${s.photos.length} hand-masked frames)`); printTable(rows[s.folder]); }
  if (process.argv.includes('--per-photo')) console.log(JSON.stringify(perPhoto));
  process.exit(0);
}

if (import.meta.url === `file://${process.argv[1]}`) main().catch((e) => { console.error(e); process.exit(1); });
