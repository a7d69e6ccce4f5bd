// The project's TFLite -> ONNX converter reproduces the reference conversions of the
// MediaPipe selfie segmenters on every test photo (mean absolute difference <= 1e-3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { createSession, runSingle } from '../../models/tools/ort.js';
import { encodeModel, decodeModel, valueInfoShape } from '../../models/tools/onnx-proto.js';
import { convertTflite } from '../../models/tools/tflite-to-onnx.js';
import { SOURCES, upstreamFile } from '../../models/tools/upstream.js';
import { meanAbsDiff } from '../../models/tools/metrics.js';
import { REFERENCE_DIR, bytesOf, inputs, printTable } from './helpers.mjs';

const MAX_MAD = 1e-3;

for (const [label, source, reference, width, height] of [
  ['portrait', SOURCES.selfie, 'selfie_segmentation.onnx', 256, 256],
  ['portrait-landscape', SOURCES.selfieLandscape, 'selfie_segmentation_landscape.onnx', 256, 144],
]) {
  test(`${label}: converted model matches the reference conversion on every photo`, async () => {
    const tflitePath = upstreamFile(source);
    const model = convertTflite(readFileSync(tflitePath), { fileName: tflitePath });
    const bytes = encodeModel(model);
    // Layout the engine relies on: NCHW in, NCHW out.
    const back = decodeModel(bytes, label);
    assert.deepEqual(valueInfoShape(back.graph.input[0]), [1, 3, height, width]);
    assert.deepEqual(valueInfoShape(back.graph.output[0]), [1, 1, height, width]);

    const ours = await createSession(bytes);
    const ref = await createSession(bytesOf(join(REFERENCE_DIR, reference)));
    const rows = [];
    for (const { name, data } of inputs(width, height, { range: [0, 1] })) {
      const a = (await runSingle(ours, data, [1, 3, height, width])).data;
      const b = (await runSingle(ref, data, [1, 3, height, width])).data;
      assert.equal(a.length, width * height);
      rows.push({ photo: name, mad: meanAbsDiff(a, b), ok: meanAbsDiff(a, b) <= MAX_MAD });
    }
    printTable(`${label}: mean absolute difference vs reference (limit ${MAX_MAD})`, rows.map((r) => ({ ...r, mad: r.mad.toExponential(3) })));
    for (const r of rows) assert.ok(r.mad <= MAX_MAD, `${label} ${r.photo}: MAD ${r.mad} > ${MAX_MAD}`);
    await ours.release();
    await ref.release();
  });
}
