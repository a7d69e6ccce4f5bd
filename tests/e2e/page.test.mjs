// The page's basics in real Chromium: cross-origin isolation, one-line messages for bad
// files with the page staying usable, and the focus point set from the keyboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { badFiles, testdataRoot } from '../wasm/fixtures.mjs';
import { afterRender, pageReady, startWithPage } from './browser.mjs';

const testdata = `${testdataRoot}/photos/`;
let env;
let page;

before(async () => {
  ({ env, page } = await startWithPage());
  await pageReady(page);
});
after(() => env?.close());

test('the page is cross-origin isolated, and says how many threads the model and the full-size render use', async () => {
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  await page.waitForFunction(() => /^Ready/.test(document.getElementById('status').textContent), null, { timeout: 300_000 });
  const threads = (n) => `${n} thread${n > 1 ? 's' : ''}`;
  const want = `Ready (model on ${threads(Math.min(4, cores))}, full-size render on ${threads(Math.min(2, cores))}).`;
  assert.ok((await page.textContent('#status')).startsWith(want), `status: ${await page.textContent('#status')}`);
});

test('bad files get a one-line reason and the next photo still works', async () => {
  const files = badFiles();
  const asFile = (name, mimeType) => ({ name, mimeType, buffer: Buffer.from(files[name][0]) });
  const bad = [
    [asFile('notes.jpg', 'image/jpeg'), /^notes\.jpg: not an image/],
    [asFile('empty.png', 'image/png'), /^empty\.png: the file is empty/],
    [asFile('truncated.jpg', 'image/jpeg'), /^truncated\.jpg: .*truncated/],
    [asFile('bomb.png', 'image/png'), /^bomb\.png: .*(limit|too large)/],
  ];
  for (const [file, message] of bad) {
    await page.setInputFiles('#file', file);
    await page.waitForFunction((name) => {
      const status = document.getElementById('status');
      return status.classList.contains('error') && status.textContent.startsWith(name);
    }, file.name);
    const text = await page.textContent('#status');
    assert.match(text, message);
    assert.ok(!text.includes('\n'), text);
  }
  await afterRender(page, () => page.setInputFiles('#file', `${testdata}cat_chelsea.png`));
  assert.match(await page.textContent('#caption'), /^451 × 300/);
});

test('the focus point can be set from the keyboard', async () => {
  await page.focus('#view');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowUp');
  await afterRender(page, () => page.keyboard.press('Enter'));
  const focus = await page.evaluate(() => window.defocusPage.focus);
  assert.deepEqual([focus.x.toFixed(2), focus.y.toFixed(2)], ['0.55', '0.45']);
});
