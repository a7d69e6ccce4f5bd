// The browser's own decoder reads JPEG and opaque PNG in place of the engine's (toImage in
// web/lib/image-input.js), after the engine's checks. In real Chromium: every EXIF
// orientation gives the engine decoder's upright pixels, bad files get the engine's code
// and reason, and the size limit holds before any pixel is decoded. The same for the
// decode straight to preview size that open() starts from (toPreviewImage), and for the
// decode into an engine photo (toEnginePhoto).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { badFiles, psnr, testdata, withExifOrientation } from '../wasm/fixtures.mjs';
import { loadEngine } from '../../web/lib/node.js';
import { toImage, toPreviewImage } from '../../web/lib/image-input.js';
import { startWithPage } from './browser.mjs';

let env;
let page;
let engine;

before(async () => {
  engine = await loadEngine();
  ({ env, page } = await startWithPage());
  await page.evaluate(async () => {
    const { loadEngine } = await import('/lib/load-engine.js');
    const { toImage, toPreviewImage, toEnginePhoto } = await import('/lib/image-input.js');
    const engine = await loadEngine();
    // Counts the browser's decodes (to a bitmap, or to planes by WebCodecs' ImageDecoder),
    // to see which files reach it and by which path.
    const platform = window.createImageBitmap.bind(window);
    window.decodes = { bitmap: 0, imageDecoder: 0 };
    window.createImageBitmap = (...args) => {
      window.decodes.bitmap++;
      return platform(...args);
    };
    window.ImageDecoder = class extends window.ImageDecoder {
      constructor(init) {
        window.decodes.imageDecoder++;
        super(init);
      }
    };
    window.previewHere = async (bytes, maxSide) => {
      try {
        const found = await toPreviewImage(engine, new Uint8Array(bytes), maxSide);
        if (!found) return null;
        const { image, width, height, format, orientation } = found;
        return { width, height, format, orientation, image: { width: image.width, height: image.height, data: [...image.data] } };
      } catch (err) {
        return { error: { name: err.name, code: err.code, message: err.message } };
      }
    };
    // toEnginePhoto through an engine whose photo-making calls are counted ('planes': a JPEG's
    // planes copied into the engine and converted there; 'written': a frame's RGBA copied
    // into the engine in place; 'pixels': pixels copied in from JavaScript); refused: the
    // calls that fail, as in a browser without them; threaded: the threaded build, whose
    // memory is a SharedArrayBuffer.
    const threadedEngine = await loadEngine({ threads: 2 });
    window.enginePhotoHere = async (bytes, refused = [], threaded = false) => {
      const calls = [];
      const used = threaded ? threadedEngine : engine;
      const counted = Object.create(used);
      counted.openPhotoFromPlanes = async (width, height, format, write) => {
        calls.push('planes');
        if (refused.includes('planes')) throw new Error('no planes here');
        return used.openPhotoFromPlanes(width, height, format, write);
      };
      counted.openPhotoWritten = async (width, height, write) => {
        calls.push('written');
        if (refused.includes('written')) throw new Error('no in-place write here');
        return used.openPhotoWritten(width, height, write);
      };
      counted.openPhoto = (source, options) => {
        calls.push('data' in source ? 'pixels' : 'bytes');
        return used.openPhoto(source, options);
      };
      const { photo, decoder } = await toEnginePhoto(counted, new Uint8Array(bytes));
      const { width, height, data } = photo.pixels();
      photo.dispose();
      return { calls, decoder, width, height, data: [...data], threads: used.threads };
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

test('into the engine: an upright JPEG\'s planes are converted there, else a frame written in place, a turned photo copied in; the same pixels each way', async () => {
  const jpeg = photoJpeg();  // 4:4:4, as stb writes at quality 92
  const viaPixels = await decodeInPage(jpeg);  // toImage: the bitmap's pixels in JavaScript
  const here = (bytes, refused, threaded) => page.evaluate(([b, r, t]) => window.enginePhotoHere(b, r, t), [[...bytes], refused, threaded]);
  const planes = await here(jpeg, [], false);
  assert.deepEqual(planes.calls, ['planes'], 'no copy of the pixels through JavaScript');
  assert.deepEqual([planes.width, planes.height, planes.decoder], [240, 160, 'browser']);
  assert.equal(psnr(Uint8Array.from(planes.data), Uint8Array.from(viaPixels.data)), Infinity, 'the bytes of the browser\'s bitmap');
  // Into the threaded build's shared memory too.
  const shared = await here(jpeg, [], true);
  assert.deepEqual([shared.calls, shared.threads], [['planes'], 2]);
  assert.equal(psnr(Uint8Array.from(shared.data), Uint8Array.from(viaPixels.data)), Infinity, 'threaded build');
  // Planes refused: a frame of the bitmap written in place; that refused too: the pixels
  // copied in once. Byte for byte the same.
  const written = await here(jpeg, ['planes'], false);
  assert.deepEqual(written.calls, ['planes', 'written']);
  assert.equal(psnr(Uint8Array.from(written.data), Uint8Array.from(viaPixels.data)), Infinity);
  const fallback = await here(jpeg, ['planes', 'written'], false);
  assert.deepEqual(fallback.calls, ['planes', 'written', 'pixels']);
  assert.equal(psnr(Uint8Array.from(fallback.data), Uint8Array.from(viaPixels.data)), Infinity);
  // A turned photo goes through the canvas, which keeps the turn: upright, 160 x 240.
  const turned = withExifOrientation(jpeg, 6, false);
  const want = engine.decode(turned);
  const got = await here(turned, [], false);
  assert.deepEqual(got.calls, ['pixels']);
  assert.deepEqual([got.width, got.height], [want.width, want.height]);
  const same = psnr(Uint8Array.from(got.data), want.data);
  assert.ok(same >= 38, `orientation 6 into the engine: ${same.toFixed(1)} dB against the engine's decode`);
});

test('a JPEG stored at 4:2:0, as cameras store them: its planes made RGBA in the engine to the bytes of the browser\'s bitmap, with no bitmap made', async () => {
  // stb's writer keeps chroma at half resolution at quality 90 and below. A piece of a real
  // photo, shrunk, so that colour changes from pixel to pixel.
  const jpeg = engine.encode(engine.resize(engine.decode(testdata('photos/fig_on_plate.jpg')), 481, 325), { format: 'jpeg', quality: 85 });
  const viaPixels = await decodeInPage(jpeg);  // the bitmap: libjpeg-turbo's upsampling and colour
  const before = await page.evaluate(() => ({ ...window.decodes }));
  const got = await page.evaluate((b) => window.enginePhotoHere(b), [...jpeg]);
  const after = await page.evaluate(() => ({ ...window.decodes }));
  assert.deepEqual(got.calls, ['planes']);
  assert.deepEqual([after.imageDecoder - before.imageDecoder, after.bitmap - before.bitmap], [1, 0], 'decodes by ImageDecoder, to a bitmap');
  assert.deepEqual([got.width, got.height], [481, 325]);
  const same = psnr(Uint8Array.from(got.data), Uint8Array.from(viaPixels.data));
  const engines = psnr(Uint8Array.from(got.data), engine.decode(jpeg).data);
  console.log(`4:2:0 planes made RGBA in the engine: ${same.toFixed(1)} dB from the browser's bitmap, ${engines.toFixed(1)} dB from stb`);
  // Every byte: the browser's own conversion of the frame (chroma repeated over 2 x 2) is
  // 40 dB away, and a wrong weight or bias of the upsampling shows as a code here and there.
  assert.equal(same, Infinity, `${same.toFixed(1)} dB against the bitmap's pixels`);
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
  const calls = await page.evaluate(() => ({ ...window.decodes }));
  const got = await decodeInPage(jpeg, 38_399);
  assert.equal(got.error?.code, 'too_large', JSON.stringify(got));
  assert.match(got.error.message, /240x160/);
  assert.deepEqual(await page.evaluate(() => window.decodes), calls, 'the browser was asked to decode it');
  const fits = await decodeInPage(jpeg, 38_400);
  assert.equal(fits.decoder, 'browser');
});

test('decoded straight to preview size: every EXIF orientation gives the engine\'s upright photo, resized', async () => {
  const jpeg = photoJpeg();  // 240 x 160
  const upright = engine.decode(jpeg);
  for (let orientation = 1; orientation <= 8; orientation++) {
    const file = withExifOrientation(jpeg, orientation, false);
    const want = engine.decode(file);
    const size = want.width > want.height ? [120, 80] : [80, 120];
    const got = await page.evaluate(([b]) => window.previewHere(b, 120), [[...file]]);
    const what = `orientation ${orientation}`;
    assert.ok(got && !got.error, `${what}: ${JSON.stringify(got?.error ?? got)}`);
    assert.deepEqual([got.width, got.height, got.format, got.orientation], [want.width, want.height, 'jpeg', orientation], what);
    assert.deepEqual([got.image.width, got.image.height], size, what);
    const same = psnr(Uint8Array.from(got.image.data), engine.resize(want, ...size).data);
    assert.ok(same >= 30, `${what}: ${same.toFixed(1)} dB against the engine's decode, resized`);
    if (orientation >= 2 && orientation <= 4) {
      const unturned = psnr(Uint8Array.from(got.image.data), engine.resize(upright, ...size).data);
      assert.ok(unturned < same - 10, `${what}: ${unturned.toFixed(1)} dB against the unturned photo`);
    }
    if (orientation === 6) console.log(`preview, orientation 6: ${same.toFixed(1)} dB`);
  }
  // No smaller than the photo: left to the full-size decode.
  assert.equal(await page.evaluate(([b]) => window.previewHere(b, 240), [[...jpeg]]), null);
});

test('decoded straight to preview size: bad files and the pixel limit answer as the full decode does', async () => {
  for (const [name, [bytes, code]] of Object.entries(badFiles())) {
    const got = await page.evaluate(([b]) => window.previewHere(b, 64), [[...bytes]]);
    const inNode = await toImage(engine, bytes).then(() => null, (err) => ({ name: err.name, code: err.code, message: err.message }));
    assert.deepEqual(got?.error, inNode, name);
    assert.equal(got.error.code, code, name);
  }
  const calls = await page.evaluate(() => window.decodes.bitmap);
  const over = await page.evaluate(([b]) => window.previewHere(b, 64), [[...photoJpeg()]]);
  assert.equal(over.image.width, 64);
  const refused = await page.evaluate(async ([b]) => {
    const { toPreviewImage } = await import('/lib/image-input.js');
    const { loadEngine } = await import('/lib/load-engine.js');
    return toPreviewImage(await loadEngine(), new Uint8Array(b), 64, { maxPixels: 38_399 }).then(() => null, (err) => err.code);
  }, [[...photoJpeg()]]);
  assert.equal(refused, 'too_large');
  assert.equal(await page.evaluate(() => window.decodes.bitmap), calls + 1, 'only the photo that fits was decoded');
});
