#!/usr/bin/env node
// Weight-only int8 quantisation of U2-Net-p (or any ONNX model built from Conv layers).
//
//   node models/tools/quantize-u2netp.js IN.onnx OUT.onnx [--float-layers models/u2netp-float-layers.json]
//
// Every Conv whose weight is a float initializer gets its weight stored as int8
// with one symmetric scale per output channel (zero point 0), followed by a
// DequantizeLinear(axis=0) node feeding the Conv. Biases, activations and all
// other tensors stay float32, so the arithmetic is unchanged apart from the
// rounding of the weights. Layers listed in the float-layers file (chosen by
// sensitivity-scan.js) keep their float weights.
//
// Per-axis DequantizeLinear needs opset 13; the upstream model is opset 11, so
// the graph is first upgraded (the only op in it whose signature changed
// between 11 and 13 is Unsqueeze, whose `axes` moved from attribute to input).

import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
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
 * Symmetric per-output-channel int8 quantisation of a weight tensor [O, ...]:
 * q = round(w / scale) clamped to [-127, 127], one float32 scale per output channel.
 * method 'maxabs': scale = max|w| / 127 (no clipping).
 * method 'mse':    scale = r * max|w| / 127 with r in {1.00, 0.99, ..., 0.50} chosen to
 *                  minimise the channel's squared rounding + clipping error.
 */
export function quantizePerChannel(values, dims, method = 'maxabs') {
  const o = dims[0];
  const per = values.length / o;
  const q = new Int8Array(values.length);
  const scales = new Float32Array(o);
  const quant = (v, s) => Math.max(-127, Math.min(127, Math.round(v / s)));
  for (let c = 0; c < o; c++) {
    const lo = c * per; const hi = lo + per;
    let maxAbs = 0;
    for (let i = lo; i < hi; i++) maxAbs = Math.max(maxAbs, Math.abs(values[i]));
    let s = maxAbs > 0 ? Math.fround(maxAbs / 127) : 1;
    if (method === 'mse' && maxAbs > 0) {
      let best = Infinity;
      for (let k = 0; k <= 50; k++) {
        const cand = Math.fround((maxAbs * (100 - k)) / 100 / 127);
        let err = 0;
        for (let i = lo; i < hi; i++) { const r = quant(values[i], cand) * cand - values[i]; err += r * r; }
        if (err < best) { best = err; s = cand; }
      }
    } else if (method !== 'maxabs' && method !== 'mse') {
      throw new Error(`unknown quantisation method ${method}`);
    }
    scales[c] = s;
    for (let i = lo; i < hi; i++) q[i] = quant(values[i], s);
  }
  return { q, scales };
}

/**
 * Quantise the Conv weights of `model` (opset is upgraded as needed).
 * @param {object} model  decoded fp32 model (not modified)
 * @param {(layer:{node:string, weight:string, dims:number[]}) => boolean} shouldQuantize
 * @param {{metadata?:object, method?:'maxabs'|'mse'}} opts
 */
export function quantizeConvWeights(model, shouldQuantize, opts = {}) {
  const up = upgradeToOpset13(model);
  const g = up.graph;
  const layers = convLayers(up).filter((l) => shouldQuantize(l));
  const byWeight = new Map(layers.map((l) => [l.weight, l]));
  const inits = new Map(g.initializer.map((t) => [t.name, t]));
  // A weight shared by a quantised and a kept layer would be ambiguous: refuse.
  for (const n of g.node) {
    if (n.op_type === 'Conv' && byWeight.has(n.input[1]) && !layers.some((l) => l.node === (n.name || n.output[0]))) {
      throw new Error(`weight ${n.input[1]} is shared with a layer that stays float`);
    }
  }
  const initializer = [];
  for (const t of g.initializer) {
    const l = byWeight.get(t.name);
    if (!l) { initializer.push(t); continue; }
    const { q, scales } = quantizePerChannel(tensorValues(t), t.dims, opts.method ?? 'maxabs');
    initializer.push(makeTensor(`${t.name}_int8`, DataType.INT8, t.dims, q));
    initializer.push(makeTensor(`${t.name}_scale`, DataType.FLOAT, [t.dims[0]], scales));
    initializer.push(makeTensor(`${t.name}_zero_point`, DataType.INT8, [t.dims[0]], new Int8Array(t.dims[0])));
  }
  const node = [];
  const done = new Set();
  for (const n of g.node) {
    if (n.op_type === 'Conv' && byWeight.has(n.input[1])) {
      const w = n.input[1];
      const dq = `${w}_dequantized`;
      if (!done.has(w)) {
        node.push(makeNode('DequantizeLinear', [`${w}_int8`, `${w}_scale`, `${w}_zero_point`], [dq], `${w}_DequantizeLinear`, { axis: 0 }));
        done.add(w);
      }
      node.push({ ...n, input: [n.input[0], dq, ...n.input.slice(2)] });
    } else {
      node.push(n);
    }
  }
  if (!inits.size) throw new Error('model has no initializers');
  const meta = { ...(opts.metadata ?? {}) };
  const metadata_props = [...(up.metadata_props ?? []).filter((p) => !(p.key in meta)),
    ...Object.keys(meta).sort().map((key) => ({ key, value: String(meta[key]) }))];
  const out = {
    ...up,
    producer_name: 'defocus-models',
    producer_version: '1',
    graph: { ...g, node, initializer },
  };
  if (metadata_props.length) out.metadata_props = metadata_props;
  else delete out.metadata_props;
  return out;
}

/** Read the committed float-layers file: returns the list of Conv node names kept float. */
export function readFloatLayers(path) {
  const j = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(j.float_layers)) throw new Error(`${path}: no "float_layers" array`);
  return j.float_layers.map((l) => (typeof l === 'string' ? l : l.node));
}

/** The everyday quantisation: all Conv layers int8 except `floatLayers` (node names). */
export function quantizeU2netp(model, floatLayers, opts = {}) {
  const keep = new Set(floatLayers);
  const known = new Set(convLayers(model).map((l) => l.node));
  for (const name of keep) if (!known.has(name)) throw new Error(`float layer ${name} is not a Conv layer of this model`);
  return quantizeConvWeights(model, (l) => !keep.has(l.node), {
    metadata: {
      'defocus.quantization': 'weight-only int8, symmetric per output channel (DequantizeLinear axis=0); biases and activations float32',
      'defocus.float_layers': [...keep].sort().join(',') || '(none)',
      ...(opts.metadata ?? {}),
    },
  });
}

async function main(argv) {
  const args = [...argv];
  let floatFile = null;
  const i = args.indexOf('--float-layers');
  if (i >= 0) { floatFile = args[i + 1]; args.splice(i, 2); }
  if (args.length !== 2) {
    console.error('usage: node models/tools/quantize-u2netp.js IN.onnx OUT.onnx [--float-layers FILE.json]');
    process.exit(2);
  }
  const [inPath, outPath] = args;
  const model = decodeModel(readFileSync(inPath), inPath);
  const floatLayers = floatFile ? readFloatLayers(floatFile) : [];
  const q = quantizeU2netp(model, floatLayers);
  const bytes = encodeModel(q);
  writeFileSync(outPath, bytes);
  const n = convLayers(model).length;
  console.log(`${outPath}: ${n - floatLayers.length}/${n} Conv layers int8, float: ${floatLayers.join(', ') || 'none'}; ${bytes.length} bytes`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((e) => { console.error(e.message); process.exit(1); });
}
export { numElements };
