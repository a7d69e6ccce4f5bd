// The page in real Chromium: a photo opened through the file input is decoded by the
// WASM engine and drawn at its real size; a bad file gets a one-line message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startBrowserAndServer } from './browser.mjs';

const testdata = fileURLToPath(new URL('../../../shared/testdata/photos/', import.meta.url));
const artifacts = fileURLToPath(new URL('../../build/test-artifacts/', import.meta.url));
let env;
let page;

before(async () => {
  env = await startBrowserAndServer();
  page = await env.browser.newPage();
  await page.goto(env.baseUrl);
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Engine ready'));
});
after(() => env?.close());

test('the page is cross-origin isolated (threads possible)', async () => {
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
});

test('an opened photo is decoded by the engine and shown at its size', async () => {
  await page.setInputFiles('#file', `${testdata}two_dogs_window.jpg`);
  await page.waitForFunction(() => document.getElementById('caption').textContent !== '');
  assert.match(await page.textContent('#caption'), /^2056 × 3088 jpeg/);
  const canvas = await page.evaluate(() => {
    const c = document.getElementById('preview');
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    for (let i = 0; i < px.length; i += 4) sum += px[i] + px[i + 1] + px[i + 2];
    return { width: c.width, height: c.height, mean: sum / (px.length / 4) / 3 };
  });
  assert.deepEqual([canvas.width, canvas.height], [2056, 3088]);
  assert.ok(canvas.mean > 20 && canvas.mean < 235, `canvas mean ${canvas.mean} looks blank`);
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(`${artifacts}page-decoded.png`, await page.screenshot());
});

test('a bad file gives a one-line reason and the next photo still works', async () => {
  await page.setInputFiles('#file', { name: 'notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a photo') });
  await page.waitForFunction(() => document.getElementById('status').classList.contains('error'));
  assert.match(await page.textContent('#status'), /^notes\.jpg: not an image/);
  await page.setInputFiles('#file', `${testdata}cat_chelsea.png`);
  await page.waitForFunction(() => document.getElementById('caption').textContent.startsWith('451 × 300'));
});
