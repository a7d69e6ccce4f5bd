// The module in a real browser page: every input type, Blob output, progress, and an
// AbortSignal that rejects at once while the worker is held at a stage (no race).
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

test('an abort rejects at once while the worker is busy; the call stops at the next stage; the engine serves the next call', async () => {
  const outcome = await page.evaluate(async (bytes) => {
    // An engine on a worker of the test's own, so the test can hold that worker at a stage
    // (worker.js's hold/release hook) instead of racing it.
    const { createDefocus } = await import('/lib/defocus.js');
    const worker = new Worker('/lib/worker.js', { type: 'module' });
    const progress = [];
    const engine = await createDefocus({ model: 'portrait', worker, onProgress: (p) => progress.push(`${p.stage} ${p.fraction}`) });
    const held = (stage) => new Promise((resolve) => {
      worker.addEventListener('message', function seen({ data }) {
        if (data.held !== stage) return;
        worker.removeEventListener('message', seen);
        resolve();
      });
    });
    const blob = new Blob([new Uint8Array(bytes)], { type: 'image/png' });
    worker.postMessage({ hold: 'render' });
    const reached = held('render');
    const controller = new AbortController();
    const pending = engine.blur(blob, { strength: 80, format: 'jpeg', signal: controller.signal });
    await reached;  // the worker is inside the call, waiting at the start of its render
    controller.abort();
    const name = await pending.then(() => null, (err) => err.name);
    const workerStillHeld = !progress.includes('render 0');  // answered before the worker moved on
    const released = progress.length;
    worker.postMessage({ release: 'render' });
    // The same shape as in Node: the signal's reason, the caller's own when given one.
    const mine = new AbortController();
    const reason = new Error('the user picked another photo');
    const second = engine.blur(blob, { strength: 30, format: 'jpeg', signal: mine.signal });
    mine.abort(reason);
    const sameReason = await second.then(() => false, (err) => err === reason);
    const next = await engine.blur(blob, { strength: 20, format: 'jpeg' });
    // What the aborted call reported after its release, up to the next call's first report
    // (one worker's messages arrive in order, and the aborted call runs on at once on
    // release): it stopped before rendering.
    const after = progress.slice(released);
    const afterAbort = after.slice(0, after.indexOf('decode 0'));
    await engine.dispose();
    return { name, workerStillHeld, sameReason, afterAbort, next: [next.width, next.height], nextRendered: after.includes('render 1') };
  }, [...testdata('photos/astronaut_eileen_collins.png')]);
  console.log(`progress of the aborted call after its release: ${outcome.afterAbort.join(', ') || 'none'}`);
  assert.equal(outcome.name, 'AbortError');
  assert.ok(outcome.workerStillHeld, 'the worker reported render progress while held');
  assert.ok(outcome.sameReason, 'rejected with the reason given to abort()');
  assert.ok(!outcome.afterAbort.some((p) => p.startsWith('render') || p.startsWith('encode')), outcome.afterAbort.join(', '));
  assert.ok(outcome.nextRendered);
  assert.deepEqual(outcome.next, [512, 512]);
});

test("blur()'s PNG is the engine's render byte for byte, drawn to the encoder in bands of rows", async () => {
  const out = await page.evaluate(async () => {
    // 600 x 1000: a band is 436 rows at this width (encode.js), so two whole bands and a short last one.
    const width = 600, height = 1000;
    const data = new Uint8ClampedArray(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = 4 * (y * width + x);
        data[i] = (x * 3 + y) & 255, data[i + 1] = (x ^ y) & 255, data[i + 2] = (y * 7) & 255, data[i + 3] = 255;
        if (Math.hypot(x - 300, y - 450) < 180) data[i] = data[i + 1] = 40;  // something to find
      }
    }
    const image = new ImageData(data, width, height);
    const options = { strength: 60, depth: { mode: 'auto' } };
    const result = await window.engine.blur(image, { ...options, format: 'png', matte: true });
    const rendered = await window.engine.render(image, { width, height, data: result.matte }, options);
    const bitmap = await createImageBitmap(result.data, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
    const context = new OffscreenCanvas(width, height).getContext('2d');
    context.drawImage(bitmap, 0, 0);
    const decoded = context.getImageData(0, 0, width, height).data;
    const rowsDiffering = new Set();
    for (let i = 0; i < decoded.length; i++) if (decoded[i] !== rendered.data[i]) rowsDiffering.add(Math.floor(i / (4 * width)));
    let changed = 0;  // the blur did something: the render is not the photo
    for (let i = 0; i < data.length; i++) changed += data[i] !== rendered.data[i];
    return { size: [result.width, result.height], rowsDiffering: [...rowsDiffering].slice(0, 5), count: rowsDiffering.size, changed };
  });
  assert.deepEqual(out.size, [600, 1000]);
  assert.ok(out.changed > 100000, `the render changed ${out.changed} bytes of the photo`);
  assert.equal(out.count, 0, `rows that differ from the render, first ones: ${out.rowsDiffering}`);
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
  // The dev server isolates the page: the threaded build's glue is the first file tried.
  assert.ok(error.message.includes(`${env.baseUrl}no-such-folder/wasm/defocus_engine_threads.js`), error.message);
});

test('progress covers fetch model, decode, segment, render and encode', async () => {
  const stages = await page.evaluate(() => [...new Set(window.progress.map((p) => p.stage))]);
  assert.deepEqual(stages, ['fetch model', 'decode', 'segment', 'render', 'encode']);
});
