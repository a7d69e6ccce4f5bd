// The README's embedding example, exactly as written, on a site that hosts web/ under
// /defocus/: it must load from there, run, and show the portrait.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { testdataRoot } from '../wasm/fixtures.mjs';
import { startEmbeddingSite } from './browser.mjs';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const photo = `${testdataRoot}/photos/cat_chelsea.png`;
let site;
after(() => site?.close());

function embeddingExample() {
  const section = readme.slice(readme.indexOf('### Without a bundler'));
  const match = section.match(/```html\n([\s\S]*?)```/);
  assert.ok(match, 'the README has an html example under "Without a bundler"');
  return match[1];
}

test('the README embedding example works as written from a /defocus/ folder', async () => {
  site = await startEmbeddingSite({
    'index.html': `<!doctype html><meta charset="utf-8"><title>embed</title>\n${embeddingExample()}`,
  });
  const { baseUrl } = site;
  const page = await site.browser.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('response', (response) => {
    // The test's own site has no favicon; every file the module asks for must exist.
    if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) errors.push(`${response.status()} ${response.url()}`);
  });
  const requests = [];
  page.on('request', (request) => request.url().startsWith('blob:') || requests.push(new URL(request.url()).pathname));
  await page.goto(baseUrl);
  await page.setInputFiles('#photo', photo);
  await page.waitForFunction(() => document.getElementById('portrait').naturalWidth > 0)
    .catch((err) => assert.fail(`${err.message}; page errors: ${errors.join(' | ')}`));
  const shown = await page.evaluate(() => {
    const img = document.getElementById('portrait');
    return { width: img.naturalWidth, height: img.naturalHeight, progress: document.getElementById('progress').value };
  });
  assert.deepEqual(errors, []);
  assert.deepEqual([shown.width, shown.height], [451, 300]);
  assert.equal(shown.progress, 1);
  assert.ok(requests.every((path) => path === '/' || path.startsWith('/defocus/')), `requests: ${requests.join(', ')}`);
});

test('a baseUrl folder without ONNX Runtime fails naming the runtime file it tried', async () => {
  // The engine and the models are there, vendor/ort/ is not.
  const web = fileURLToPath(new URL('../../web/', import.meta.url));
  mkdirSync(`${site.root}/partial`);
  for (const folder of ['wasm', 'models']) symlinkSync(`${web}${folder}`, `${site.root}/partial/${folder}`);
  const page = await site.browser.newPage();
  await page.goto(site.baseUrl);
  const error = await page.evaluate(async () => {
    const { createDefocus } = await import('/defocus/lib/defocus.js');
    return createDefocus({ model: 'portrait', baseUrl: '/partial/' }).then(() => null, (err) => ({ code: err.code, message: err.message }));
  });
  assert.equal(error?.code, 'file_missing');
  assert.ok(error.message.includes(`${site.baseUrl}partial/vendor/ort/`), error.message);
});

test('baseUrl without its trailing slash still names the folder', async () => {
  const page = await site.browser.newPage();
  await page.goto(site.baseUrl);
  const out = await page.evaluate(async () => {
    const { createDefocus } = await import('/defocus/lib/defocus.js');
    const defocus = await createDefocus({ model: 'portrait', baseUrl: '/defocus' });
    const result = await defocus.segment({ width: 64, height: 48, data: new Uint8Array(64 * 48 * 4).fill(200) });
    await defocus.dispose();
    return { width: result.width, height: result.height };
  });
  assert.deepEqual(out, { width: 64, height: 48 });
});
