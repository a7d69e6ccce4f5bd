// Read and write ONNX ModelProto files with protobufjs and the project's own
// schema subset (onnx.proto next to this file).
//
// Reading returns plain objects with the schema's snake_case field names,
// int64 values as JS numbers and raw tensor bytes as Uint8Array. Writing takes
// the same shape back. Encoding is deterministic: fields are written in schema
// order and repeated fields in array order, so the same model object always
// gives the same bytes.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/** TensorProto.DataType values (onnx.proto). */
export const DataType = Object.freeze({
  UNDEFINED: 0, FLOAT: 1, UINT8: 2, INT8: 3, UINT16: 4, INT16: 5, INT32: 6, INT64: 7,
  STRING: 8, BOOL: 9, FLOAT16: 10, DOUBLE: 11, UINT32: 12, UINT64: 13, BFLOAT16: 16,
});

/** AttributeProto.AttributeType values (onnx.proto). */
export const AttrType = Object.freeze({
  FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8, TENSORS: 9, GRAPHS: 10,
});

const ELEMENT_SIZE = {
  [DataType.FLOAT]: 4, [DataType.UINT8]: 1, [DataType.INT8]: 1, [DataType.UINT16]: 2, [DataType.INT16]: 2,
  [DataType.INT32]: 4, [DataType.INT64]: 8, [DataType.BOOL]: 1, [DataType.FLOAT16]: 2, [DataType.DOUBLE]: 8,
  [DataType.UINT32]: 4, [DataType.UINT64]: 8, [DataType.BFLOAT16]: 2,
};

export class OnnxFormatError extends Error {
  constructor(fileName, reason, message) {
    super(message ?? `${fileName}: not a valid ONNX model (${reason})`);
    this.name = 'OnnxFormatError';
    this.fileName = fileName;
    this.reason = reason;
  }
}

let root = null;
function schema() {
  if (!root) {
    const text = readFileSync(fileURLToPath(new URL('./onnx.proto', import.meta.url)), 'utf8');
    root = protobuf.parse(text, { keepCase: true }).root;
    root.resolveAll();
  }
  return root;
}
const type = (name) => schema().lookupType(`onnx.${name}`);

const TO_OBJECT = { longs: Number, enums: Number, bytes: Uint8Array, defaults: false, arrays: true, oneofs: false };

/** Decode ModelProto bytes without validation (throws protobufjs errors). */
export function decodeModelUnchecked(bytes) {
  const T = type('ModelProto');
  const msg = T.decode(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  return T.toObject(msg, TO_OBJECT);
}

/**
 * Decode and validate an ONNX model.
 * @param {Uint8Array} bytes
 * @param {string} fileName  named in every error
 * @returns {object} ModelProto as a plain object
 * @throws {OnnxFormatError}
 */
export function decodeModel(bytes, fileName = '<onnx>') {
  if (!bytes || bytes.length === 0) throw new OnnxFormatError(fileName, 'file is empty');
  let model;
  try {
    model = decodeModelUnchecked(bytes);
  } catch (e) {
    throw new OnnxFormatError(fileName, `protobuf decoding failed: ${e.message}; the file is truncated or not ONNX`);
  }
  validateModel(model, fileName);
  return model;
}

/** Read, decode and validate an ONNX file. */
export function readModel(path) {
  let bytes;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new OnnxFormatError(path, `cannot read file: ${e.code ?? e.message}`, `${path}: cannot read ONNX model (${e.code ?? e.message})`);
  }
  return decodeModel(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
}

export function numElements(dims) { return dims.reduce((a, b) => a * b, 1); }

/** Structural checks that catch truncated or foreign files with a clear reason. */
export function validateModel(model, fileName = '<onnx>') {
  const fail = (reason) => { throw new OnnxFormatError(fileName, reason); };
  if (!model.ir_version) fail('ir_version missing');
  if (!model.opset_import || model.opset_import.length === 0) fail('no opset_import: the file is truncated or not ONNX');
  const g = model.graph;
  if (!g) fail('no graph');
  if (!g.node?.length) fail('graph has no nodes');
  if (!g.input?.length) fail('graph has no inputs');
  if (!g.output?.length) fail('graph has no outputs');
  const known = new Set(['']);
  for (const t of g.initializer ?? []) {
    if (!t.name) fail('initializer without a name');
    const dims = t.dims ?? [];
    const n = numElements(dims);
    if (t.data_location === 1) fail(`initializer ${t.name} uses external data, which is not supported`);
    const size = ELEMENT_SIZE[t.data_type];
    if (!size) fail(`initializer ${t.name} has unsupported data type ${t.data_type}`);
    if (t.raw_data && t.raw_data.length) {
      if (t.raw_data.length !== n * size) fail(`initializer ${t.name}: ${t.raw_data.length} data bytes for shape [${dims}] (expected ${n * size})`);
    } else {
      const stored = (t.float_data?.length ?? 0) + (t.int32_data?.length ?? 0) + (t.int64_data?.length ?? 0)
        + (t.double_data?.length ?? 0) + (t.uint64_data?.length ?? 0);
      if (stored !== n) fail(`initializer ${t.name}: ${stored} values for shape [${dims}] (expected ${n})`);
    }
    known.add(t.name);
  }
  for (const vi of g.input) known.add(vi.name);
  g.node.forEach((node, i) => {
    if (!node.op_type) fail(`node ${i} has no op_type`);
    for (const name of node.input ?? []) {
      if (!known.has(name)) fail(`node ${i} (${node.op_type} ${node.name ?? ''}) reads "${name}", which nothing produces`);
    }
    for (const name of node.output ?? []) known.add(name);
  });
  for (const vi of g.output) if (!known.has(vi.name)) fail(`graph output "${vi.name}" is not produced by any node`);
}

/** Encode a ModelProto object (as returned by decodeModel or built with the helpers below). */
export function encodeModel(model) {
  const T = type('ModelProto');
  const err = T.verify(model);
  if (err) throw new Error(`encodeModel: invalid model object: ${err}`);
  return T.encode(T.fromObject(model)).finish();
}

// ---------------------------------------------------------------------------
// Builders

/** A tensor initializer stored as little-endian raw_data. */
export function makeTensor(name, dataType, dims, values) {
  const n = numElements(dims);
  if (values.length !== n) throw new Error(`makeTensor ${name}: ${values.length} values for shape [${dims}]`);
  const size = ELEMENT_SIZE[dataType];
  const raw = new Uint8Array(n * size);
  const dv = new DataView(raw.buffer);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    switch (dataType) {
      case DataType.FLOAT: dv.setFloat32(i * 4, v, true); break;
      case DataType.INT8: dv.setInt8(i, v); break;
      case DataType.UINT8: dv.setUint8(i, v); break;
      case DataType.INT32: dv.setInt32(i * 4, v, true); break;
      case DataType.INT64: dv.setBigInt64(i * 8, BigInt(v), true); break;
      case DataType.FLOAT16: dv.setUint16(i * 2, v, true); break;   // v: the binary16 bits (half.js)
      default: throw new Error(`makeTensor ${name}: unsupported data type ${dataType}`);
    }
  }
  return { dims: [...dims], data_type: dataType, name, raw_data: raw };
}

/** Values of a TensorProto as a typed array (Float32Array, Int8Array, ... ; INT64 as Float64Array of numbers). */
export function tensorValues(t) {
  const n = numElements(t.dims ?? []);
  const raw = t.raw_data && t.raw_data.length ? t.raw_data : null;
  const dv = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : null;
  switch (t.data_type) {
    case DataType.FLOAT: {
      if (!raw) return Float32Array.from(t.float_data ?? []);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getFloat32(i * 4, true);
      return out;
    }
    case DataType.FLOAT16: {   // the binary16 bits, as Uint16Array (half.js turns them into numbers)
      if (!raw) return Uint16Array.from(t.int32_data ?? []);
      const out = new Uint16Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getUint16(i * 2, true);
      return out;
    }
    case DataType.INT8: return raw ? new Int8Array(raw.buffer, raw.byteOffset, n).slice() : Int8Array.from(t.int32_data ?? []);
    case DataType.UINT8: return raw ? raw.slice(0, n) : Uint8Array.from(t.int32_data ?? []);
    case DataType.INT32: {
      if (!raw) return Int32Array.from(t.int32_data ?? []);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getInt32(i * 4, true);
      return out;
    }
    case DataType.INT64: {
      if (!raw) return Float64Array.from(t.int64_data ?? []);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = Number(dv.getBigInt64(i * 8, true));
      return out;
    }
    default: throw new Error(`tensorValues ${t.name}: unsupported data type ${t.data_type}`);
  }
}

/** An AttributeProto; kind is inferred from the JS value unless given. */
export function makeAttr(name, value, kind) {
  if (!kind) {
    if (Array.isArray(value)) kind = value.every(Number.isInteger) ? 'ints' : 'floats';
    else if (typeof value === 'string') kind = 'string';
    else if (Number.isInteger(value)) kind = 'int';
    else if (typeof value === 'number') kind = 'float';
    else kind = 'tensor';
  }
  switch (kind) {
    case 'int': return { name, type: AttrType.INT, i: value };
    case 'float': return { name, type: AttrType.FLOAT, f: value };
    case 'string': return { name, type: AttrType.STRING, s: new TextEncoder().encode(value) };
    case 'ints': return { name, type: AttrType.INTS, ints: [...value] };
    case 'floats': return { name, type: AttrType.FLOATS, floats: [...value] };
    case 'tensor': return { name, type: AttrType.TENSOR, t: value };
    default: throw new Error(`makeAttr ${name}: unknown kind ${kind}`);
  }
}

/** Attribute value of a node as a plain JS value, or `dflt`. */
export function getAttr(node, name, dflt = undefined) {
  const a = (node.attribute ?? []).find((x) => x.name === name);
  if (!a) return dflt;
  switch (a.type) {
    case AttrType.INT: return a.i ?? 0;
    case AttrType.FLOAT: return a.f ?? 0;
    case AttrType.STRING: return new TextDecoder().decode(a.s ?? new Uint8Array());
    case AttrType.INTS: return a.ints ?? [];
    case AttrType.FLOATS: return a.floats ?? [];
    case AttrType.TENSOR: return a.t;
    default: return a;
  }
}

/** A NodeProto; attrs is an object {name: value} or an array of AttributeProto. */
export function makeNode(opType, inputs, outputs, name, attrs = {}, domain) {
  const attribute = Array.isArray(attrs) ? attrs
    : Object.keys(attrs).filter((k) => attrs[k] !== undefined).map((k) => makeAttr(k, attrs[k]));
  const node = { input: [...inputs], output: [...outputs], name, op_type: opType, attribute };
  if (domain) node.domain = domain;
  return node;
}

/** A ValueInfoProto for a tensor with static (numbers) or symbolic (strings) dims. */
export function makeValueInfo(name, elemType, shape) {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: elemType,
        shape: { dim: shape.map((d) => (typeof d === 'string' ? { dim_param: d } : { dim_value: d })) },
      },
    },
  };
}

/** Shape of a ValueInfoProto: numbers for static dims, strings for symbolic ones. */
export function valueInfoShape(vi) {
  const dims = vi.type?.tensor_type?.shape?.dim ?? [];
  return dims.map((d) => (d.dim_param !== undefined ? d.dim_param : (d.dim_value ?? 0)));
}

/** A ModelProto around a graph. */
export function makeModel({ graph, opset = 17, irVersion = 8, producerName = 'defocus-models', producerVersion = '1', docString, metadata = {} }) {
  const model = {
    ir_version: irVersion,
    opset_import: [{ domain: '', version: opset }],
    producer_name: producerName,
    producer_version: producerVersion,
    graph,
  };
  if (docString) model.doc_string = docString;
  const keys = Object.keys(metadata).sort();
  if (keys.length) model.metadata_props = keys.map((key) => ({ key, value: String(metadata[key]) }));
  return model;
}

/** One line per node plus inputs/outputs: handy for inspecting a model. */
export function summarize(model) {
  const g = model.graph;
  const lines = [];
  lines.push(`ir_version ${model.ir_version}, opset ${model.opset_import.map((o) => `${o.domain || 'ai.onnx'}:${o.version}`).join(', ')}, producer ${model.producer_name ?? ''} ${model.producer_version ?? ''}`);
  for (const vi of g.input) lines.push(`input ${vi.name} [${valueInfoShape(vi)}] type ${vi.type?.tensor_type?.elem_type}`);
  for (const vi of g.output) lines.push(`output ${vi.name} [${valueInfoShape(vi)}] type ${vi.type?.tensor_type?.elem_type}`);
  const inits = new Map((g.initializer ?? []).map((t) => [t.name, t]));
  for (const n of g.node) {
    const attrs = (n.attribute ?? []).map((a) => `${a.name}=${JSON.stringify(getAttr(n, a.name)?.dims ? `tensor[${getAttr(n, a.name).dims}]` : getAttr(n, a.name))}`).join(' ');
    const ins = (n.input ?? []).map((x) => (inits.has(x) ? `${x}<${inits.get(x).data_type}>[${inits.get(x).dims}]` : x)).join(', ');
    lines.push(`${n.op_type}${n.domain ? `(${n.domain})` : ''} ${n.name ?? ''}: (${ins}) -> (${(n.output ?? []).join(', ')}) ${attrs}`);
  }
  return lines.join('\n');
}
