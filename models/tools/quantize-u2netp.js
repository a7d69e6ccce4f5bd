#!/usr/bin/env node
// Weight-only int8 quantisation of U2-Net-p (or any ONNX model built from Conv layers).
//
//   node models/tools/quantize-u2netp.js IN.onnx OUT.onnx [--plan models/u2netp-float-layers.json]
//
// Every Conv whose weight is a float initializer gets its weight stored as int8
// with one symmetric scale per output channel (zero point 0), followed by a
// DequantizeLinear(axis=0) node feeding the Conv. Activations stay float32, so
// the arithmetic is unchanged apart from the rounding of the weights, which is
// made as harmless as possible without any data:
//   - kernel-sum rounding: each 3x3 kernel's integer sum is the nearest integer
//     to its real sum (largest-remainder rounding), so a kernel's response to a
//     flat input is preserved;
//   - bias correction: the remaining shift of each output channel for the mean
//     input (per-channel input means measured by sensitivity-scan.js on
//     synthetic images and committed in the plan file) is subtracted from the
//     float bias.
// Layers listed as float in the plan keep their float32 weights.
//
// Per-axis DequantizeLinear needs opset 13; the upstream model is opset 11, so
// the graph is first upgraded (the only op in it whose signature changed
// between 11 and 13 is Unsqueeze, whose `axes` moved from attribute to input).

import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { halveInitializers } from './half.js';
import {
  DataType, decodeModel, encodeModel, getAttr, makeNode, makeTensor, numElements, tensorValues,
} from './onnx-proto.js';

const OPSET = 13;
// Ops present in U2-Net-p whose opset-11 form is still valid at opset 13.
const SAME_IN_13 = new Set(['Add', 'Cast', 'Concat', 'Constant', 'Conv', 'Gather', 'MaxPool', 'Relu', 'Resize',
  'Shape', 'Sigmoid', 'Slice', 'DequantizeLinear']);

/** Return a copy of `model` at opset 13 (default domain). Throws on ops it does not know how to upgrade. */
export function upgradeToOpset13(model) {
  const def = model.opset_import.find((o) => !o.domain);
  if (!def) throw new Error('model has no default-domain opset');
  if (def.version >= OPSET) return model;
  if (def.version < 11) throw new Error(`opset ${def.version} is too old to upgrade here (need 11 or 12)`);
  const g = model.graph;
  const initializer = [...g.initializer];
  const node = g.node.map((n) => {
    if (n.op_type === 'Unsqueeze') {
      const axes = getAttr(n, 'axes');
      if (!axes) throw new Error(`Unsqueeze ${n.name} has no axes attribute`);
      const axesName = `${n.name || n.output[0]}_axes`;
      initializer.push(makeTensor(axesName, DataType.INT64, [axes.length], axes));
      return { ...n, input: [...n.input, axesName], attribute: (n.attribute ?? []).filter((a) => a.name !== 'axes') };
    }
    if (!SAME_IN_13.has(n.op_type)) throw new Error(`cannot upgrade ${n.op_type} (${n.name}) from opset ${def.version} to ${OPSET}`);
    return n;
  });
  return {
    ...model,
    ir_version: Math.max(model.ir_version, 7),
    opset_import: model.opset_import.map((o) => (o.domain ? o : { ...o, version: OPSET })),
    graph: { ...g, node, initializer },
  };
}

/** The Conv layers whose weights are float initializers: [{node, weight, dims, index}]. */
export function convLayers(model) {
  const inits = new Map(model.graph.initializer.map((t) => [t.name, t]));
  const out = [];
  model.graph.node.forEach((n, index) => {
    if (n.op_type !== 'Conv') return;
    const w = inits.get(n.input[1]);
    if (!w || w.data_type !== DataType.FLOAT) return;
    out.push({ node: n.name || n.output[0], weight: w.name, dims: [...w.dims], index });
  });
  return out;
}

/**
 * Symmetric per-output-channel int8 quantisation of a weight tensor [O, I, kh, kw]:
 * scale_o = max|w_o| / 127 (float32), q in [-127, 127].
 * rounding 'nearest': q = round(w / scale).
 * rounding 'kernel-sum': nearest, then in each kernel (one output and one input channel)
 *   the taps that were rounded furthest the wrong way move one step until the kernel's
 *   integer sum is the nearest integer to its real sum.
 */
export function quantizePerChannel(values, dims, rounding = 'nearest') {
  const o = dims[0];
  const per = values.length / o;
  const kernel = numElements(dims.slice(2));
  const q = new Int8Array(values.length);
  const scales = new Float32Array(o);
  for (let c = 0; c < o; c++) {
    const lo = c * per; const hi = lo + per;
    let maxAbs = 0;
    for (let i = lo; i < hi; i++) maxAbs = Math.max(maxAbs, Math.abs(values[i]));
    const s = maxAbs > 0 ? Math.fround(maxAbs / 127) : 1;
    scales[c] = s;
    for (let i = lo; i < hi; i++) q[i] = Math.max(-127, Math.min(127, Math.round(values[i] / s)));
    if (rounding === 'kernel-sum') preserveKernelSums(values, q, s, lo, hi, kernel);
    else if (rounding !== 'nearest') throw new Error(`unknown rounding ${rounding}`);
  }
  return { q, scales };
}

function preserveKernelSums(values, q, s, lo, hi, kernel) {
  if (kernel < 2) return;
  for (let k0 = lo; k0 < hi; k0 += kernel) {
    let real = 0; let sum = 0;
    for (let i = k0; i < k0 + kernel; i++) { real += values[i] / s; sum += q[i]; }
    let d = Math.round(real) - sum;
    while (d !== 0) {
      const dir = Math.sign(d);
      let best = -1; let bestGain = -Infinity;
      for (let i = k0; i < k0 + kernel; i++) {
        const next = q[i] + dir;
        if (next > 127 || next < -127) continue;
        const gain = dir * (values[i] / s - q[i]);   // how far this tap was rounded against dir
        if (gain > bestGain) { bestGain = gain; best = i; }
      }
      if (best < 0) break;
      q[best] += dir;
      d -= dir;
    }
  }
}

/**
 * Quantise the Conv weights of `model` (opset is upgraded as needed).
 * @param {object} model  decoded fp32 model (not modified)
 * @param {(layer:{node:string, weight:string, dims:number[]}) => boolean} shouldQuantize
 * @param {{rounding?:'nearest'|'kernel-sum', inputMeans?:Object<string, number[]>, metadata?:object}} opts
 *   inputMeans: per Conv node, the mean of each input channel; enables bias correction.
 */
export function quantizeConvWeights(model, shouldQuantize, opts = {}) {
  const up = upgradeToOpset13(model);
  const g = up.graph;
  const layers = convLayers(up).filter((l) => shouldQuantize(l));
  const byWeight = new Map(layers.map((l) => [l.weight, l]));
  const convByWeight = new Map();
  for (const n of g.node) {
    if (n.op_type !== 'Conv' || !byWeight.has(n.input[1])) continue;
    if (convByWeight.has(n.input[1]) || (n.name || n.output[0]) !== byWeight.get(n.input[1]).node) {
      throw new Error(`weight ${n.input[1]} is shared by several Conv nodes; not supported`);
    }
    if ((getAttr(n, 'group', 1)) !== 1 && opts.inputMeans) throw new Error(`${n.name}: bias correction needs group=1`);
    convByWeight.set(n.input[1], n);
  }
  // Bias correction: with input channel means mu_i, rounding shifts output channel o by
  // sum_i mu_i sum_k (s_o q_oik - w_oik); that amount is subtracted from the bias.
  const biasFix = new Map();   // bias initializer name -> Float64Array of corrections
  const initializer = [];
  for (const t of g.initializer) {
    const l = byWeight.get(t.name);
    if (!l) { initializer.push(t); continue; }
    const w = tensorValues(t);
    const [o, i] = t.dims;
    const kernel = w.length / (o * i);
    const { q, scales } = quantizePerChannel(w, t.dims, opts.rounding);
    initializer.push(makeTensor(`${t.name}_int8`, DataType.INT8, t.dims, q));
    initializer.push(makeTensor(`${t.name}_scale`, DataType.FLOAT, [o], scales));
    initializer.push(makeTensor(`${t.name}_zero_point`, DataType.INT8, [o], new Int8Array(o)));
    const mu = opts.inputMeans?.[l.node];
    const biasName = convByWeight.get(t.name).input[2];
    if (mu && biasName) {
      if (mu.length !== i) throw new Error(`${l.node}: ${mu.length} input means for ${i} input channels`);
      const fix = new Float64Array(o);
      for (let a = 0; a < o; a++) {
        for (let c = 0; c < i; c++) {
          let e = 0;
          for (let k = 0; k < kernel; k++) { const idx = (a * i + c) * kernel + k; e += Math.fround(scales[a] * q[idx]) - w[idx]; }
          fix[a] += mu[c] * e;
        }
      }
      biasFix.set(biasName, fix);
    }
  }
  for (let k = 0; k < initializer.length; k++) {
    const fix = biasFix.get(initializer[k].name);
    if (!fix) continue;
    const b = tensorValues(initializer[k]);
    initializer[k] = makeTensor(initializer[k].name, DataType.FLOAT, initializer[k].dims, b.map((v, j) => v - fix[j]));
  }
  const node = [];
  for (const n of g.node) {
    if (n.op_type === 'Conv' && byWeight.has(n.input[1])) {
      const w = n.input[1];
      const dq = `${w}_dequantized`;
      node.push(makeNode('DequantizeLinear', [`${w}_int8`, `${w}_scale`, `${w}_zero_point`], [dq], `${w}_DequantizeLinear`, { axis: 0 }));
      node.push({ ...n, input: [n.input[0], dq, ...n.input.slice(2)] });
    } else {
      node.push(n);
    }
  }
  const meta = { ...(opts.metadata ?? {}) };
  const metadata_props = [...(up.metadata_props ?? []).filter((p) => !(p.key in meta)),
    ...Object.keys(meta).sort().map((key) => ({ key, value: String(meta[key]) }))];
  const out = { ...up, producer_name: 'defocus-models', producer_version: '1', graph: { ...g, node, initializer } };
  if (metadata_props.length) out.metadata_props = metadata_props;
  else delete out.metadata_props;
  return out;
}

/** Quantisation settings of the shipped subject model (the sensitivity scan uses the same). */
export const U2NETP_QUANTIZATION = Object.freeze({ rounding: 'kernel-sum' });

/**
 * Read the committed quantisation plan written by sensitivity-scan.js:
 * {floatLayers: [node names], inputMeans: {node: [means]} | undefined}.
 */
export function readQuantizationPlan(path) {
  let j;
  try {
    j = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: cannot read the quantisation plan (${e.message})`);
  }
  if (!Array.isArray(j.float_layers)) throw new Error(`${path}: no "float_layers" array`);
  const inputMeans = j.bias_correction?.input_means;
  if (inputMeans !== undefined && (typeof inputMeans !== 'object' || Array.isArray(inputMeans))) throw new Error(`${path}: bias_correction.input_means must be an object`);
  const halfLayers = j.half_layers ?? [];
  if (!Array.isArray(halfLayers)) throw new Error(`${path}: "half_layers" must be an array`);
  return {
    floatLayers: j.float_layers.map((l) => (typeof l === 'string' ? l : l.node)),
    halfLayers: halfLayers.map((l) => (typeof l === 'string' ? l : l.node)),
    inputMeans,
  };
}

/**
 * The everyday quantisation: all Conv layers int8 except plan.floatLayers, bias-corrected
 * with plan.inputMeans; of those, plan.halfLayers store fp16 weights (half.js), the rest float32.
 */
export function quantizeU2netp(model, plan, opts = {}) {
  const half = new Set(plan.halfLayers ?? []);
  const keep = new Set([...plan.floatLayers, ...half]);
  const layers = convLayers(model);
  const known = new Set(layers.map((l) => l.node));
  for (const name of keep) if (!known.has(name)) throw new Error(`float or fp16 layer ${name} is not a Conv layer of this model`);
  const q = quantizeConvWeights(model, (l) => !keep.has(l.node), {
    ...U2NETP_QUANTIZATION,
    inputMeans: plan.inputMeans,
    metadata: {
      'defocus.quantization': `weight-only int8, symmetric per output channel (DequantizeLinear axis=0), ${U2NETP_QUANTIZATION.rounding} rounding${plan.inputMeans ? ', bias correction' : ''}; activations float32`,
      'defocus.float_layers': plan.floatLayers.filter((n) => !half.has(n)).sort().join(',') || '(none)',
      ...(half.size ? { 'defocus.fp16_layers': [...half].sort().join(',') } : {}),
      ...(opts.metadata ?? {}),
    },
  });
  return half.size ? halveInitializers(q, layers.filter((l) => half.has(l.node)).map((l) => l.weight)) : q;
}

async function main(argv) {
  const args = [...argv];
  let planFile = null;
  const i = args.indexOf('--plan');
  if (i >= 0) { planFile = args[i + 1]; args.splice(i, 2); }
  if (args.length !== 2) {
    console.error('usage: node models/tools/quantize-u2netp.js IN.onnx OUT.onnx [--plan models/u2netp-float-layers.json]');
    process.exit(2);
  }
  const [inPath, outPath] = args;
  const model = decodeModel(readFileSync(inPath), inPath);
  const plan = planFile ? readQuantizationPlan(planFile) : { floatLayers: [], halfLayers: [] };
  const bytes = encodeModel(quantizeU2netp(model, plan));
  writeFileSync(outPath, bytes);
  const n = convLayers(model).length;
  const half = new Set(plan.halfLayers);
  const float = plan.floatLayers.filter((l) => !half.has(l));
  console.log(`${outPath}: ${n - float.length - half.size}/${n} Conv layers int8, float32: ${float.join(', ') || 'none'}, fp16: ${[...half].join(', ') || 'none'}${plan.inputMeans ? ', bias-corrected' : ''}; ${bytes.length} bytes`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((e) => { console.error(e.message); process.exit(1); });
}
