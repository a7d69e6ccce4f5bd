#!/usr/bin/env node
// Maintainer command: plan the int8 quantisation of U2-Net-p.
//
//   node models/tools/sensitivity-scan.js [--out models/u2netp-float-layers.json]
//        [--target 0.985] [--max-bytes 1480000] [--workers 2] [--photos DIR] [--from-scan FILE]
//
// 1. Calibration: per-channel means of every Conv input in the fp32 model over 12
//    synthetic images (models/tools/synthetic-images.js); they drive the bias correction.
// 2. Runs the fp32 model on every test photo (320x320, ImageNet normalisation).
// 3. Per-layer scan: quantises ONLY one Conv layer at a time (exactly as the build
//    does) and measures IoU@0.5 and the mean absolute difference of the saliency
//    map against fp32 on every photo.
// 4. Selection: from "everything int8", tries keeping layers float in order of
//    sensitivity (lowest worst-photo IoU alone, then largest mean difference); a
//    layer is kept float only if it raises the worst-photo IoU of the whole model
//    and the file stays under --max-bytes. Stops at --target.
// Writes the plan (float layers, calibration means) and every measured number to
// the output file, which is committed; the everyday build only reads it.
// Takes about 25 minutes on 2 cores.

import { readFileSync, writeFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { DataType, decodeModel, encodeModel, numElements } from './onnx-proto.js';
import { convLayers, quantizeConvWeights, U2NETP_QUANTIZATION } from './quantize-u2netp.js';
import { SOURCES, upstreamFile, REPO_ROOT } from './upstream.js';
import { iou, meanAbsDiff, coverage } from './metrics.js';
import { syntheticInputs } from './synthetic-images.js';
import { formatJson } from './json-format.js';

export const U2NETP_INPUT = Object.freeze({ size: 320, norm: Object.freeze({ mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }) });
const CALIBRATION_IMAGES = 12;

/** The model with every Conv input added as a graph output. */
function instrument(model) {
  const names = [...new Set(model.graph.node.filter((n) => n.op_type === 'Conv').map((n) => n.input[0]))];
  const have = new Set(model.graph.output.map((o) => o.name));
  const extra = names.filter((n) => !have.has(n)).map((name) => ({ name, type: { tensor_type: { elem_type: DataType.FLOAT } } }));
  return { model: { ...model, graph: { ...model.graph, output: [...model.graph.output, ...extra] } }, names };
}

// ---------------------------------------------------------------------------
// Worker: evaluates one model configuration on a set of prepared inputs.
async function workerMain() {
  const { createSession, runSingle, ort } = await import('./ort.js');
  const model = decodeModel(new Uint8Array(workerData.modelBytes), 'u2netp.onnx');
  const { size } = U2NETP_INPUT;
  parentPort.on('message', async (task) => {
    try {
      if (task.spec.kind === 'calibrate') {
        // Sum over the given inputs of each Conv input's per-channel spatial mean.
        const { model: inst, names } = instrument(model);
        const session = await createSession(encodeModel(inst));
        const sums = {};
        for (const input of task.inputs) {
          const r = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, size, size]) }, names);
          for (const name of names) {
            const t = r[name]; const [, c, h, w] = t.dims;
            const acc = sums[name] ??= new Float64Array(c);
            for (let ch = 0; ch < c; ch++) {
              let s = 0;
              for (let i = ch * h * w; i < (ch + 1) * h * w; i++) s += t.data[i];
              acc[ch] += s / (h * w);
            }
          }
        }
        await session.release();
        parentPort.postMessage({ id: task.id, sums });
        return;
      }
      let bytes;
      if (task.spec.kind === 'fp32') bytes = new Uint8Array(workerData.modelBytes);
      else {
        const set = new Set(task.spec.layers);
        const pick = task.spec.kind === 'only' ? (l) => set.has(l.node) : (l) => !set.has(l.node);
        bytes = encodeModel(quantizeConvWeights(model, pick, { ...U2NETP_QUANTIZATION, inputMeans: task.spec.inputMeans }));
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
  /** Split the inputs across the workers: [[indices, promise]]. */
  split(spec, inputs) {
    const n = this.workers.length;
    const parts = [];
    for (let k = 0; k < n; k++) {
      const idx = inputs.map((_, i) => i).filter((i) => i % n === k);
      if (idx.length) parts.push([idx, this.run(spec, idx.map((i) => inputs[i]))]);
    }
    return parts;
  }
  /** Evaluate one configuration on all inputs. */
  async evaluate(spec, inputs) {
    const outputs = new Array(inputs.length);
    let modelBytes = 0;
    for (const [idx, p] of this.split(spec, inputs)) {
      const r = await p;
      idx.forEach((i, j) => { outputs[i] = r.outputs[j]; });
      modelBytes = r.modelBytes;
    }
    return { outputs, modelBytes };
  }
  /** Per-channel means of every Conv input (keyed by Conv node name). */
  async calibrate(model, inputs) {
    const total = {};
    for (const [, p] of this.split({ kind: 'calibrate' }, inputs)) {
      const { sums } = await p;
      for (const [k, v] of Object.entries(sums)) {
        const acc = total[k] ??= new Float64Array(v.length);
        for (let i = 0; i < v.length; i++) acc[i] += v[i];
      }
    }
    const means = {};
    for (const n of model.graph.node.filter((x) => x.op_type === 'Conv')) {
      means[n.name] = Array.from(total[n.input[0]], (v) => Number((v / inputs.length).toPrecision(5)));
    }
    return means;
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
  const opt = { out: 'models/u2netp-float-layers.json', target: 0.985, maxBytes: 1_480_000, workers: 2, photos: undefined, fromScan: null, maxTrials: 40 };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--out') opt.out = v;
    else if (k === '--target') opt.target = Number(v);
    else if (k === '--max-bytes') opt.maxBytes = Number(v);
    else if (k === '--workers') opt.workers = Number(v);
    else if (k === '--photos') opt.photos = v;
    else if (k === '--from-scan') opt.fromScan = v;
    else if (k === '--max-trials') opt.maxTrials = Number(v);
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
  const { size, norm } = U2NETP_INPUT;
  const t0 = Date.now();
  const log = (msg) => console.log(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(5)} s] ${msg}`);
  log(`${layers.length} Conv layers, ${photos.length} photos, ${opt.workers} workers`);
  const inputs = photos.map((p) => toInputTensor(decodeImage(p), size, size, norm));

  const pool = new Pool(opt.workers, modelBytes.buffer.slice(modelBytes.byteOffset, modelBytes.byteOffset + modelBytes.byteLength));
  try {
    const inputMeans = await pool.calibrate(model, syntheticInputs(CALIBRATION_IMAGES, size, size, norm));
    log(`calibration means from ${CALIBRATION_IMAGES} synthetic images`);
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
        const { outputs } = await pool.run({ kind: 'only', layers: [l.node], inputMeans }, inputs);
        const c = compare(ref, outputs, names);
        done++;
        log(`${String(done).padStart(3)}/${layers.length} ${l.node.padEnd(10)} [${l.dims}] alone: min IoU ${c.minIoU.toFixed(4)}, mean MAD ${c.meanMad.toExponential(2)}`);
        return { node: l.node, weight: l.weight, shape: l.dims, min_iou: c.minIoU, mean_iou: c.meanIoU, mean_mad: c.meanMad };
      }));
    }
    const ranked = [...scan].sort((a, b) => a.min_iou - b.min_iou || b.mean_mad - a.mean_mad || a.node.localeCompare(b.node));

    // Selection: keep a candidate float only if it helps the worst photo.
    const floatSet = [];
    const steps = [];
    const evalSet = async (set) => {
      const { outputs, modelBytes: bytes } = await pool.evaluate({ kind: 'allExcept', layers: set, inputMeans }, inputs);
      return { ...compare(ref, outputs, names), bytes };
    };
    let current = await evalSet(floatSet);
    steps.push({ tried: null, kept: null, min_iou: current.minIoU, mean_mad: current.meanMad, bytes: current.bytes });
    log(`all int8: min IoU ${current.minIoU.toFixed(4)}, mean MAD ${current.meanMad.toExponential(2)}, ${current.bytes} bytes`);
    const floatCost = (node) => 3 * numElements(ranked.find((r) => r.node === node).shape);
    let trials = 0;
    for (const cand of ranked) {
      if (current.minIoU >= opt.target || trials >= opt.maxTrials) break;
      if (current.bytes + floatCost(cand.node) > opt.maxBytes) continue;
      trials++;
      const trial = await evalSet([...floatSet, cand.node]);
      const keep = trial.minIoU > current.minIoU && trial.bytes <= opt.maxBytes;
      steps.push({ tried: cand.node, kept: keep, min_iou: trial.minIoU, mean_mad: trial.meanMad, bytes: trial.bytes });
      log(`${keep ? 'keep ' : 'skip '} ${cand.node.padEnd(10)} float: min IoU ${trial.minIoU.toFixed(4)}, mean MAD ${trial.meanMad.toExponential(2)}, ${trial.bytes} bytes`);
      if (keep) { floatSet.push(cand.node); current = trial; }
    }
    const met = current.minIoU >= opt.target;
    log(`${met ? 'target met' : 'TARGET NOT MET'}: float {${floatSet.join(', ')}}, min IoU ${current.minIoU.toFixed(4)}, ${current.bytes} bytes`);

    const byNode = new Map(scan.map((s) => [s.node, s]));
    const outJson = {
      description: 'Quantisation plan of the subject model (U2-Net-p, int8 weights): the Conv layers that keep float32 weights and the calibration means used for bias correction. Written by models/tools/sensitivity-scan.js, read by models/build.js. IoU is IoU@0.5 and MAD the mean absolute difference of the saliency map, both against the fp32 model.',
      source: { ...src, sha256: createHash('sha256').update(modelBytes).digest('hex') },
      method: `weight-only int8, symmetric per output channel, ${U2NETP_QUANTIZATION.rounding} rounding, bias correction (models/tools/quantize-u2netp.js)`,
      input: { size, normalization: norm, resize: 'bilinear (models/tools/images.js)' },
      photos: names,
      target_min_iou: opt.target,
      target_met: met,
      float_layers: floatSet.map((node) => ({ node, weight: byNode.get(node).weight, shape: byNode.get(node).shape, alone_min_iou: byNode.get(node).min_iou, alone_mean_mad: byNode.get(node).mean_mad })),
      result: { min_iou: current.minIoU, mean_iou: current.meanIoU, mean_mad: current.meanMad, bytes: current.bytes, per_photo: current.perPhoto },
      selection_steps: steps,
      scan: ranked,
      bias_correction: {
        calibration: `per-channel mean of each Conv input in the fp32 model over ${CALIBRATION_IMAGES} synthetic images (models/tools/synthetic-images.js, seeds 1000..${1000 + CALIBRATION_IMAGES - 1}), 5 significant digits`,
        input_means: inputMeans,
      },
    };
    writeFileSync(opt.out, formatJson(outJson));
    log(`wrote ${relative(REPO_ROOT, opt.out) || opt.out}`);
  } finally {
    pool.close();
  }
}

if (!isMainThread) {
  workerMain();
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((e) => { console.error(e.stack ?? e.message); process.exit(1); });
}
