// The page's background control in real Chromium: transparent (a checkerboard preview, a
// PNG with alpha even when JPEG is picked), a colour, and an image of the user's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { testdataRoot } from '../wasm/fixtures.mjs';
import { afterRender, pageReady, personContext, startBrowserAndServer } from './browser.mjs';

const photos = `${testdataRoot}/photos/`;
let env, page;

// The preview's pixels and the preview matte, as the page has them.
const shown = () => page.evaluate(() => {
  const canvas = document.getElementById('view');
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  return { data: [...data], matte: [...window.defocusPage.photo.previewMatte] };
});

before(async () => {
  env = await startBrowserAndServer();
  const context = await personContext(env, []);
  page = await context.newPage();
  await page.goto(env.baseUrl);
  await pageReady(page);
  await afterRender(page, () => page.setInputFiles('#file', `${photos}cat_chelsea.png`), { timeout: 60_000 });
  await page.check('input[name=view][value=result]', { force: true });
  await page.click('summary:has-text("Background")');
});
after(() => env?.close());

test('transparent: the preview is see-through where the matte is 0, and the export is a PNG with alpha', async () => {
  await afterRender(page, () => page.selectOption('#background', 'transparent'));
  const { data, matte } = await shown();
  let clear = 0, background = 0;
  matte.forEach((a, i) => {
    if (255 * a >= 0.5) return;  // the refined matte is rarely exactly 0: alpha rounds to 0 below 1/510
    background++;
    clear += data[4 * i + 3] === 0;
  });
  console.log(`transparent preview: ${clear} of ${background} background px clear`);
  assert.ok(background > 0.05 * matte.length && clear === background);
  assert.equal(await page.evaluate(() => document.getElementById('view').classList.contains('see-through')), true);
  await page.selectOption('#format', 'jpeg');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  assert.match(download.suggestedFilename(), /\.png$/);
  const png = readFileSync(await download.path());
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  assert.equal(png[25], 6, 'PNG colour type 6: RGBA');
});

test('a colour, then an image of the user\'s, take the background\'s place', async () => {
  await page.evaluate(() => { document.getElementById('background-colour').value = '#3366cc'; });
  await afterRender(page, () => page.selectOption('#background', 'colour'));
  let { data, matte } = await shown();
  let exact = 0, background = 0;
  matte.forEach((a, i) => {
    if (255 * a >= 0.5) return;  // the refined matte is rarely exactly 0: alpha rounds to 0 below 1/510
    background++;
    exact += Math.abs(data[4 * i] - 0x33) <= 1 && Math.abs(data[4 * i + 1] - 0x66) <= 1 && Math.abs(data[4 * i + 2] - 0xcc) <= 1;
  });
  console.log(`colour: ${exact} of ${background} background px are #3366cc`);
  assert.ok(exact === background);
  await page.selectOption('#background', 'image');
  await afterRender(page, () => page.setInputFiles('#background-image', `${photos}mountain_trail.jpg`));
  ({ data, matte } = await shown());
  let blue = 0, opaque = 0;
  matte.forEach((a, i) => {
    if (255 * a >= 0.5) return;  // the refined matte is rarely exactly 0: alpha rounds to 0 below 1/510
    opaque += data[4 * i + 3] === 255;
    blue += Math.abs(data[4 * i] - 0x33) <= 1 && Math.abs(data[4 * i + 2] - 0xcc) <= 1;
  });
  console.log(`image: ${blue} background px still the colour, ${opaque} opaque`);
  assert.ok(blue < 0.01 * background && opaque === background);
  assert.equal(await page.textContent('#background-image-name'), 'mountain_trail.jpg');
});
