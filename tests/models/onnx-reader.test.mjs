// The project's ONNX reader/writer: round trips, determinism, and clear errors
// naming the file for malformed or truncated models.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeModel, encodeModel, readModel, OnnxFormatError, makeModel, makeNode, makeTensor, makeValueInfo, DataType, tensorValues,
} from '../../models/tools/onnx-proto.js';
import { readTflite } from '../../models/tools/tflite-reader.js';
import { halfToFloat, samePadding } from '../../models/tools/tflite-to-onnx.js';
import { SOURCES, upstreamFile } from '../../models/tools/upstream.js';
import { bytesOf } from './helpers.mjs';

function tinyModel() {
  const w = makeTensor('w', DataType.FLOAT, [2, 1, 1, 1], [0.5, -2]);
  return makeModel({
    graph: {
      node: [makeNode('Conv', ['x', 'w'], ['y'], 'conv', { kernel_shape: [1, 1] })],
      name: 'tiny',
      initializer: [w],
      input: [makeValueInfo('x', DataType.FLOAT, [1, 1, 2, 2])],
      output: [makeValueInfo('y', DataType.FLOAT, [1, 2, 2, 2])],
    },
  });
}

test('write then read gives the same model; encoding is deterministic', () => {
  const bytes = encodeModel(tinyModel());
  const back = decodeModel(bytes, 'tiny.onnx');
  assert.equal(back.graph.node[0].op_type, 'Conv');
  assert.deepEqual(back.graph.initializer[0].dims, [2, 1, 1, 1]);
  assert.deepEqual([...tensorValues(back.graph.initializer[0])], [0.5, -2]);
  assert.deepEqual(Buffer.from(encodeModel(back)), Buffer.from(bytes));
  assert.deepEqual(Buffer.from(encodeModel(tinyModel())), Buffer.from(bytes));
});

test('the upstream U2-Net-p survives decode -> encode -> decode unchanged', () => {
  const path = upstreamFile(SOURCES.u2netp);
  const a = readModel(path);
  const b = decodeModel(encodeModel(a), 'reencoded');
  assert.equal(b.graph.node.length, a.graph.node.length);
  assert.equal(b.graph.initializer.length, a.graph.initializer.length);
  assert.deepEqual(Buffer.from(encodeModel(b)), Buffer.from(encodeModel(a)));
});

test('malformed and truncated ONNX files give an error naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'defocus-onnx-'));
  try {
    const good = encodeModel(tinyModel());
    const big = bytesOf(upstreamFile(SOURCES.u2netp));
    const cases = {
      'empty.onnx': new Uint8Array(0),
      'text.onnx': new TextEncoder().encode('this is not a model\n'),
      'random.onnx': Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24),
      'tiny-truncated.onnx': good.subarray(0, good.length - 7),
      'u2netp-10-bytes.onnx': big.subarray(0, 10),
      'u2netp-half.onnx': big.subarray(0, big.length >> 1),
      'u2netp-minus-one.onnx': big.subarray(0, big.length - 1),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      assert.throws(() => readModel(path), (e) => {
        assert.ok(e instanceof OnnxFormatError, `${name}: ${e}`);
        assert.ok(e.message.startsWith(path), `${name}: message does not name the file: ${e.message}`);
        assert.match(e.message, /not a valid ONNX model \(.+\)/);
        console.log(`  ${name}: ${e.message.slice(path.length + 2)}`);
        return true;
      });
    }
    assert.throws(() => readModel(join(dir, 'missing.onnx')), /missing\.onnx: cannot read ONNX model \(ENOENT\)/);
    // A model whose node reads a value nobody produces is rejected too.
    const broken = tinyModel();
    broken.graph.node[0].input[0] = 'nope';
    assert.throws(() => decodeModel(encodeModel(broken), 'dangling.onnx'),
      (e) => /^dangling\.onnx: not a valid ONNX model \(node 0 \(Conv conv\) reads "nope"/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('TFLite reader: parses the selfie model and rejects truncated files by name', () => {
  const path = upstreamFile(SOURCES.selfie);
  const bytes = readFileSync(path);
  const m = readTflite(bytes, path);
  assert.deepEqual(m.tensors[m.inputs[0]].shape, [1, 256, 256, 3]);
  assert.deepEqual(m.tensors[m.outputs[0]].shape, [1, 256, 256, 1]);
  assert.ok(m.operators.some((op) => op.name === 'Convolution2DTransposeBias'));
  assert.throws(() => readTflite(bytes.subarray(0, 1000), 'cut.tflite'), (e) => /^cut\.tflite: not a valid TFLite model \(/.test(e.message));
  assert.throws(() => readTflite(new TextEncoder().encode('hello world, not tflite'), 'text.tflite'), /text\.tflite: not a valid TFLite model \(file identifier/);
});

test('converter arithmetic: fp16 decoding and TFLite SAME padding', () => {
  assert.equal(halfToFloat(0x3c00), 1);
  assert.equal(halfToFloat(0xc000), -2);
  assert.equal(halfToFloat(0x0001), 2 ** -24);
  assert.equal(halfToFloat(0x7bff), 65504);
  assert.equal(halfToFloat(0x7c00), Infinity);
  assert.ok(Number.isNaN(halfToFloat(0x7e00)));
  assert.deepEqual(samePadding(256, 3, 2), [0, 1]);   // TFLite puts the extra pixel at the end
  assert.deepEqual(samePadding(32, 5, 2), [1, 2]);
  assert.deepEqual(samePadding(16, 5, 1), [2, 2]);
  assert.deepEqual(samePadding(9, 3, 2), [1, 1]);
});
