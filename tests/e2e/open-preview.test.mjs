// open() in a browser starts from the photo decoded straight to preview size; the full
// size is decoded on the first export. In real Chromium with the default models: the
// preview finds the same subject as a full-size open, and exports are the photo's full size.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { psnr, testdata } from '../wasm/fixtures.mjs';
import { loadEngine } from '../../web/lib/node.js';
import { startWithPage } from './browser.mjs';

let env;
let page;
let engine;

before(async () => {
  engine = await loadEngine();
  ({ env, page } = await startWithPage());
  await page.evaluate(async () => {
    const { createDefocus } = await import('/lib/defocus.js');
    window.progress = [];
    window.defocus = await createDefocus({ onProgress: (p) => window.progress.push(p.stage) });
    // The stages a call went through, in order, each once.
    window.stagesOf = async (call) => {
      window.progress = [];
      const result = await call();
      return { result, stages: [...new Set(window.progress)] };
    };
  });
});
after(() => env?.close());

// Two real photos larger than the preview: a landscape (2572 x 1740) and a portrait
// progressive JPEG (2056 x 3088).
const photos = ['fig_on_plate', 'two_dogs_window'];

test('a photo larger than the preview opens at preview size; its first export decodes the full size, the next does not', async () => {
  const file = testdata('photos/fig_on_plate.jpg');
  const got = await page.evaluate(async (bytes) => {
    const opened = await window.stagesOf(() => window.defocus.open(new Uint8Array(bytes)));
    const photo = opened.result;
    const first = await window.stagesOf(() => photo.export({ strength: 40, format: 'jpeg' }));
    const next = await window.stagesOf(() => photo.export({ strength: 80, format: 'jpeg' }));
    const size = (r) => [r.result.width, r.result.height];
    const out = { size: [photo.width, photo.height], preview: [photo.preview.width, photo.preview.height],
      open: opened.stages, first: first.stages, next: next.stages, firstSize: size(first), nextSize: size(next),
      decodeMs: [first.result.timings.decode, next.result.timings.decode],
      firstBytes: [...new Uint8Array(await first.result.data.arrayBuffer())] };
    await photo.close();
    return out;
  }, [...file]);
  assert.deepEqual(got.size, [2572, 1740]);
  assert.deepEqual(got.preview, [1280, 866]);
  assert.deepEqual(got.open, ['decode', 'segment']);
  assert.deepEqual(got.first, ['decode', 'render', 'encode'], 'the first export did not decode the photo');
  assert.deepEqual(got.next, ['render', 'encode'], 'the second export decoded the photo again');
  assert.ok(got.decodeMs[0] > 0 && got.decodeMs[1] === undefined, `export timings' decode: ${got.decodeMs}`);
  assert.deepEqual(got.firstSize, [2572, 1740]);
  assert.deepEqual(got.nextSize, [2572, 1740]);
  // The export is the photo, blurred: its decode is near the photo where the subject stays.
  const exported = engine.decode(Uint8Array.from(got.firstBytes));
  const original = engine.decode(file);
  assert.deepEqual([exported.width, exported.height], [original.width, original.height]);
  const close = psnr(exported.data, original.data);
  console.log(`export vs photo ${close.toFixed(1)} dB`);
  assert.ok(close > 20 && close < 45, `export vs photo: ${close.toFixed(1)} dB (a blurred background, a sharp subject)`);
});

test('the preview-size open finds the same subject as the full-size one, and exports the same portrait', async () => {
  for (const name of photos) {
    const file = testdata(`photos/${name}.jpg`);
    const got = await page.evaluate(async (bytes) => {
      const blob = new Blob([new Uint8Array(bytes)]);
      const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image', colorSpaceConversion: 'none' });
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      canvas.getContext('2d').drawImage(bitmap, 0, 0);
      const pixels = canvas.getContext('2d').getImageData(0, 0, bitmap.width, bitmap.height);
      const fromFile = await window.stagesOf(() => window.defocus.open(blob));
      const fromPixels = await window.defocus.open(pixels);  // decoded at full size: the engine resizes it
      const exports = [];
      for (const photo of [fromFile.result, fromPixels]) {
        const out = await photo.export({ strength: 60, format: 'png' });
        const shown = await createImageBitmap(out.data);
        const c = new OffscreenCanvas(shown.width, shown.height).getContext('2d');
        c.drawImage(shown, 0, 0);
        exports.push(c.getImageData(0, 0, shown.width, shown.height).data);
      }
      // PSNR over the colour channels (tests/wasm/fixtures.mjs psnr, here in the page).
      let sum = 0;
      const [x, y] = exports;
      for (let i = 0; i < x.length; i++) if ((i & 3) !== 3) sum += (x[i] - y[i]) ** 2;
      const out = { a: [...fromFile.result.previewMatte], b: [...fromPixels.previewMatte],
        same: 10 * Math.log10(255 ** 2 / (sum / (x.length * 0.75))) };
      await fromFile.result.close();
      await fromPixels.close();
      return out;
    }, [...file]);
    let both = 0;
    let either = 0;
    for (let i = 0; i < got.a.length; i++) {
      const x = got.a[i] >= 0.5;
      const y = got.b[i] >= 0.5;
      both += x && y;
      either += x || y;
    }
    const iou = both / either;
    const { same } = got;
    console.log(`${name}: preview mattes IoU ${iou.toFixed(3)}, exports ${same.toFixed(1)} dB apart`);
    assert.ok(iou >= 0.95, `${name}: IoU ${iou.toFixed(3)} between the preview-size and full-size opens' mattes`);
    assert.ok(same >= 35, `${name}: exports ${same.toFixed(1)} dB apart`);
  }
});

test('a photo closed while its first export decodes it: the export rejects, nothing keeps the photo, the engine goes on', async () => {
  const file = testdata('photos/fig_on_plate.jpg');
  const got = await page.evaluate(async (bytes) => {
    // An engine on a worker of the test's own, held at the export's decode (worker.js's hook).
    const { createDefocus } = await import('/lib/defocus.js');
    const worker = new Worker('/lib/worker.js', { type: 'module' });
    const engine = await createDefocus({ model: 'portrait', worker });
    const held = new Promise((resolve) => {
      worker.addEventListener('message', function seen({ data }) {
        if (data.held !== 'decode') return;
        worker.removeEventListener('message', seen);
        resolve();
      });
    });
    const blob = new Blob([new Uint8Array(bytes)]);
    const photo = await engine.open(blob);
    worker.postMessage({ hold: 'decode' });
    const exporting = photo.export({ format: 'jpeg' }).then(() => 'exported', (err) => err.code);
    await held;
    await photo.close();
    worker.postMessage({ release: 'decode' });
    const first = await exporting;
    const next = await engine.open(blob);
    const out = await next.export({ format: 'jpeg' });
    await next.close();
    await engine.dispose();
    return { first, next: [out.width, out.height] };
  }, [...file]);
  assert.equal(got.first, 'invalid_argument', `the export of a closed photo: ${got.first}`);
  assert.deepEqual(got.next, [2572, 1740]);
});
