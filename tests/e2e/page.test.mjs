// The page's basics in real Chromium: cross-origin isolation, one-line messages for bad
// files with the page staying usable, and the focus point set from the keyboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pngHeaderOnly, testdataRoot } from '../wasm/fixtures.mjs';
import { pageReady, startWithPage } from './browser.mjs';

const testdata = `${testdataRoot}/photos/`;
let env;
let page;

before(async () => {
  ({ env, page } = await startWithPage());
  await pageReady(page);
});
after(() => env?.close());

const renders = () => page.evaluate(() => window.defocusPage.renders);

test('the page is cross-origin isolated (threads possible)', async () => {
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
});

test('bad files get a one-line reason and the next photo still works', async () => {
  const jpeg = readFileSync(`${testdata}fig_on_plate.jpg`);
  const bad = [
    [{ name: 'notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a photo') }, /^notes\.jpg: not an image/],
    [{ name: 'empty.png', mimeType: 'image/png', buffer: Buffer.alloc(0) }, /^empty\.png: the file is empty/],
    [{ name: 'cut.jpg', mimeType: 'image/jpeg', buffer: jpeg.subarray(0, 4000) }, /^cut\.jpg: .*truncated/],
    [{ name: 'bomb.png', mimeType: 'image/png', buffer: Buffer.from(pngHeaderOnly(60000, 60000)) }, /^bomb\.png: .*(limit|too large)/],
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
  const before = await renders();
  await page.setInputFiles('#file', `${testdata}cat_chelsea.png`);
  await page.waitForFunction((n) => window.defocusPage.renders > n, before, { timeout: 60_000 });
  assert.match(await page.textContent('#caption'), /^451 × 300/);
});

test('the focus point can be set from the keyboard', async () => {
  await page.focus('#view');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowUp');
  const before = await renders();
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => window.defocusPage.renders > n, before);
  const focus = await page.evaluate(() => window.defocusPage.focus);
  assert.deepEqual([focus.x.toFixed(2), focus.y.toFixed(2)], ['0.55', '0.45']);
});
