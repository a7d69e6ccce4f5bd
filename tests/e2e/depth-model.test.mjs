// The depth-model slot in a browser: a user's ONNX depth model (the tiny one the tests
// build), named by URL in createDefocus(), runs in the worker and drives the blur.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { brightnessDepthModel, detail, entryFor, halves } from '../wasm/depth-fixtures.mjs';
import { startEmbeddingSite } from './browser.mjs';

let site;
after(() => site?.close());

test('a depth model from the page blurs the far side more than the near side', async () => {
  // The site: the module under /defocus/ and the user's model beside it.
  site = await startEmbeddingSite({
    'tiny-depth.onnx': brightnessDepthModel(32),
    'index.html': '<!doctype html><meta charset="utf-8"><title>depth</title>',
  });
  const { baseUrl } = site;
  const page = await site.browser.newPage();
  await page.goto(baseUrl);
  const photo = halves(320, 240);
  const out = await page.evaluate(async ({ entry, photo }) => {
    const { createDefocus } = await import('/defocus/lib/defocus.js');
    const defocus = await createDefocus({ model: 'portrait', depthModel: entry });
    const image = { width: photo.width, height: photo.height, data: new Uint8Array(photo.data) };
    // Strength 50 (~f/2.8): at 100 (f/1.4) the seam between the halves reaches the measured columns.
    const result = await defocus.blur(image, { strength: 50, format: 'png' });
    const bitmap = await createImageBitmap(result.data);
    const context = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
    context.drawImage(bitmap, 0, 0);
    await defocus.dispose();
    return { width: bitmap.width, height: bitmap.height, data: [...context.getImageData(0, 0, bitmap.width, bitmap.height).data] };
  }, { entry: entryFor(new URL('tiny-depth.onnx', baseUrl).href, 32), photo: { ...photo, data: [...photo.data] } });
  const image = { ...out, data: Uint8Array.from(out.data) };
  const [near, far] = [detail(image, 10, 150), detail(image, 170, 310)];
  const [nearIn, farIn] = [detail(photo, 10, 150), detail(photo, 170, 310)];
  console.log(`detail near / far: photo ${nearIn.toFixed(2)} / ${farIn.toFixed(2)}, with the depth model ${near.toFixed(2)} / ${far.toFixed(2)}`);
  assert.ok(far < near * 0.7, 'the far (bright) side blurs more');
});
