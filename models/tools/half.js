// fp16 storage for chosen float initializers of an ONNX model.
//
// A weight kept as FLOAT16 is followed by a Cast(to=FLOAT) node, so every op still
// computes in float32 (ONNX Runtime's wasm kernels have no fp16 Conv); only the file
// shrinks, 4 -> 2 bytes a weight, and each weight moves by at most 2^-11 of its size.

import { DataType, makeNode, makeTensor, tensorValues } from './onnx-proto.js';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE binary16 bits of a number, rounded to nearest, ties to even (overflow -> infinity). */
export function halfBits(value) {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  let bits; let rest; let half;   // kept bits, dropped bits, half of the dropped range
  if (e <= 0) {
    if (e < -10) return sign;     // below half the smallest subnormal
    const full = mant | 0x800000;
    const shift = 14 - e;
    bits = full >>> shift;
    rest = full & ((1 << shift) - 1);
    half = 1 << (shift - 1);
  } else {
    bits = (e << 10) | (mant >>> 13);
    rest = mant & 0x1fff;
    half = 0x1000;
  }
  // A carry out of the mantissa moves into the exponent, which is the right result.
  if (rest > half || (rest === half && (bits & 1))) bits += 1;
  return sign | bits;
}

/** The number a binary16 bit pattern stands for. */
export function halfToFloat(h) {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/**
 * Return a copy of `model` in which every FLOAT initializer named in `names` is stored as
 * FLOAT16 and read through a Cast to FLOAT (the nodes that used it read the Cast's output).
 * Throws when a name is not a float initializer or a value would overflow fp16.
 */
export function halveInitializers(model, names) {
  const want = new Set(names);
  const g = model.graph;
  const initializer = [];
  const casts = [];
  const renamed = new Map();
  for (const t of g.initializer) {
    if (!want.has(t.name)) { initializer.push(t); continue; }
    if (t.data_type !== DataType.FLOAT) throw new Error(`initializer ${t.name} is not float32`);
    const values = tensorValues(t);
    const bits = new Uint16Array(values.length);
    for (let i = 0; i < values.length; i++) {
      bits[i] = halfBits(values[i]);
      if ((bits[i] & 0x7c00) === 0x7c00) throw new Error(`initializer ${t.name}: ${values[i]} does not fit in fp16`);
    }
    const halfName = `${t.name}_fp16`;
    initializer.push(makeTensor(halfName, DataType.FLOAT16, t.dims, bits));
    casts.push(makeNode('Cast', [halfName], [`${t.name}_fp32`], `${t.name}_Cast`, { to: DataType.FLOAT }));
    renamed.set(t.name, `${t.name}_fp32`);
    want.delete(t.name);
  }
  if (want.size) throw new Error(`no such initializer: ${[...want].join(', ')}`);
  const node = [...casts, ...g.node.map((n) => (n.input.some((i) => renamed.has(i))
    ? { ...n, input: n.input.map((i) => renamed.get(i) ?? i) } : n))];
  return { ...model, graph: { ...g, node, initializer } };
}
