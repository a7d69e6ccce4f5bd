// fp16 storage (models/tools/half.js): bit-exact rounding and a halved Conv weight that
// ONNX Runtime runs through its Cast with the weight moved by at most fp16's rounding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { halfBits, halfToFloat, halveInitializers } from '../../models/tools/half.js';
import { DataType, decodeModel, encodeModel, makeModel, makeNode, makeTensor, makeValueInfo, tensorValues } from '../../models/tools/onnx-proto.js';
import { createSession, runSingle } from '../../models/tools/ort.js';

test('halfBits rounds to nearest, ties to even, with subnormals and overflow', () => {
  const cases = [[0, 0x0000], [-0, 0x8000], [1, 0x3c00], [-2, 0xc000], [65504, 0x7bff], [65520, 0x7c00],
    [2 ** -24, 0x0001], [2 ** -26, 0x0000], [3 * 2 ** -26, 0x0001], [2 ** -14, 0x0400],
    [1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02], [0.1, 0x2e66], [Infinity, 0x7c00]];
  for (const [v, bits] of cases) assert.equal(halfBits(v), bits, `halfBits(${v})`);
  // Every finite half survives the round trip exactly.
  for (let h = 0; h < 0x10000; h++) {
    if ((h & 0x7c00) === 0x7c00) continue;
    assert.equal(halfBits(halfToFloat(h)), h === 0x8000 ? 0x8000 : h, `0x${h.toString(16)}`);
  }
});

test('a Conv with fp16 weights runs in ONNX Runtime and matches fp32 within fp16 rounding', async () => {
  const weights = Float32Array.from({ length: 2 * 3 * 3 * 3 }, (_, i) => Math.sin(i * 1.7 + 0.3) * 0.8);
  const model = makeModel({
    opset: 13,
    graph: {
      name: 'conv',
      node: [makeNode('Conv', ['x', 'w'], ['y'], 'conv', { pads: [1, 1, 1, 1] })],
      initializer: [makeTensor('w', DataType.FLOAT, [2, 3, 3, 3], weights)],
      input: [makeValueInfo('x', DataType.FLOAT, [1, 3, 4, 4])],
      output: [makeValueInfo('y', DataType.FLOAT, [1, 2, 4, 4])],
    },
  });
  const half = decodeModel(encodeModel(halveInitializers(model, ['w'])));
  const stored = half.graph.initializer.find((t) => t.name === 'w_fp16');
  assert.equal(stored.data_type, DataType.FLOAT16);
  assert.equal(half.graph.node[0].op_type, 'Cast');
  const x = Float32Array.from({ length: 48 }, (_, i) => Math.cos(i));
  const a = (await runSingle(await createSession(encodeModel(model)), x, [1, 3, 4, 4])).data;
  const b = (await runSingle(await createSession(encodeModel(half)), x, [1, 3, 4, 4])).data;
  const rounded = Array.from(tensorValues(stored), halfToFloat);
  let worst = 0; let moved = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  for (let i = 0; i < weights.length; i++) moved = Math.max(moved, Math.abs(rounded[i] - weights[i]) / Math.abs(weights[i]));
  assert.ok(moved > 0 && moved <= 2 ** -11, `weights moved by up to ${moved} of their size`);
  assert.ok(worst > 0 && worst < 27 * 2 ** -11, `outputs differ by up to ${worst}`);
  assert.throws(() => halveInitializers(model, ['nope']), /no such initializer: nope/);
});
