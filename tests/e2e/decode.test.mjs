// The browser's own decoder reads JPEG and opaque PNG in place of the engine's (toImage in
// web/lib/image-input.js), after the engine's checks. In real Chromium: every EXIF
// orientation gives the engine decoder's upright pixels, bad files get the engine's code
// and reason, and the size limit holds before any pixel is decoded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { badFiles, psnr, testdata, withExifOrientation } from '../wasm/fixtures.mjs';
import { loadEngine } from '../../web/lib/node.js';
import { toImage } from '../../web/lib/image-input.js';
import { startWithPage } from './browser.mjs';

let env;
let page;
let engine;

before(async () => {
  engine = await loadEngine();
  ({ env, page } = await startWithPage());
  await page.evaluate(async () => {
    const { loadEngine } = await import('/lib/load-engine.js');
    const { toImage } = await import('/lib/image-input.js');
    const engine = await loadEngine();
    // Counts the browser's decodes, to see which files reach it.
    const platform = window.createImageBitmap.bind(window);
    window.bitmapCalls = 0;
    window.createImageBitmap = (...args) => {
      window.bitmapCalls++;
      return platform(...args);
    };
    // What the module's decode stage does with a file's bytes, answered as plain data.
    window.decodeHere = async (bytes, maxPixels) => {
      try {
        const image = await toImage(engine, new Uint8Array(bytes), maxPixels ? { maxPixels } : undefined);
        return { width: image.width, height: image.height, data: [...image.data], decoder: image.decoder,
          format: image.format, orientation: image.orientation };
      } catch (err) {
        return { error: { name: err.name, code: err.code, message: err.message } };
      }
    };
  });
});
after(() => env?.close());

const decodeInPage = (bytes, maxPixels) => page.evaluate(([b, m]) => window.decodeHere(b, m), [[...bytes], maxPixels]);

// A 240 x 160 piece of a real photo (not square, so a quarter turn changes the shape),
// stored as a JPEG by the engine's encoder.
function photoJpeg() {
  const photo = engine.decode(testdata('photos/paintbrushes.jpg'));
  const small = engine.resize(photo, 240, 160);
  return engine.encode(small, { format: 'jpeg', quality: 92 });
}

test('all 8 EXIF orientations: the browser decodes the same upright pixels as the engine', async () => {
  const jpeg = photoJpeg();
  const upright = engine.decode(jpeg);
  for (let orientation = 1; orientation <= 8; orientation++) {
    for (const bigEndian of [false, true]) {
      const file = withExifOrientation(jpeg, orientation, bigEndian);
      const want = engine.decode(file);
      const got = await decodeInPage(file);
      const what = `orientation ${orientation}${bigEndian ? ' (big-endian Exif)' : ''}`;
      assert.equal(got.error, undefined, `${what}: ${JSON.stringify(got.error)}`);
      assert.equal(got.decoder, 'browser', `${what}: the engine decoded it, not the browser`);
      assert.deepEqual([got.width, got.height, got.format, got.orientation], [want.width, want.height, 'jpeg', orientation], what);
      const same = psnr(Uint8Array.from(got.data), want.data);
      // Two JPEG decoders agree to rounding (upsampling and IDCT differ slightly).
      assert.ok(same >= 38, `${what}: ${same.toFixed(1)} dB against the engine's decode`);
      if (orientation !== 1 && !bigEndian) {
        // Not merely the same photo: unturned, it is far from the engine's upright one.
        const unturned = orientation >= 5 ? null : psnr(Uint8Array.from(got.data), upright.data);
        if (unturned !== null) assert.ok(unturned < same - 15, `${what}: ${unturned.toFixed(1)} dB against the unturned photo`);
      }
      if (orientation === 6 && !bigEndian) console.log(`orientation 6: browser vs engine ${same.toFixed(1)} dB`);
    }
  }
});

test('an opaque PNG is decoded by the browser to exactly the engine\'s pixels; one with alpha by the engine', async () => {
  const png = testdata('photos/coffee_cup.png');
  const want = engine.decode(png);
  const got = await decodeInPage(png);
  assert.equal(got.decoder, 'browser');
  assert.equal(psnr(Uint8Array.from(got.data), want.data), Infinity);
  // Partly transparent pixels: a canvas would premultiply them, so the engine keeps them.
  const rgba = { width: 64, height: 48, data: new Uint8Array(64 * 48 * 4).map((_, i) => (i % 4 === 3 ? (i >> 2) % 256 : (i * 7) % 256)) };
  const alpha = engine.encode(rgba, { format: 'png' });
  const decoded = await decodeInPage(alpha);
  assert.equal(decoded.decoder, 'engine');
  assert.deepEqual(Uint8Array.from(decoded.data), rgba.data);
});

test('bad files: the same code and one-line reason as in Node (the engine decoder); the next photo decodes', async () => {
  for (const [name, [bytes, code]] of Object.entries(badFiles())) {
    const inNode = await toImage(engine, bytes).then(() => null, (err) => ({ name: err.name, code: err.code, message: err.message }));
    const got = await decodeInPage(bytes);
    assert.deepEqual(got.error, inNode, name);
    assert.equal(got.error.code, code, name);
    assert.ok(!got.error.message.includes('\n'), name);
  }
  const next = await decodeInPage(photoJpeg());
  assert.equal(next.decoder, 'browser');
  assert.deepEqual([next.width, next.height], [240, 160]);
});

test('the pixel limit is checked from the header: a JPEG over maxPixels is refused before decoding', async () => {
  const jpeg = photoJpeg();  // 38,400 pixels
  const calls = await page.evaluate(() => window.bitmapCalls);
  const got = await decodeInPage(jpeg, 38_399);
  assert.equal(got.error?.code, 'too_large', JSON.stringify(got));
  assert.match(got.error.message, /240x160/);
  assert.equal(await page.evaluate(() => window.bitmapCalls), calls, 'the browser was asked to decode it');
  const fits = await decodeInPage(jpeg, 38_400);
  assert.equal(fits.decoder, 'browser');
});
