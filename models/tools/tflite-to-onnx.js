#!/usr/bin/env node
// Convert a MediaPipe selfie-segmentation .tflite model into ONNX.
//
//   node models/tools/tflite-to-onnx.js IN.tflite OUT.onnx
//
// TFLite keeps activations in NHWC; the ONNX graph written here is NCHW
// throughout (input [1,3,H,W], output [1,C,H,W]), which is what ONNX's Conv
// family expects, so no Transpose nodes are needed: weights are re-laid out
// at conversion time instead. fp16 weights behind DEQUANTIZE ops are expanded
// to float32 initializers. Supported operators are exactly those the selfie
// segmenters use (see SUPPORTED below); anything else is a loud error.

import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readTflite, BuiltinOp, TensorType, Activation, Padding } from './tflite-reader.js';
import { DataType, encodeModel, makeModel, makeNode, makeTensor, makeValueInfo } from './onnx-proto.js';

export const SUPPORTED = ['DEQUANTIZE (constant fp16)', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'AVERAGE_POOL_2D', 'MEAN',
  'ADD', 'MUL', 'RELU', 'RELU6', 'LOGISTIC', 'HARD_SWISH', 'RESIZE_BILINEAR', 'Convolution2DTransposeBias (custom)'];

/** IEEE 754 binary16 -> number (exact). */
export function halfToFloat(h) {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Decode a constant tensor's buffer into a typed array. */
function constValues(t, fileName) {
  const d = t.data;
  const dv = new DataView(d.buffer, d.byteOffset, d.byteLength);
  const n = t.shape.reduce((a, b) => a * b, 1);
  switch (t.type) {
    case TensorType.FLOAT16: {
      if (d.length !== 2 * n) break;
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = halfToFloat(dv.getUint16(2 * i, true));
      return out;
    }
    case TensorType.FLOAT32: {
      if (d.length !== 4 * n) break;
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getFloat32(4 * i, true);
      return out;
    }
    case TensorType.INT32: {
      if (d.length !== 4 * n) break;
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getInt32(4 * i, true);
      return out;
    }
    default:
      throw new Error(`${fileName}: constant tensor ${t.name} has unsupported type ${t.type}`);
  }
  throw new Error(`${fileName}: constant tensor ${t.name}: ${d.length} bytes do not fit shape [${t.shape}]`);
}

/** TFLite SAME padding for one spatial axis: [before, after]. */
export function samePadding(inSize, kernel, stride, dilation = 1) {
  const effective = (kernel - 1) * dilation + 1;
  const outSize = Math.ceil(inSize / stride);
  const total = Math.max((outSize - 1) * stride + effective - inSize, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

// NHWC axis -> NCHW axis.
const NHWC_TO_NCHW_AXIS = [0, 2, 3, 1];

/**
 * Convert TFLite bytes to an ONNX ModelProto object.
 * @param {Uint8Array} bytes
 * @param {{fileName?:string, inputName?:string, outputName?:string, graphName?:string, docString?:string, metadata?:object}} opts
 */
export function convertTflite(bytes, opts = {}) {
  const fileName = opts.fileName ?? '<tflite>';
  const inputName = opts.inputName ?? 'input';
  const outputName = opts.outputName ?? 'output';
  const m = readTflite(bytes, fileName);
  const fail = (msg) => { throw new Error(`${fileName}: ${msg}`); };
  if (m.inputs.length !== 1 || m.outputs.length !== 1) fail(`expected one input and one output, got ${m.inputs.length} and ${m.outputs.length}`);

  const T = m.tensors;
  const consts = new Map();          // tensor index -> typed array (float32 for weights)
  for (const t of T) if (t.data) consts.set(t.index, constValues(t, fileName));

  const nodes = [];
  const initializers = [];
  const usedNames = new Set();
  const unique = (base) => {
    let name = base; let k = 1;
    while (usedNames.has(name)) name = `${base}_${k++}`;
    usedNames.add(name);
    return name;
  };
  const initCache = new Map();
  /** Add an initializer once per (tensor, layout) key and return its name. */
  const addInit = (key, baseName, dataType, dims, values) => {
    if (initCache.has(key)) return initCache.get(key);
    const name = unique(baseName);
    initializers.push(makeTensor(name, dataType, dims, values));
    initCache.set(key, name);
    return name;
  };

  // Activation tensors: TFLite tensor index -> ONNX value name.
  const valueName = new Map();
  const inT = T[m.inputs[0]];
  const outT = T[m.outputs[0]];
  if (inT.shape.length !== 4) fail(`input must be NHWC rank 4, got [${inT.shape}]`);
  valueName.set(inT.index, unique(inputName));
  usedNames.add(outputName);
  const nameFor = (ti) => (ti === outT.index ? outputName : unique(T[ti].name));
  const act = (ti, opIndex) => {
    if (!valueName.has(ti)) fail(`operator ${opIndex} reads tensor ${ti} (${T[ti].name}) before it is produced`);
    return valueName.get(ti);
  };
  const constOf = (ti, opIndex, what) => {
    if (!consts.has(ti)) fail(`operator ${opIndex}: ${what} (tensor ${ti} ${T[ti].name}) must be constant`);
    return consts.get(ti);
  };

  /** Emit the fused activation (if any) after a node whose raw result is `raw`, ending in `out`. */
  const fusedActivation = (fn, raw, out, base, opIndex) => {
    switch (fn) {
      case Activation.NONE: return;
      case Activation.RELU: nodes.push(makeNode('Relu', [raw], [out], `${base}/relu`)); return;
      case Activation.RELU6:
      case Activation.RELU_N1_TO_1: {
        const [lo, hi] = fn === Activation.RELU6 ? [0, 6] : [-1, 1];
        const loName = addInit(`clip:${lo}`, `clip_min_${lo}`, DataType.FLOAT, [], [lo]);
        const hiName = addInit(`clip:${hi}`, `clip_max_${hi}`, DataType.FLOAT, [], [hi]);
        nodes.push(makeNode('Clip', [raw, loName, hiName], [out], `${base}/clip`));
        return;
      }
      case Activation.TANH: nodes.push(makeNode('Tanh', [raw], [out], `${base}/tanh`)); return;
      default: fail(`operator ${opIndex}: unsupported fused activation ${fn}`);
    }
  };
  /** Output naming for an op with a fused activation: [name the op writes, final name]. */
  const outputsFor = (op) => {
    const ti = op.outputs[0];
    const final = nameFor(ti);
    valueName.set(ti, final);
    const fn = op.options.fused_activation_function ?? Activation.NONE;
    return [fn === Activation.NONE ? final : unique(`${T[ti].name}/pre_activation`), final, fn];
  };

  /** Bias initializer (float32 [C]) or null when the op has none. */
  const biasInit = (op, ti, channels) => {
    if (ti === undefined || ti < 0) return null;
    const b = constOf(ti, op.index, 'bias');
    if (b.length !== channels) fail(`operator ${op.index}: bias has ${b.length} values for ${channels} channels`);
    return addInit(`b:${ti}`, T[ti].name.replace(/_dequantize$/, ''), DataType.FLOAT, [channels], b);
  };

  /**
   * Name of an operand of an elementwise op on NCHW activations: activations pass through;
   * constants are re-laid out (NHWC rank 4 -> NCHW, [C] -> [C,1,1]).
   */
  const elementwiseOperand = (op, ti) => {
    if (!consts.has(ti)) return act(ti, op.index);
    const v = consts.get(ti);
    const shape = T[ti].shape;
    if (!(v instanceof Float32Array)) fail(`operator ${op.index}: non-float constant operand`);
    const base = T[ti].name.replace(/_dequantize$/, '');
    if (shape.length === 4) {
      const [n, h, w, c] = shape;
      const out = new Float32Array(v.length);
      for (let in_ = 0; in_ < n; in_++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) {
        out[((in_ * c + ch) * h + y) * w + x] = v[((in_ * h + y) * w + x) * c + ch];
      }
      return addInit(`e4:${ti}`, base, DataType.FLOAT, [n, c, h, w], out);
    }
    if (shape.length === 1 && shape[0] > 1) return addInit(`e1:${ti}`, base, DataType.FLOAT, [shape[0], 1, 1], v);
    return addInit(`e0:${ti}`, base, DataType.FLOAT, shape, v);
  };

  for (const op of m.operators) {
    const base = T[op.outputs[0]].name;
    switch (op.name) {
      case 'DEQUANTIZE': {
        const src = op.inputs[0];
        if (!consts.has(src)) fail(`operator ${op.index}: DEQUANTIZE of a runtime tensor is not supported`);
        if (T[src].type !== TensorType.FLOAT16 && T[src].type !== TensorType.FLOAT32) fail(`operator ${op.index}: DEQUANTIZE from type ${T[src].type} is not supported (only fp16 weights)`);
        consts.set(op.outputs[0], Float32Array.from(consts.get(src)));
        break;
      }
      case 'CONV_2D':
      case 'DEPTHWISE_CONV_2D': {
        const depthwise = op.name === 'DEPTHWISE_CONV_2D';
        const [xi, wi, bi] = op.inputs;
        const [, inH, inW, inC] = T[xi].shape;
        const wShape = T[wi].shape;           // conv: [O, kh, kw, I]; depthwise: [1, kh, kw, I*M]
        const w = constOf(wi, op.index, 'weights');
        const [o, kh, kw, i] = wShape;
        const outC = depthwise ? i : o;
        const wOut = new Float32Array(w.length);
        if (depthwise) {
          // [1, kh, kw, C] -> [C, 1, kh, kw]
          for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let c = 0; c < outC; c++) {
            wOut[(c * kh + y) * kw + x] = w[(y * kw + x) * outC + c];
          }
        } else {
          if (i !== inC) fail(`operator ${op.index}: weights expect ${i} input channels, input has ${inC}`);
          // OHWI -> OIHW
          for (let a = 0; a < o; a++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let c = 0; c < i; c++) {
            wOut[((a * i + c) * kh + y) * kw + x] = w[((a * kh + y) * kw + x) * i + c];
          }
        }
        const wBase = T[wi].name.replace(/_dequantize$/, '');
        const wName = addInit(`w:${wi}`, wBase, DataType.FLOAT, depthwise ? [outC, 1, kh, kw] : [o, i, kh, kw], wOut);
        const bName = biasInit(op, bi, outC);
        const { padding, stride_h: sh, stride_w: sw, dilation_h_factor: dh, dilation_w_factor: dw } = op.options;
        const [pt, pb] = padding === Padding.SAME ? samePadding(inH, kh, sh, dh) : [0, 0];
        const [pl, pr] = padding === Padding.SAME ? samePadding(inW, kw, sw, dw) : [0, 0];
        const [, outH, outW] = T[op.outputs[0]].shape;
        const expH = Math.floor((inH + pt + pb - ((kh - 1) * dh + 1)) / sh) + 1;
        const expW = Math.floor((inW + pl + pr - ((kw - 1) * dw + 1)) / sw) + 1;
        if (expH !== outH || expW !== outW) fail(`operator ${op.index}: computed output ${expH}x${expW}, model says ${outH}x${outW}`);
        const [raw, final, fn] = outputsFor(op);
        const attrs = { kernel_shape: [kh, kw], strides: [sh, sw], pads: [pt, pl, pb, pr], dilations: [dh, dw] };
        if (depthwise) {
          if (outC % inC) fail(`operator ${op.index}: depthwise output channels ${outC} not a multiple of input channels ${inC}`);
          attrs.group = inC;
        }
        nodes.push(makeNode('Conv', [act(xi, op.index), wName, ...(bName ? [bName] : [])], [raw], base, attrs));
        fusedActivation(fn, raw, final, base, op.index);
        break;
      }
      case 'Convolution2DTransposeBias': {
        // MediaPipe custom op: inputs (x, weights OHWI, bias [O]); options are the raw
        // C struct TfLiteTransposeConvParams {int32 padding (1 same, 2 valid), int32 stride_w, int32 stride_h}.
        const co = op.customOptions;
        if (!co || co.length < 12) fail(`operator ${op.index}: Convolution2DTransposeBias needs 12 option bytes, has ${co ? co.length : 0}`);
        const dv = new DataView(co.buffer, co.byteOffset, co.byteLength);
        const pad = dv.getInt32(0, true); const sw = dv.getInt32(4, true); const sh = dv.getInt32(8, true);
        if (pad !== 1 && pad !== 2) fail(`operator ${op.index}: unknown transpose-conv padding ${pad}`);
        const [xi, wi, bi] = op.inputs;
        const [, inH, inW, inC] = T[xi].shape;
        const w = constOf(wi, op.index, 'weights');
        const [o, kh, kw, i] = T[wi].shape;
        if (i !== inC) fail(`operator ${op.index}: weights expect ${i} input channels, input has ${inC}`);
        // OHWI -> ONNX ConvTranspose layout [I, O, kh, kw]
        const wOut = new Float32Array(w.length);
        for (let a = 0; a < o; a++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let c = 0; c < i; c++) {
          wOut[((c * o + a) * kh + y) * kw + x] = w[((a * kh + y) * kw + x) * i + c];
        }
        const wName = addInit(`w:${wi}`, T[wi].name.replace(/_dequantize$/, ''), DataType.FLOAT, [i, o, kh, kw], wOut);
        const bName = biasInit(op, bi, o);
        // Same padding as MediaPipe's kernel: total P = max(0, k - (in-1) % s - 1), P/2 before.
        const padTotal = (k, n, s) => (pad === 1 ? Math.max(0, k - ((n - 1) % s) - 1) : 0);
        const ph = padTotal(kh, inH, sh); const pw = padTotal(kw, inW, sw);
        const [, outH, outW] = T[op.outputs[0]].shape;
        if (sh * (inH - 1) + kh - ph !== outH || sw * (inW - 1) + kw - pw !== outW) fail(`operator ${op.index}: transpose conv output size mismatch`);
        const [raw, final, fn] = outputsFor(op);
        nodes.push(makeNode('ConvTranspose', [act(xi, op.index), wName, ...(bName ? [bName] : [])], [raw], base, {
          kernel_shape: [kh, kw], strides: [sh, sw],
          pads: [Math.floor(ph / 2), Math.floor(pw / 2), ph - Math.floor(ph / 2), pw - Math.floor(pw / 2)],
        }));
        fusedActivation(fn, raw, final, base, op.index);
        break;
      }
      case 'AVERAGE_POOL_2D': {
        const xi = op.inputs[0];
        const [, inH, inW] = T[xi].shape;
        const [, outH, outW] = T[op.outputs[0]].shape;
        const { padding, stride_h: sh, stride_w: sw, filter_height: fh, filter_width: fw } = op.options;
        const [raw, final, fn] = outputsFor(op);
        if (outH === 1 && outW === 1 && fh >= inH && fw >= inW && (padding === Padding.VALID || (fh === inH && fw === inW))) {
          nodes.push(makeNode('GlobalAveragePool', [act(xi, op.index)], [raw], base));
        } else {
          const [pt, pb] = padding === Padding.SAME ? samePadding(inH, fh, sh) : [0, 0];
          const [pl, pr] = padding === Padding.SAME ? samePadding(inW, fw, sw) : [0, 0];
          // TFLite averages over valid (unpadded) pixels only.
          nodes.push(makeNode('AveragePool', [act(xi, op.index)], [raw], base, {
            kernel_shape: [fh, fw], strides: [sh, sw], pads: [pt, pl, pb, pr], count_include_pad: 0,
          }));
        }
        fusedActivation(fn, raw, final, base, op.index);
        break;
      }
      case 'MEAN': {
        const [xi, ai] = op.inputs;
        if (T[xi].shape.length !== 4) fail(`operator ${op.index}: MEAN only on rank-4 tensors`);
        if (!op.options.keep_dims) fail(`operator ${op.index}: MEAN without keep_dims is not supported`);
        const axes = [...constOf(ai, op.index, 'axes')].map((a) => NHWC_TO_NCHW_AXIS[a < 0 ? a + 4 : a]).sort();
        const [raw] = outputsFor(op);
        nodes.push(makeNode('ReduceMean', [act(xi, op.index)], [raw], base, { axes, keepdims: 1 }));
        break;
      }
      case 'ADD':
      case 'MUL': {
        const [a, b] = op.inputs;
        const [raw, final, fn] = outputsFor(op);
        nodes.push(makeNode(op.name === 'ADD' ? 'Add' : 'Mul', [elementwiseOperand(op, a), elementwiseOperand(op, b)], [raw], base));
        fusedActivation(fn, raw, final, base, op.index);
        break;
      }
      case 'RELU': case 'RELU6': case 'LOGISTIC': case 'HARD_SWISH': {
        const [raw] = outputsFor(op);
        const x = act(op.inputs[0], op.index);
        if (op.name === 'RELU6') {
          fusedActivation(Activation.RELU6, x, raw, base, op.index);
        } else {
          nodes.push(makeNode({ RELU: 'Relu', LOGISTIC: 'Sigmoid', HARD_SWISH: 'HardSwish' }[op.name], [x], [raw], base));
        }
        break;
      }
      case 'RESIZE_BILINEAR': {
        const [xi, si] = op.inputs;
        const [n, , , c] = T[xi].shape;
        const [h, w] = constOf(si, op.index, 'size');
        const sizes = addInit(`resize:${n},${c},${h},${w}`, `${base}/sizes`, DataType.INT64, [4], [n, c, h, w]);
        const mode = op.options.align_corners ? 'align_corners' : (op.options.half_pixel_centers ? 'half_pixel' : 'asymmetric');
        const [raw] = outputsFor(op);
        nodes.push(makeNode('Resize', [act(xi, op.index), '', '', sizes], [raw], base, {
          mode: 'linear', coordinate_transformation_mode: mode,
        }));
        break;
      }
      default:
        fail(`operator ${op.index}: ${op.name} is not supported (supported: ${SUPPORTED.join(', ')})`);
    }
  }

  if (!valueName.has(outT.index) || valueName.get(outT.index) !== outputName) fail('the model output is not produced by any converted operator');
  const [, ih, iw, ic] = inT.shape;
  const [, oh, ow, oc] = outT.shape;
  const graph = {
    node: nodes,
    name: opts.graphName ?? basename(fileName).replace(/\.tflite$/, ''),
    initializer: initializers,
    input: [makeValueInfo(valueName.get(inT.index), DataType.FLOAT, [1, ic, ih, iw])],
    output: [makeValueInfo(outputName, DataType.FLOAT, [1, oc, oh, ow])],
  };
  return makeModel({ graph, opset: 17, irVersion: 8, docString: opts.docString, metadata: opts.metadata });
}

async function main(argv) {
  if (argv.length !== 2) {
    console.error('usage: node models/tools/tflite-to-onnx.js IN.tflite OUT.onnx');
    process.exit(2);
  }
  const [inPath, outPath] = argv;
  const model = convertTflite(readFileSync(inPath), { fileName: inPath });
  const bytes = encodeModel(model);
  writeFileSync(outPath, bytes);
  console.log(`${outPath}: ${model.graph.node.length} nodes, ${model.graph.initializer.length} initializers, ${bytes.length} bytes`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((e) => { console.error(e.message); process.exit(1); });
}
