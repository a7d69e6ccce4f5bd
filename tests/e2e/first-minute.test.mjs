// The page's first minute, in real Chromium at desktop and phone size: a sample's
// before/after is on the stage at once; the common controls are in view and the rest folds
// away; controls are touch-sized and the photo comes first on a phone; the first photo's
// progress is told in words; dark mode follows the system. Screenshots of each state go to
// build/test-artifacts/page/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadEngine } from '../../web/lib/node.js';
import { psnr } from '../wasm/fixtures.mjs';
import { foreignRequests, pageReady, startBrowserAndServer } from './browser.mjs';

const artifacts = fileURLToPath(new URL('../../build/test-artifacts/page/', import.meta.url));
mkdirSync(artifacts, { recursive: true });
const desktop = { viewport: { width: 1280, height: 900 } };
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

let env;
let engine;
const requests = [];

before(async () => {
  [env, engine] = await Promise.all([startBrowserAndServer(), loadEngine()]);
});
after(() => env?.close());

async function openPage(options) {
  const context = await env.browser.newContext(options);
  context.on('request', (request) => requests.push(request.url()));
  const page = await context.newPage();
  await page.goto(env.baseUrl);
  // The stage is drawn (view.js sizes the canvas once it has a picture).
  await page.waitForFunction(() => document.getElementById('view').style.width !== '');
  return { context, page };
}

/** The canvas's pixels, and a file of the site decoded, as RGBA images. */
const canvasPixels = async (page) => engine.decode(Buffer.from((await page.evaluate(() => document.getElementById('view').toDataURL('image/png'))).split(',')[1], 'base64'));
const siteImage = async (path) => engine.decode(new Uint8Array(await (await fetch(new URL(path, env.baseUrl))).arrayBuffer()));

/** Columns x0..x1 (fractions) of an RGBA image. */
function columns({ width, height, data }, x0, x1) {
  const from = Math.round(x0 * width);
  const to = Math.round(x1 * width);
  const out = new Uint8Array((to - from) * height * 4);
  for (let y = 0; y < height; y++) out.set(data.subarray((y * width + from) * 4, (y * width + to) * 4), y * (to - from) * 4);
  return out;
}

test('the stage opens on a before/after of a sample, from the build, with no photo of yours needed', async () => {
  const { context, page } = await openPage(desktop);
  await page.screenshot({ path: `${artifacts}desktop-first.png` });
  const shown = await canvasPixels(page);
  const [photo, rendered] = await Promise.all([siteImage('samples/astronaut.jpg'), siteImage('samples/after/astronaut.jpg')]);
  assert.deepEqual([shown.width, shown.height], [photo.width, photo.height]);
  // Left of the line the photo, right of it the portrait (the handle sits at 50%).
  const left = psnr(columns(shown, 0, 0.4), columns(photo, 0, 0.4));
  const right = psnr(columns(shown, 0.6, 1), columns(rendered, 0.6, 1));
  const differ = psnr(columns(photo, 0.6, 1), columns(rendered, 0.6, 1));
  console.log(`first view: left vs the photo ${left.toFixed(1)} dB, right vs the portrait ${right.toFixed(1)} dB; ` +
    `photo vs portrait there ${differ.toFixed(1)} dB`);
  assert.ok(left > 40 && right > 40, 'the two halves show the photo and its portrait');
  assert.ok(differ < 32, 'the portrait differs visibly from the photo');
  assert.equal(await page.evaluate(() => document.querySelector('input[name=view]:checked').value), 'compare');
  await context.close();
});

test('the common path is in view and the rest folds away; controls are touch-sized; the photo comes first on a phone', async () => {
  for (const [name, options] of [['desktop', desktop], ['phone', phone]]) {
    const { context, page } = await openPage(options);
    if (name === 'phone') await page.screenshot({ path: `${artifacts}phone-first.png` });
    const visible = async (selector) => page.locator(selector).first().isVisible();
    for (const selector of ['[data-strength="13"]', '[data-strength="100"]', 'input[name=style][value=motion] + span', '#format', '#export', '.sample']) {
      assert.ok(await visible(selector), `${name}: ${selector} is shown`);
    }
    for (const selector of ['#depth', 'input[name=brush][value=erase] + span', '#brush-size', '#undo']) {
      assert.ok(!(await visible(selector)), `${name}: ${selector} is folded away`);
    }
    const small = await page.evaluate(() => [...document.querySelectorAll('button, select, summary, .seg, input[type=range], label.check, #drop, a.button')]
      .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
      .map((el) => ({ what: el.id || el.textContent.trim().slice(0, 20) || el.className, height: el.getBoundingClientRect().height }))
      .filter(({ height }) => height < 43.5));
    assert.deepEqual(small, [], `${name}: controls under 44 px tall`);
    if (name === 'phone') {
      const layout = await page.evaluate(() => {
        const box = (selector) => document.querySelector(selector).getBoundingClientRect();
        return { photo: box('#view'), panel: box('#controls'), samples: box('.samples'), width: document.documentElement.scrollWidth };
      });
      console.log(`phone: photo ${layout.photo.top.toFixed(0)}..${layout.photo.bottom.toFixed(0)} px of 844, ` +
        `samples from ${layout.samples.top.toFixed(0)}, controls from ${layout.panel.top.toFixed(0)}; page ${layout.width} px wide`);
      assert.ok(layout.photo.top < 200 && layout.photo.bottom <= 844, 'the whole photo is above the fold');
      assert.ok(layout.photo.bottom <= layout.samples.top && layout.photo.bottom <= layout.panel.top, 'the photo comes before the rest');
      assert.equal(layout.width, 390, 'nothing is wider than the phone');
    }
    await context.close();
  }
});

test('picking a sample: the first photo is told in stages, then the comparison is live', async () => {
  const { context, page } = await openPage(desktop);
  await page.evaluate(() => {
    window.busyLabels = [];
    const label = document.getElementById('busy-label');
    new MutationObserver(() => window.busyLabels.push(label.textContent)).observe(label, { childList: true, characterData: true, subtree: true });
  });
  await page.click('.sample >> nth=1');  // the dogs
  await page.waitForFunction(() => !document.getElementById('busy').hidden);
  await page.screenshot({ path: `${artifacts}desktop-busy.png` });
  await page.waitForFunction(() => window.defocusPage.renders > 0 && document.getElementById('busy').hidden);
  await page.screenshot({ path: `${artifacts}desktop-photo.png`, fullPage: true });
  const labels = await page.evaluate(() => [...new Set(window.busyLabels)]);
  console.log(`stages shown: ${labels.join(' | ')}`);
  assert.ok(labels.includes('Finding the subject…'), 'the segmentation is named');
  assert.ok(labels.includes('Rendering the blur…'), 'the first render is named');
  assert.match(await page.textContent('#caption'), /^682 × 1024/);
  assert.equal(await page.isDisabled('#export'), false);

  // The compare line follows a drag and the focus stays where it was.
  const box = await page.locator('#view').boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.5, { steps: 5 });
  await page.mouse.up();
  const after = await page.evaluate(() => ({ split: Number(document.getElementById('split').value), focus: window.defocusPage.focus }));
  assert.ok(Math.abs(after.split - 80) <= 2, `split at ${after.split}`);
  assert.equal(after.focus, null);
  await context.close();
});

test('on a phone the first photo opens too, photo first', async () => {
  const { context, page } = await openPage(phone);
  await pageReady(page);
  await page.tap('.sample >> nth=2');  // the cup
  await page.waitForFunction(() => window.defocusPage.renders > 0 && document.getElementById('busy').hidden);
  await page.screenshot({ path: `${artifacts}phone-photo.png`, fullPage: true });
  assert.match(await page.textContent('#caption'), /^600 × 400/);
  await context.close();
});

test('dark mode follows the system', async () => {
  const luminance = (rgb) => {
    const [r, g, b] = rgb.match(/\d+/g).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  };
  const colours = {};
  for (const colorScheme of ['light', 'dark']) {
    const { context, page } = await openPage({ ...desktop, colorScheme });
    if (colorScheme === 'dark') await page.screenshot({ path: `${artifacts}desktop-dark.png` });
    colours[colorScheme] = await page.evaluate(() => ({ background: getComputedStyle(document.body).backgroundColor, text: getComputedStyle(document.body).color,
      panel: getComputedStyle(document.getElementById('controls')).backgroundColor }));
    await context.close();
  }
  console.log(`colours: ${JSON.stringify(colours)}`);
  assert.ok(luminance(colours.light.background) > 0.85 && luminance(colours.light.text) < 0.2);
  assert.ok(luminance(colours.dark.background) < 0.15 && luminance(colours.dark.text) > 0.85);
  assert.ok(luminance(colours.dark.panel) < 0.2);
});

test('nothing was fetched from another origin', () => {
  assert.ok(requests.length > 20);
  assert.deepEqual(foreignRequests(requests, env.baseUrl), []);
});
