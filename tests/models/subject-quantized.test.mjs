// The int8 subject model (U2-Net-p): small enough, and its mask agrees with the
// fp32 upstream model (IoU@0.5 >= 0.98) on every test photo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RECIPES } from '../../models/build.js';
import { DataType, decodeModel } from '../../models/tools/onnx-proto.js';
import { convLayers, readQuantizationPlan } from '../../models/tools/quantize-u2netp.js';
import { U2NETP_INPUT } from '../../models/tools/sensitivity-scan.js';
import { SOURCES, upstreamFile, MODELS_DIR } from '../../models/tools/upstream.js';
import { createSession, runSingle } from '../../models/tools/ort.js';
import { coverage, iou, meanAbsDiff } from '../../models/tools/metrics.js';
import { bytesOf, inputs, printTable } from './helpers.mjs';

const MAX_BYTES = 1_500_000;
const MIN_IOU = 0.98;
const FLOAT_LAYERS_FILE = `${MODELS_DIR}/u2netp-float-layers.json`;

const upstreamPath = upstreamFile(SOURCES.u2netp);
const upstreamBytes = bytesOf(upstreamPath);
const quantized = RECIPES.find((r) => r.id === 'subject').build(upstreamBytes, upstreamPath);

test(`quantized subject model is <= ${MAX_BYTES} bytes with int8 weights except the listed float (fp32 or fp16) layers`, () => {
  console.log(`  fp32 ${upstreamBytes.length} bytes -> int8 ${quantized.length} bytes`);
  assert.ok(quantized.length <= MAX_BYTES, `${quantized.length} bytes > ${MAX_BYTES}`);
  const model = decodeModel(quantized, 'subject');
  assert.ok(model.opset_import.find((o) => !o.domain).version >= 13);
  const plan = readQuantizationPlan(FLOAT_LAYERS_FILE);
  const floatLayers = new Set(plan.floatLayers);
  const halfLayers = new Set(plan.halfLayers);
  const inits = new Map(model.graph.initializer.map((t) => [t.name, t]));
  const producer = new Map(model.graph.node.flatMap((n) => n.output.map((o) => [o, n])));
  let int8 = 0;
  for (const n of model.graph.node.filter((x) => x.op_type === 'Conv')) {
    if (halfLayers.has(n.name)) {
      const cast = producer.get(n.input[1]);
      assert.equal(cast?.op_type, 'Cast', `${n.name}: fp16 weight is not cast to float`);
      assert.equal(inits.get(cast.input[0])?.data_type, DataType.FLOAT16, `${n.name} should store fp16 weights`);
      continue;
    }
    if (floatLayers.has(n.name)) {
      assert.equal(inits.get(n.input[1])?.data_type, DataType.FLOAT, `${n.name} should keep float32 weights`);
      continue;
    }
    const dq = producer.get(n.input[1]);
    assert.equal(dq?.op_type, 'DequantizeLinear', `${n.name}: weight is not dequantized`);
    assert.equal(inits.get(dq.input[0]).data_type, DataType.INT8, `${n.name}: weight is not int8`);
    assert.equal(inits.get(dq.input[1]).dims[0], inits.get(dq.input[0]).dims[0], `${n.name}: not one scale per output channel`);
    if (n.input[2]) assert.equal(inits.get(n.input[2]).data_type, DataType.FLOAT, `${n.name}: bias should stay float`);
    int8++;
  }
  const total = convLayers(decodeModel(upstreamBytes, upstreamPath)).length;
  assert.equal(int8 + floatLayers.size, total);
  console.log(`  ${int8}/${total} Conv layers int8, float: ${[...floatLayers].join(', ')} (fp16: ${[...halfLayers].join(', ')})`);
});

test(`quantized subject model: IoU@0.5 >= ${MIN_IOU} against fp32 on every photo`, async () => {
  const fp32 = await createSession(upstreamBytes);
  const int8 = await createSession(quantized);
  const { size, norm } = U2NETP_INPUT;
  const rows = [];
  for (const { name, data } of inputs(size, size, norm)) {
    const a = (await runSingle(fp32, data, [1, 3, size, size])).data;   // fp32 computed once per photo
    const b = (await runSingle(int8, data, [1, 3, size, size])).data;
    rows.push({ photo: name, fp32_coverage: coverage(a).toFixed(3), iou: iou(a, b), mad: meanAbsDiff(a, b) });
  }
  printTable(`subject int8 vs fp32 (IoU limit ${MIN_IOU})`, rows.map((r) => ({ ...r, iou: r.iou.toFixed(4), mad: r.mad.toExponential(2) })));
  for (const r of rows) assert.ok(r.iou >= MIN_IOU, `${r.photo}: IoU ${r.iou.toFixed(4)} < ${MIN_IOU}`);
  await fp32.release();
  await int8.release();
});
