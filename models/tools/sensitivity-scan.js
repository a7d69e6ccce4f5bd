#!/usr/bin/env node
// Maintainer command: find the U2-Net-p Conv layers that must keep float weights.
//
//   node models/tools/sensitivity-scan.js [--out models/u2netp-float-layers.json]
//        [--target 0.985] [--workers 2] [--photos DIR] [--from-scan FILE]
//
// 1. Runs the fp32 model on every test photo (320x320, ImageNet normalisation).
// 2. Per-layer scan: for each Conv layer, quantises ONLY that layer (int8 per
//    output channel, as the build does) and measures IoU@0.5 and mean absolute
//    difference of the saliency map against fp32 on every photo.
// 3. Selection: starting from "everything int8", keeps layers float in order of
//    sensitivity (lowest worst-photo IoU alone, then largest mean difference)
//    until the fully built model reaches IoU >= target on every photo.
// Writes the chosen layers and all measured numbers to the output file, which
// is committed; the everyday build only reads it. Takes ~20 min on 2 cores.

import { readFileSync, writeFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { decodeModel, encodeModel } from './onnx-proto.js';
import { convLayers, quantizeConvWeights } from './quantize-u2netp.js';
import { SOURCES, upstreamFile, REPO_ROOT } from './upstream.js';
import { iou, meanAbsDiff, coverage } from './metrics.js';

export const U2NETP_INPUT = Object.freeze({ size: 320, norm: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] } });

// ---------------------------------------------------------------------------
// Worker: evaluates one model configuration on a set of prepared inputs.
async function workerMain() {
  const { createSession, runSingle } = await import('./ort.js');
  const model = decodeModel(new Uint8Array(workerData.modelBytes), 'u2netp.onnx');
  const { size } = U2NETP_INPUT;
  parentPort.on('message', async (task) => {
    try {
      let bytes;
      if (task.spec.kind === 'fp32') bytes = new Uint8Array(workerData.modelBytes);
      else {
        const set = new Set(task.spec.layers);
        const pick = task.spec.kind === 'only' ? (l) => set.has(l.node) : (l) => !set.has(l.node);
        bytes = encodeModel(quantizeConvWeights(model, pick));
      }
      const session = await createSession(bytes);
      const outputs = [];
      for (const input of task.inputs) outputs.push((await runSingle(session, input, [1, 3, size, size])).data.slice());
      await session.release();
      parentPort.postMessage({ id: task.id, outputs, modelBytes: bytes.length }, outputs.map((o) => o.buffer));
    } catch (e) {
      parentPort.postMessage({ id: task.id, error: e.stack ?? String(e) });
    }
  });
}

// ---------------------------------------------------------------------------
class Pool {
  constructor(n, modelBytes) {
    this.workers = [];
    this.idle = [];
    this.queue = [];
    this.pending = new Map();
    this.nextId = 1;
    for (let i = 0; i < n; i++) {
      const w = new Worker(new URL(import.meta.url), { workerData: { modelBytes } });
      w.on('message', (msg) => {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        this.idle.push(w);
        this.pump();
        if (msg.error) p.reject(new Error(msg.error)); else p.resolve(msg);
      });
      w.on('error', (e) => { for (const p of this.pending.values()) p.reject(e); });
      this.workers.push(w);
      this.idle.push(w);
    }
  }
  run(spec, inputs) {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.queue.push({ id, spec, inputs });
      this.pump();
    });
  }
  pump() {
    while (this.idle.length && this.queue.length) this.idle.shift().postMessage(this.queue.shift());
  }
  /** Evaluate one configuration on all inputs, splitting the photos across workers. */
  async evaluate(spec, inputs) {
    const n = this.workers.length;
    const parts = [];
    for (let k = 0; k < n; k++) parts.push(inputs.map((x, i) => [i, x]).filter(([i]) => i % n === k));
    const results = await Promise.all(parts.filter((p) => p.length).map((p) => this.run(spec, p.map(([, x]) => x)).then((r) => ({ p, r }))));
    const outputs = new Array(inputs.length);
    let modelBytes = 0;
    for (const { p, r } of results) { p.forEach(([i], j) => { outputs[i] = r.outputs[j]; }); modelBytes = r.modelBytes; }
    return { outputs, modelBytes };
  }
  close() { for (const w of this.workers) w.terminate(); }
}

const round = (x, d = 5) => Number(x.toFixed(d));

function compare(ref, outs, names) {
  const perPhoto = {};
  let minIoU = 1; let sumIoU = 0; let sumMad = 0;
  names.forEach((name, i) => {
    const v = iou(ref[i], outs[i]); const d = meanAbsDiff(ref[i], outs[i]);
    perPhoto[name] = { iou: round(v), mad: round(d, 6) };
    minIoU = Math.min(minIoU, v); sumIoU += v; sumMad += d;
  });
  return { perPhoto, minIoU: round(minIoU), meanIoU: round(sumIoU / names.length), meanMad: round(sumMad / names.length, 6) };
}

async function main(argv) {
  const opt = { out: 'models/u2netp-float-layers.json', target: 0.985, workers: 2, photos: undefined, fromScan: null };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--out') opt.out = v;
    else if (k === '--target') opt.target = Number(v);
    else if (k === '--workers') opt.workers = Number(v);
    else if (k === '--photos') opt.photos = v;
    else if (k === '--from-scan') opt.fromScan = v;
    else { console.error(`unknown option ${k}`); process.exit(2); }
  }
  const { decodeImage, toInputTensor, listPhotos } = await import('./images.js');
  const src = SOURCES.u2netp;
  const modelPath = upstreamFile(src);
  const modelBytes = readFileSync(modelPath);
  const model = decodeModel(modelBytes, modelPath);
  const layers = convLayers(model);
  const photos = listPhotos(opt.photos);
  const names = photos.map((p) => basename(p));
  const t0 = Date.now();
  const log = (msg) => console.log(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(5)} s] ${msg}`);
  log(`${layers.length} Conv layers, ${photos.length} photos, ${opt.workers} workers`);
  const inputs = photos.map((p) => toInputTensor(decodeImage(p), U2NETP_INPUT.size, U2NETP_INPUT.size, U2NETP_INPUT.norm));

  const pool = new Pool(opt.workers, modelBytes.buffer.slice(modelBytes.byteOffset, modelBytes.byteOffset + modelBytes.byteLength));
  try {
    const ref = (await pool.evaluate({ kind: 'fp32' }, inputs)).outputs;
    log(`fp32 done; foreground coverage ${names.map((n, i) => `${n} ${coverage(ref[i]).toFixed(3)}`).join(', ')}`);

    // Per-layer scan (or reuse a previous one).
    let scan;
    if (opt.fromScan) {
      scan = JSON.parse(readFileSync(opt.fromScan, 'utf8')).scan;
      log(`per-layer scan read from ${opt.fromScan}`);
    } else {
      let done = 0;
      scan = await Promise.all(layers.map(async (l) => {
        const { outputs } = await pool.run({ kind: 'only', layers: [l.node] }, inputs);
        const c = compare(ref, outputs, names);
        done++;
        log(`${String(done).padStart(3)}/${layers.length} ${l.node.padEnd(10)} [${l.dims}] alone: min IoU ${c.minIoU.toFixed(4)}, mean MAD ${c.meanMad.toExponential(2)}`);
        return { node: l.node, weight: l.weight, shape: l.dims, min_iou: c.minIoU, mean_iou: c.meanIoU, mean_mad: c.meanMad };
      }));
    }
    const ranked = [...scan].sort((a, b) => a.min_iou - b.min_iou || b.mean_mad - a.mean_mad || a.node.localeCompare(b.node));

    // Greedy selection.
    const floatSet = [];
    const steps = [];
    let result;
    for (;;) {
      const { outputs, modelBytes: size } = await pool.evaluate({ kind: 'allExcept', layers: floatSet }, inputs);
      result = compare(ref, outputs, names);
      steps.push({ float_layers: floatSet.length, last_added: floatSet.at(-1) ?? null, min_iou: result.minIoU, mean_mad: result.meanMad, bytes: size });
      result.bytes = size;
      log(`float {${floatSet.join(', ')}}: min IoU ${result.minIoU.toFixed(4)}, mean MAD ${result.meanMad.toExponential(2)}, ${size} bytes`);
      if (result.minIoU >= opt.target) break;
      const next = ranked.find((r) => !floatSet.includes(r.node));
      if (!next) throw new Error('every layer is float and the target is still not met');
      floatSet.push(next.node);
    }

    const byNode = new Map(scan.map((s) => [s.node, s]));
    const outJson = {
      description: 'U2-Net-p Conv layers that keep float32 weights in the int8 build (models/tools/quantize-u2netp.js). Written by models/tools/sensitivity-scan.js; the numbers are IoU@0.5 and mean absolute difference of the saliency map against the fp32 model.',
      source: { ...src, sha256: createHash('sha256').update(modelBytes).digest('hex') },
      method: 'weight-only int8, symmetric per output channel, scale = max|w|/127',
      input: { size: U2NETP_INPUT.size, normalization: U2NETP_INPUT.norm, resize: 'bilinear (models/tools/images.js)' },
      photos: names,
      target_min_iou: opt.target,
      float_layers: floatSet.map((node) => ({ node, weight: byNode.get(node).weight, shape: byNode.get(node).shape, alone_min_iou: byNode.get(node).min_iou, alone_mean_mad: byNode.get(node).mean_mad })),
      result: { min_iou: result.minIoU, mean_iou: result.meanIoU, mean_mad: result.meanMad, bytes: result.bytes, per_photo: result.perPhoto },
      selection_steps: steps,
      scan: ranked,
    };
    writeFileSync(opt.out, `${JSON.stringify(outJson, null, 1)}\n`);
    log(`wrote ${relative(REPO_ROOT, opt.out) || opt.out}: float layers ${floatSet.join(', ')}`);
  } finally {
    pool.close();
  }
}

if (!isMainThread) {
  workerMain();
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((e) => { console.error(e.stack ?? e.message); process.exit(1); });
}
