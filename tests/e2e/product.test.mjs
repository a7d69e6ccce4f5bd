// The page as a person uses it, in real Chromium: open a photo, move the slider, export
// every format, run a batch with a corrupt file, stay on the page's origin, work offline.
// Output pixels are checked against the photo and the page's own matte.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { unzipSync, strFromU8 } from 'fflate';
import { loadEngine } from '../../web/lib/node.js';
import { decodeWebp } from '../wasm/webp.mjs';
import { badFiles, detailEnergy, testdataRoot } from '../wasm/fixtures.mjs';
import { afterRender, foreignRequests, openReadyPage, pageReady, personContext, startBrowserAndServer } from './browser.mjs';
import { createServer, listen } from '../../scripts/serve.js';

const photos = `${testdataRoot}/photos/`;
const artifacts = fileURLToPath(new URL('../../build/test-artifacts/e2e/', import.meta.url));
mkdirSync(artifacts, { recursive: true });

let env;
let engine;
const requests = [];

before(async () => {
  env = await startBrowserAndServer();
  engine = await loadEngine();
});
after(() => env?.close());

const openPage = (context) => openReadyPage(context, env);
const newContext = () => personContext(env, requests);

/** Loads files through the file input and waits for the first preview render. */
function openFiles(page, names) {
  const paths = names.map((name) => (name.includes('/') ? name : `${photos}${name}`));
  return afterRender(page, () => page.setInputFiles('#file', paths));
}

async function setStrength(page, value) {
  const before = await page.evaluate(() => window.defocusPage.renders);
  await page.fill('#strength', String(value));
  await page.waitForFunction((n) => window.defocusPage.renders > n && !document.querySelector('#status.error'), before);
  return page.evaluate(() => window.defocusPage.lastRenderMs);
}

async function downloadFrom(page, selector) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: download.suggestedFilename(), bytes: new Uint8Array(readFileSync(await download.path())) };
}

test('a photo through the page: subject unchanged, background detail falls with strength', async () => {
  const context = await newContext();
  const page = await openPage(context);
  await page.screenshot({ path: `${artifacts}page-before.png`, fullPage: true });
  await openFiles(page, ['two_dogs_window.jpg']);

  const latencies = [];
  for (const value of [10, 40, 70, 100, 20]) latencies.push(await setStrength(page, value));
  console.log(`slider re-render latency (preview ${await page.evaluate(() => document.getElementById('view').width)} px wide): ` +
    `${latencies.map((ms) => ms.toFixed(0)).join(', ')} ms`);

  await page.selectOption('#format', 'png');
  const matteFile = await downloadFrom(page, '#export-matte');
  const soft = await downloadFrom(page, '#export');
  await setStrength(page, 80);
  const strong = await downloadFrom(page, '#export');
  await page.screenshot({ path: `${artifacts}page-after.png`, fullPage: true });

  const original = engine.decode(readFileSync(`${photos}two_dogs_window.jpg`));
  const matte = engine.decode(matteFile.bytes);
  const out20 = engine.decode(soft.bytes);
  const out80 = engine.decode(strong.bytes);
  assert.match(soft.name, /^two_dogs_window-defocus\.png$/);
  for (const img of [matte, out20, out80]) assert.deepEqual([img.width, img.height], [original.width, original.height]);

  const alpha = (i) => matte.data[i * 4] / 255;
  const subject = (i) => alpha(i) > 0.99;
  const background = (i) => alpha(i) < 0.01;
  let diff = 0;
  let n = 0;
  for (let i = 0; i < original.width * original.height; i++) {
    if (!subject(i)) continue;
    for (let c = 0; c < 3; c++) diff += Math.abs(out80.data[i * 4 + c] - original.data[i * 4 + c]);
    n += 3;
  }
  const subjectError = diff / n;
  const before = detailEnergy(original, background);
  const ratio20 = detailEnergy(out20, background).energy / before.energy;
  const ratio80 = detailEnergy(out80, background).energy / before.energy;
  console.log(`subject pixels ${n / 3}, mean |change| ${subjectError.toFixed(3)} codes; background pixels ${before.pixels}: ` +
    `detail energy kept at strength 20 ${(ratio20 * 100).toFixed(2)}%, at 80 ${(ratio80 * 100).toFixed(2)}%`);
  assert.ok(n / 3 > 0.02 * original.width * original.height, 'the matte finds a subject');
  assert.ok(before.pixels > 0.2 * original.width * original.height, 'the matte leaves a background');
  assert.ok(subjectError < 1.0, `subject changed by ${subjectError} codes on average`);
  assert.ok(ratio20 < 0.25, `strength 20 keeps ${ratio20} of the background detail`);
  assert.ok(ratio80 < ratio20 / 2, `strength 80 (${ratio80}) is not much blurrier than 20 (${ratio20})`);
  await context.close();
});

test('click-to-focus moves the sharp plane; the refine brush erases and undo restores', async () => {
  const context = await newContext();
  const page = await openPage(context);
  await openFiles(page, ['astronaut_eileen_collins.png']);
  await page.selectOption('#format', 'png');
  const meanOf = (file) => {
    const image = engine.decode(file.bytes);
    let sum = 0;
    for (let i = 0; i < image.data.length; i += 4) sum += image.data[i];
    return sum / (image.data.length / 4) / 255;
  };
  const mattes = [meanOf(await downloadFrom(page, '#export-matte'))];
  // Erase a stroke across the face, then undo it (the brush folds away until asked for).
  await page.click('summary:has-text("Refine the edge")');
  await page.check('input[name=brush][value=erase]');
  await page.locator('#view').scrollIntoViewIfNeeded();  // back up to the photo to paint on it
  const box = await page.locator('#view').boundingBox();
  await afterRender(page, async () => {
    await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.3);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.65, box.y + box.height * 0.3, { steps: 10 });
    await page.mouse.up();
  });
  mattes.push(meanOf(await downloadFrom(page, '#export-matte')));
  await page.click('#undo');
  mattes.push(meanOf(await downloadFrom(page, '#export-matte')));
  console.log(`matte coverage ${mattes[0].toFixed(4)}, after erasing ${mattes[1].toFixed(4)}, after undo ${mattes[2].toFixed(4)}`);
  assert.ok(mattes[1] < mattes[0] - 0.01, `erasing removed ${mattes[0] - mattes[1]} of the matte`);
  assert.equal(mattes[2], mattes[0]);

  // Focusing on the far background (top right) sharpens it and blurs the subject.
  await page.check('input[name=brush][value=off]');
  await page.fill('#strength', '80');
  const sharpness = async () => {
    const image = engine.decode((await downloadFrom(page, '#export')).bytes);
    const region = (x0, y0) => (i) => {
      const x = i % 512;
      const y = Math.floor(i / 512);
      return x >= x0 && x < x0 + 60 && y >= y0 && y < y0 + 60;
    };
    return { subject: detailEnergy(image, region(200, 150)).energy, corner: detailEnergy(image, region(440, 40)).energy };
  };
  const onSubject = await sharpness();
  await afterRender(page, () => page.locator('#view').click({ position: { x: box.width * 0.92, y: box.height * 0.12 } }));
  const onCorner = await sharpness();
  console.log(`detail (face / top-right corner): focus on subject ${onSubject.subject.toFixed(1)} / ${onSubject.corner.toFixed(1)}, ` +
    `focus on corner ${onCorner.subject.toFixed(1)} / ${onCorner.corner.toFixed(1)}`);
  assert.ok(onCorner.corner > 2 * onSubject.corner, 'the clicked area gets sharper');
  assert.ok(onCorner.subject < onSubject.subject / 2, 'the subject, now off the focal plane, blurs');
  await context.close();
});

test('JPEG, PNG and WebP exports download and decode at full size', async () => {
  const context = await newContext();
  const page = await openPage(context);
  await openFiles(page, ['astronaut_eileen_collins.png']);
  for (const format of ['jpeg', 'png', 'webp']) {
    await page.selectOption('#format', format);
    const file = await downloadFrom(page, '#export');
    const image = format === 'webp' ? await decodeWebp(file.bytes) : engine.decode(file.bytes);
    assert.deepEqual([image.width, image.height], [512, 512], format);
    assert.match(file.name, new RegExp(`-defocus\\.${format === 'jpeg' ? 'jpg' : format}$`));
  }
  await context.close();
});

test('a batch with one corrupt file gives a zip of the others and names the bad one', async () => {
  const context = await newContext();
  const page = await openPage(context);
  const corrupt = `${artifacts}broken.jpg`;
  writeFileSync(corrupt, badFiles()['truncated.jpg'][0]);
  const names = ['astronaut_eileen_collins.png', 'cat_chelsea.png', corrupt, 'coffee_cup.png'];
  await openFiles(page, names);
  await page.selectOption('#format', 'jpeg');
  await page.click('#batch-run');
  await page.waitForSelector('#batch-download:not([hidden])');
  const zip = await downloadFrom(page, '#batch-download');
  const files = unzipSync(zip.bytes);
  const images = Object.keys(files).filter((name) => name.endsWith('.jpg'));
  assert.deepEqual(images.sort(), ['astronaut_eileen_collins-defocus.jpg', 'cat_chelsea-defocus.jpg', 'coffee_cup-defocus.jpg']);
  for (const name of images) assert.ok(engine.decode(files[name]).width > 0, name);
  const errors = strFromU8(files['errors.txt']).trim().split('\n');
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^broken\.jpg: .*truncated/);
  const listed = await page.locator('#batch-errors li').allTextContents();
  assert.equal(listed.length, 1);
  assert.match(listed[0], /^broken\.jpg:/);
  await context.close();
});

test('every request during load, processing and export went to the page origin', () => {
  assert.ok(requests.length > 10, `${requests.length} requests seen`);
  assert.deepEqual(foreignRequests(requests, env.baseUrl), []);
});

test('after one visit the page works offline', async () => {
  const context = await newContext();
  const page = await openPage(context);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await context.setOffline(true);
  await page.reload();
  await pageReady(page);
  assert.ok(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), 'the service worker serves the page');
  await openFiles(page, ['cat_chelsea.png']);
  const file = await downloadFrom(page, '#export');
  assert.equal(engine.decode(file.bytes).width, 451);
  await context.close();
});

test('on a static host without COOP/COEP: one thread, said plainly; the service worker then isolates the page', async () => {
  const server = createServer(undefined, { isolation: false });
  const url = await listen(server, { port: 0, host: '127.0.0.1' });
  const context = await newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
    // First visit: not isolated. The worker installs, takes control and the page reloads once.
    await page.waitForFunction(() => crossOriginIsolated && /^Ready/.test(document.getElementById('status').textContent));
    const status = await page.textContent('#status');
    assert.match(status, /^Ready \(model on [2-9] threads, full-size render on [2-9] threads\)/);
    // A fresh context that cannot install the worker stays on one thread and says so.
    const bare = await env.browser.newContext({ serviceWorkers: 'block' });
    const plain = await bare.newPage();
    await plain.goto(url);
    await pageReady(plain);
    assert.match(await plain.textContent('#status'), /^Ready \(model on 1 thread, full-size render on 1 thread\).*Threads are unavailable/);
    await bare.close();
  } finally {
    await context.close();
    server.close();
  }
});
