// Minimal reader for TensorFlow Lite model files (FlatBuffers, schema "TFL3").
//
// Only what the converter needs is decoded: tensors, buffers, operator codes,
// operators with their builtin options tables and custom option bytes.
// Field indices follow tensorflow/lite/schema/schema.fbs (a field's vtable
// slot is 4 + 2 * its declaration index).

/** BuiltinOperator codes used by the models we convert (schema.fbs). */
export const BuiltinOp = Object.freeze({
  ADD: 0, AVERAGE_POOL_2D: 1, CONCATENATION: 2, CONV_2D: 3, DEPTHWISE_CONV_2D: 4,
  DEQUANTIZE: 6, LOGISTIC: 14, MAX_POOL_2D: 17, MUL: 18, RELU: 19, RELU6: 21,
  RESHAPE: 22, RESIZE_BILINEAR: 23, CUSTOM: 32, MEAN: 40, HARD_SWISH: 117,
});
const OP_NAMES = Object.fromEntries(Object.entries(BuiltinOp).map(([k, v]) => [v, k]));
export function builtinOpName(code) { return OP_NAMES[code] ?? `BUILTIN_${code}`; }

/** TensorType (schema.fbs). */
export const TensorType = Object.freeze({
  FLOAT32: 0, FLOAT16: 1, INT32: 2, UINT8: 3, INT64: 4, STRING: 5, BOOL: 6, INT16: 7,
  COMPLEX64: 8, INT8: 9, FLOAT64: 10,
});

/** ActivationFunctionType (schema.fbs). */
export const Activation = Object.freeze({ NONE: 0, RELU: 1, RELU_N1_TO_1: 2, RELU6: 3, TANH: 4, SIGN_BIT: 5 });
/** Padding (schema.fbs): note the different numbering of TfLitePadding in C (1 = same, 2 = valid). */
export const Padding = Object.freeze({ SAME: 0, VALID: 1 });

class TfliteFormatError extends Error {}

/** Bounds-checked little-endian FlatBuffer table access. */
class FlatReader {
  constructor(bytes, fileName) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.fileName = fileName;
  }
  fail(msg) { throw new TfliteFormatError(`${this.fileName}: not a valid TFLite model (${msg})`); }
  check(pos, size) { if (pos < 0 || pos + size > this.bytes.length) this.fail(`offset ${pos}+${size} beyond end of file (${this.bytes.length} bytes)`); }
  u8(p) { this.check(p, 1); return this.view.getUint8(p); }
  i8(p) { this.check(p, 1); return this.view.getInt8(p); }
  u16(p) { this.check(p, 2); return this.view.getUint16(p, true); }
  i32(p) { this.check(p, 4); return this.view.getInt32(p, true); }
  u32(p) { this.check(p, 4); return this.view.getUint32(p, true); }
  f32(p) { this.check(p, 4); return this.view.getFloat32(p, true); }

  /** Absolute position of field `index` of the table at `table`, or 0 when absent. */
  field(table, index) {
    const vtable = table - this.i32(table);
    const vtSize = this.u16(vtable);
    const slot = 4 + 2 * index;
    if (slot >= vtSize) return 0;
    const off = this.u16(vtable + slot);
    return off ? table + off : 0;
  }
  deref(p) { return p + this.u32(p); }
  table(table, index) { const p = this.field(table, index); return p ? this.deref(p) : 0; }
  scalar(table, index, kind, dflt) { const p = this.field(table, index); return p ? this[kind](p) : dflt; }
  string(table, index) {
    const p = this.field(table, index);
    if (!p) return null;
    const s = this.deref(p); const n = this.u32(s); this.check(s + 4, n);
    return new TextDecoder().decode(this.bytes.subarray(s + 4, s + 4 + n));
  }
  /** [start, length] of a vector field, or null. */
  vector(table, index) {
    const p = this.field(table, index);
    if (!p) return null;
    const v = this.deref(p); const n = this.u32(v);
    return [v + 4, n];
  }
  bytesVector(table, index) {
    const v = this.vector(table, index);
    if (!v) return null;
    this.check(v[0], v[1]);
    return this.bytes.subarray(v[0], v[0] + v[1]);
  }
  int32Vector(table, index) {
    const v = this.vector(table, index);
    if (!v) return [];
    this.check(v[0], 4 * v[1]);
    const out = new Array(v[1]);
    for (let i = 0; i < v[1]; i++) out[i] = this.i32(v[0] + 4 * i);
    return out;
  }
  tableVector(table, index) {
    const v = this.vector(table, index);
    if (!v) return [];
    this.check(v[0], 4 * v[1]);
    const out = new Array(v[1]);
    for (let i = 0; i < v[1]; i++) out[i] = this.deref(v[0] + 4 * i);
    return out;
  }
}

// Option tables, by BuiltinOperator: [field name, index, reader kind, default].
const OPTION_FIELDS = {
  [BuiltinOp.CONV_2D]: [['padding', 0, 'i8', 0], ['stride_w', 1, 'i32', 0], ['stride_h', 2, 'i32', 0],
    ['fused_activation_function', 3, 'i8', 0], ['dilation_w_factor', 4, 'i32', 1], ['dilation_h_factor', 5, 'i32', 1]],
  [BuiltinOp.DEPTHWISE_CONV_2D]: [['padding', 0, 'i8', 0], ['stride_w', 1, 'i32', 0], ['stride_h', 2, 'i32', 0],
    ['depth_multiplier', 3, 'i32', 0], ['fused_activation_function', 4, 'i8', 0],
    ['dilation_w_factor', 5, 'i32', 1], ['dilation_h_factor', 6, 'i32', 1]],
  [BuiltinOp.AVERAGE_POOL_2D]: [['padding', 0, 'i8', 0], ['stride_w', 1, 'i32', 0], ['stride_h', 2, 'i32', 0],
    ['filter_width', 3, 'i32', 0], ['filter_height', 4, 'i32', 0], ['fused_activation_function', 5, 'i8', 0]],
  [BuiltinOp.MAX_POOL_2D]: [['padding', 0, 'i8', 0], ['stride_w', 1, 'i32', 0], ['stride_h', 2, 'i32', 0],
    ['filter_width', 3, 'i32', 0], ['filter_height', 4, 'i32', 0], ['fused_activation_function', 5, 'i8', 0]],
  [BuiltinOp.ADD]: [['fused_activation_function', 0, 'i8', 0]],
  [BuiltinOp.MUL]: [['fused_activation_function', 0, 'i8', 0]],
  [BuiltinOp.CONCATENATION]: [['axis', 0, 'i32', 0], ['fused_activation_function', 1, 'i8', 0]],
  [BuiltinOp.MEAN]: [['keep_dims', 0, 'u8', 0]],
  [BuiltinOp.RESIZE_BILINEAR]: [['align_corners', 2, 'u8', 0], ['half_pixel_centers', 3, 'u8', 0]],
};

/**
 * Parse a .tflite file.
 * @param {Uint8Array} bytes  file contents
 * @param {string} fileName   used in error messages
 * @returns {{version:number, description:string|null, tensors:object[], inputs:number[], outputs:number[], operators:object[]}}
 *   The first subgraph; each tensor has {index, name, shape, type, data (Uint8Array|null)}.
 */
export function readTflite(bytes, fileName = '<tflite>') {
  if (!(bytes instanceof Uint8Array)) bytes = new Uint8Array(bytes);
  const r = new FlatReader(bytes, fileName);
  if (bytes.length < 8) r.fail('file too short');
  const ident = new TextDecoder().decode(bytes.subarray(4, 8));
  if (ident !== 'TFL3') r.fail(`file identifier is "${ident}", expected "TFL3"`);
  const model = r.deref(0);
  const version = r.scalar(model, 0, 'u32', 0);

  const opcodes = r.tableVector(model, 1).map((oc) => {
    const deprecated = r.scalar(oc, 0, 'i8', 0);
    const builtin = r.scalar(oc, 3, 'i32', 0);
    return { code: Math.max(deprecated, builtin), custom: r.string(oc, 1), version: r.scalar(oc, 2, 'i32', 1) };
  });
  const buffers = r.tableVector(model, 4).map((b) => r.bytesVector(b, 0));
  const subgraphs = r.tableVector(model, 2);
  if (subgraphs.length === 0) r.fail('no subgraph');
  const sg = subgraphs[0];

  const tensors = r.tableVector(sg, 0).map((t, index) => {
    const bufIndex = r.scalar(t, 2, 'u32', 0);
    if (bufIndex >= buffers.length) r.fail(`tensor ${index} refers to buffer ${bufIndex} of ${buffers.length}`);
    const data = buffers[bufIndex];
    return {
      index, name: r.string(t, 3) ?? `t${index}`, shape: r.int32Vector(t, 0),
      type: r.scalar(t, 1, 'i8', 0), data: data && data.length ? data : null,
    };
  });

  const operators = r.tableVector(sg, 3).map((op, index) => {
    const opcodeIndex = r.scalar(op, 0, 'u32', 0);
    if (opcodeIndex >= opcodes.length) r.fail(`operator ${index} uses opcode ${opcodeIndex} of ${opcodes.length}`);
    const { code, custom } = opcodes[opcodeIndex];
    const inputs = r.int32Vector(op, 1);
    const outputs = r.int32Vector(op, 2);
    for (const t of [...inputs, ...outputs]) if (t >= tensors.length) r.fail(`operator ${index} refers to tensor ${t}`);
    const options = {};
    const optTable = r.table(op, 4);
    for (const [name, fi, kind, dflt] of OPTION_FIELDS[code] ?? []) {
      options[name] = optTable ? r.scalar(optTable, fi, kind, dflt) : dflt;
    }
    const customOptions = r.bytesVector(op, 5);
    return {
      index, code, name: code === BuiltinOp.CUSTOM ? custom : builtinOpName(code),
      inputs, outputs, options, customOptions,
    };
  });

  return {
    version, description: r.string(model, 3), tensors,
    inputs: r.int32Vector(sg, 1), outputs: r.int32Vector(sg, 2), operators,
  };
}
