// The model manifest and model files: malformed entries and bad files give one-line
// reasons that name the entry or the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { checkModelEntry, loadModelBytes, modelInputSpec, parseManifest } from '../../web/lib/models.js';
import { readFileUrl as read } from '../../web/lib/node-host.js';

const good = () => ({
  id: 'subject', file: 'm.onnx',
  input: { name: 'in', shape: [1, 3, 320, 320], layout: 'NCHW', normalization: { mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] } },
  output: { name: 'out', index: 0, shape: [1, 1, 320, 320], layout: 'NCHW' },
});

function rejects(entry, pattern) {
  assert.throws(() => checkModelEntry(entry, 2), (err) => {
    assert.equal(err.code, 'invalid_model');
    assert.match(err.message, /^models\.json entry 3/);
    assert.match(err.message, pattern);
    assert.ok(!err.message.includes('\n'));
    return true;
  });
}

test('malformed manifest entries are named with the reason', () => {
  assert.equal(checkModelEntry(good()).inputSize.width, 320);
  rejects({ ...good(), id: '' }, /id must be a non-empty string/);
  rejects({ ...good(), file: '../etc/passwd' }, /plain file name/);
  rejects({ ...good(), input: { ...good().input, shape: [1, 3, 320] } }, /shape must be 4 positive integers/);
  rejects({ ...good(), input: { ...good().input, layout: 'CHW' } }, /layout must be NCHW or NHWC/);
  rejects({ ...good(), input: { ...good().input, shape: [1, 4, 320, 320] } }, /3 \(RGB\) channels/);
  rejects({ ...good(), input: { ...good().input, normalization: { mean: [0, 0, 0], std: [1, 0, 1] } } }, /normalization/);
  rejects({ ...good(), output: undefined }, /needs input and output/);
  rejects({ ...good(), sha256: 'abc' }, /sha256 must be 64 hex digits/);
  rejects({ ...good(), refine: { radius: 0, epsilon: 0.1 } }, /refine.radius/);
  assert.throws(() => parseManifest('{"models": ['), /not valid JSON/);
  assert.throws(() => parseManifest({ models: [good(), good()] }), /duplicate id 'subject'/);
  assert.throws(() => parseManifest({}), /"models" array/);
});

test('a user-added entry works like a shipped one (range normalisation, letterbox for strips)', () => {
  const [entry] = parseManifest({ models: [{ ...good(), id: 'mine', input: { ...good().input, normalization: { range: [-1, 1] } } }] }).values();
  const spec = modelInputSpec(entry, 4000, 3000);
  // -1 + v * 2 / 255 == (v / 255 - mean) / std with mean 0.5, std 0.5
  assert.deepEqual([spec.mean[0], spec.std[0], spec.letterbox], [0.5, 0.5, false]);
  assert.equal(modelInputSpec(entry, 3000, 100).letterbox, true);
});

test('missing, truncated, replaced model files are named', async () => {
  const dir = mkdtempSync(`${tmpdir()}/defocus-models-`);
  const bytes = new Uint8Array(1000).map((_, i) => i * 7);
  writeFileSync(`${dir}/m.onnx`, bytes);
  writeFileSync(`${dir}/empty.onnx`, new Uint8Array(0));
  const url = pathToFileURL(`${dir}/`);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const entry = { ...checkModelEntry(good()), sha256, bytes: 1000 };
  assert.equal((await loadModelBytes(entry, url, { read })).length, 1000);
  await assert.rejects(loadModelBytes({ ...entry, file: 'gone.onnx' }, url, { read }), (e) => e.code === 'model_missing' && /gone\.onnx/.test(e.message));
  await assert.rejects(loadModelBytes({ ...entry, file: 'empty.onnx' }, url, { read }), (e) => e.code === 'model_corrupt' && /empty\.onnx is empty/.test(e.message));
  writeFileSync(`${dir}/m.onnx`, bytes.subarray(0, 600));
  await assert.rejects(loadModelBytes(entry, url, { read }), (e) => e.code === 'model_corrupt' && /m\.onnx has 600 bytes/.test(e.message));
  const tampered = bytes.slice();
  tampered[5] ^= 1;
  writeFileSync(`${dir}/m.onnx`, tampered);
  await assert.rejects(loadModelBytes(entry, url, { read }), (e) => e.code === 'model_corrupt' && /m\.onnx fails its sha256 check/.test(e.message));
});
