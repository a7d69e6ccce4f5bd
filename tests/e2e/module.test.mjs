// The module in a real browser page: every input type, Blob output, progress, and an
// AbortSignal that rejects at once while the worker finishes its stage in the background.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testdata } from '../wasm/fixtures.mjs';
import { startWithPage } from './browser.mjs';
import { declaredMembers } from '../js/declared-api.mjs';

const photo = testdata('photos/coffee_cup.png');
let env;
let page;

before(async () => {
  ({ env, page } = await startWithPage());
  await page.evaluate(async () => {
    const { createDefocus } = await import('/lib/defocus.js');
    window.progress = [];
    window.engine = await createDefocus({ model: 'portrait', onProgress: (p) => window.progress.push(p) });
  });
});
after(() => env?.close());

test('the worker reuses the segmentation when the same photo comes again (each message is a fresh copy)', async () => {
  const segments = await page.evaluate(async (bytes) => {
    const blob = new Blob([new Uint8Array(bytes)], { type: 'image/png' });
    await window.engine.blur(blob, { strength: 20, format: 'png' });
    const before = window.progress.length;
    await window.engine.blur(blob, { strength: 70, format: 'png' });
    return window.progress.slice(before).filter((p) => p.stage === 'segment').length;
  }, [...photo]);
  assert.equal(segments, 0, 'the second blur of the same Blob segmented again');
});

test('Blob, ArrayBuffer, Uint8Array, ImageData and ImageBitmap all give the same portrait', async () => {
  const results = await page.evaluate(async (bytes) => {
    const blob = new Blob([new Uint8Array(bytes)], { type: 'image/png' });
    const bitmap = await createImageBitmap(blob);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    context.drawImage(bitmap, 0, 0);
    const inputs = {
      Blob: blob,
      ArrayBuffer: await blob.arrayBuffer(),
      Uint8Array: new Uint8Array(await blob.arrayBuffer()),
      ImageData: context.getImageData(0, 0, bitmap.width, bitmap.height),
      ImageBitmap: bitmap,
    };
    const out = {};
    for (const [name, input] of Object.entries(inputs)) {
      const result = await window.engine.blur(input, { strength: 50, format: 'png' });
      const shown = await createImageBitmap(result.data);
      const c = new OffscreenCanvas(shown.width, shown.height).getContext('2d');
      c.drawImage(shown, 0, 0);
      const px = c.getImageData(0, 0, shown.width, shown.height).data;
      let hash = 0;
      for (let i = 0; i < px.length; i++) hash = (hash * 31 + px[i]) | 0;
      out[name] = { isBlob: result.data instanceof Blob, type: result.data.type, width: result.width, height: result.height, hash };
    }
    return out;
  }, [...photo]);
  for (const [name, r] of Object.entries(results)) {
    assert.ok(r.isBlob, name);
    assert.equal(r.type, 'image/png', name);
    assert.deepEqual([r.width, r.height], [600, 400], name);
  }
  // Pixels decoded by the engine and by the browser are the same for a PNG: identical output.
  const hashes = new Set(Object.values(results).map((r) => r.hash));
  assert.equal(hashes.size, 1, JSON.stringify(results));
});

test('an abort rejects at once; the engine then serves the next call', async () => {
  const outcome = await page.evaluate(async (bytes) => {
    // A photo the worker has not seen (no cached matte), so the call has real work to cut short.
    const blob = new Blob([new Uint8Array(bytes)], { type: 'image/png' });
    const controller = new AbortController();
    const pending = window.engine.blur(blob, { strength: 80, format: 'jpeg', signal: controller.signal });
    const from = window.progress.length;
    await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    let name = null;
    try {
      await pending;
    } catch (err) {
      name = err.name;
    }
    // The same shape as in Node: the signal's reason, the caller's own when given one.
    const mine = new AbortController();
    const reason = new Error('the user picked another photo');
    const second = window.engine.blur(blob, { strength: 30, format: 'jpeg', signal: mine.signal });
    mine.abort(reason);
    const sameReason = await second.then(() => false, (err) => err === reason);
    // What the worker had reported when the call was answered: it must not have finished.
    const seenAtRejection = window.progress.slice(from).map((p) => `${p.stage} ${p.fraction}`);
    const next = await window.engine.blur(blob, { strength: 20, format: 'jpeg' });
    return { name, sameReason, seenAtRejection, nextWidth: next.width };
  }, [...testdata('photos/astronaut_eileen_collins.png')]);
  console.log(`worker progress when the abort was answered: ${outcome.seenAtRejection.join(', ') || 'none'}`);
  assert.equal(outcome.name, 'AbortError');
  assert.ok(outcome.sameReason, 'rejected with the reason given to abort()');
  assert.ok(!outcome.seenAtRejection.includes('render 1'), 'the call was answered before the worker finished rendering');
  assert.equal(outcome.nextWidth, 512);
});

test('the engine in a worker has exactly the declared members', async () => {
  const members = await page.evaluate(() => Object.keys(window.engine).sort());
  assert.deepEqual(members, declaredMembers('defocus.d.ts', 'WorkerDefocus'));
});

test('a wrong baseUrl fails with file_missing naming the URL tried', async () => {
  const error = await page.evaluate(async () => {
    const { createDefocus } = await import('/lib/defocus.js');
    return createDefocus({ model: 'portrait', baseUrl: '/no-such-folder' }).then(() => null, (err) => ({ name: err.name, code: err.code, message: err.message }));
  });
  assert.equal(error?.name, 'DefocusError');
  assert.equal(error.code, 'file_missing');
  assert.ok(error.message.includes(`${env.baseUrl}no-such-folder/wasm/defocus_engine.wasm`), error.message);
});

test('progress covers fetch model, decode, segment, render and encode', async () => {
  const stages = await page.evaluate(() => [...new Set(window.progress.map((p) => p.stage))]);
  assert.deepEqual(stages, ['fetch model', 'decode', 'segment', 'render', 'encode']);
});
