// The depth-model slot: a user-supplied ONNX depth model (here a tiny one the test builds:
// depth = brightness) drives the circle of confusion through the manifest format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { createDefocus } from '../../web/lib/node.js';
import { brightnessDepthModel, detail, entryFor, halves } from './depth-fixtures.mjs';

const baseUrl = process.env.DEFOCUS_BASE_URL;

test('a depth model of the user drives the blur: farther (brighter here) blurs more', async () => {
  const dir = mkdtempSync(`${tmpdir()}/defocus-depth-`);
  writeFileSync(`${dir}/tiny-depth.onnx`, brightnessDepthModel(32));
  const depthModel = entryFor(pathToFileURL(`${dir}/tiny-depth.onnx`).href, 32);
  const withDepth = await createDefocus({ model: 'portrait', depthModel, baseUrl });
  const plain = await createDefocus({ model: 'portrait', baseUrl });
  const photo = halves(320, 240);
  // Strength 50 (~f/2.8, a 2.1%-of-diagonal disc): at 100 the disc spreads the dark/bright
  // seam 17 px into the measured columns, and that ramp, not texture, would dominate detail().
  const a = withDepth.engine.decode((await withDepth.blur(photo, { strength: 50 })).data);
  const b = plain.engine.decode((await plain.blur(photo, { strength: 50, depth: { mode: 'flat' } })).data);
  const [nearA, farA] = [detail(a, 10, 150), detail(a, 170, 310)];
  const [nearB, farB] = [detail(b, 10, 150), detail(b, 170, 310)];
  console.log(`detail left/right with depth model ${nearA.toFixed(2)} / ${farA.toFixed(2)}, flat ${nearB.toFixed(2)} / ${farB.toFixed(2)}`);
  assert.ok(farA < nearA * 0.7, 'the far (bright) side is blurred more than the near side');
  assert.ok(Math.abs(farB / nearB - 1) < Math.abs(farA / nearA - 1), 'without the model both sides blur alike');
  await withDepth.dispose();
  await plain.dispose();
});

test('a depth model whose output does not match its entry gives a clear error', async () => {
  const dir = mkdtempSync(`${tmpdir()}/defocus-depth-`);
  writeFileSync(`${dir}/tiny-depth.onnx`, brightnessDepthModel(32));
  const depthModel = entryFor(pathToFileURL(`${dir}/tiny-depth.onnx`).href, 16);
  const d = await createDefocus({ model: 'portrait', depthModel, baseUrl });
  await assert.rejects(d.blur(halves(64, 48), { strength: 50 }), (err) =>
    err.code === 'invalid_argument' && /model output has 1024 values, expected 256/.test(err.message));
  await assert.rejects(createDefocus({ model: 'portrait', depthModel: { ...depthModel, kind: undefined }, baseUrl }),
    (err) => err.code === 'invalid_model' && /not a depth model/.test(err.message));
  await d.dispose();
});
