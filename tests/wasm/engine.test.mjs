// The WASM module in Node: same engine, through the Embind bindings and the JS loader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine, DefocusError } from '../../web/lib/node.js';
import { badFiles, quadrantImage, withExifOrientation, testdata } from './fixtures.mjs';

const engine = await loadEngine();
const goodPhoto = testdata('photos/paintbrushes.jpg'); // 1365x1074

function assertDecodesGoodPhoto() {
  const image = engine.decode(goodPhoto);
  assert.equal(image.width, 1365);
  assert.equal(image.height, 1074);
}

function assertFailsWith(bytes, code, options) {
  assert.throws(() => engine.decode(bytes, options), (err) => {
    assert.ok(err instanceof DefocusError, `expected DefocusError, got ${err}`);
    assert.equal(err.code, code, err.message);
    assert.ok(err.message.length > 0 && !err.message.includes('\n'));
    return true;
  });
  assertDecodesGoodPhoto();
}

test('sRGB -> linear -> sRGB is exact for all 256 values', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  const linear = engine.srgbToLinear(all);
  assert.ok(linear instanceof Float32Array);
  assert.ok(Math.abs(linear[128] - 0.2158605) < 1e-6);
  assert.deepEqual(engine.linearToSrgb(linear), all);
});

test('real photos decode at their sizes, grayscale becomes grey RGBA', () => {
  const dogs = engine.decode(testdata('photos/two_dogs_window.jpg'));
  assert.deepEqual([dogs.width, dogs.height, dogs.format], [2056, 3088, 'jpeg']);
  const gray = engine.decode(testdata('photos/cameraman_grayscale.png'));
  assert.equal(gray.format, 'png');
  for (let i = 0; i < gray.data.length; i += 4) {
    if (gray.data[i] !== gray.data[i + 1] || gray.data[i] !== gray.data[i + 2] || gray.data[i + 3] !== 255) {
      assert.fail(`pixel ${i / 4} is not opaque grey`);
    }
  }
});

test('EXIF orientations 1..8 give upright pixels', () => {
  const base = engine.encode(quadrantImage(64, 32), { format: 'jpeg', quality: 95 });
  // Display position of the stored red corner (0,0), per EXIF 2.3's table of where row 0
  // and column 0 end up: [right?, bottom?].
  const redCorner = { 1: [0, 0], 2: [1, 0], 3: [1, 1], 4: [0, 1], 5: [0, 0], 6: [1, 0], 7: [1, 1], 8: [0, 1] };
  for (let o = 1; o <= 8; o++) {
    for (const bigEndian of [false, true]) {
      const image = engine.decode(withExifOrientation(base, o, bigEndian));
      assert.equal(image.orientation, o);
      assert.deepEqual([image.width, image.height], o >= 5 ? [32, 64] : [64, 32], `orientation ${o} size`);
      const [right, bottom] = redCorner[o];
      const x = right ? image.width - 4 : 3;
      const y = bottom ? image.height - 4 : 3;
      const p = image.data.subarray((y * image.width + x) * 4);
      assert.ok(p[0] > 200 && p[1] < 60 && p[2] < 60, `orientation ${o}: red corner not at ${right},${bottom}`);
    }
  }
});

test('bad input: empty, not an image, truncated, corrupt, huge header, unsupported', () => {
  const { 'bomb.png': [bomb, bombCode], ...others } = badFiles();
  // The huge header first, so the heap it must not grow is the heap before any bad file.
  const before = engine.heapStats().heapSize;
  assertFailsWith(bomb, bombCode);
  assert.equal(engine.heapStats().heapSize, before, 'a huge header must not grow the heap');
  for (const [bytes, code] of Object.values(others)) assertFailsWith(bytes, code);
  const png = testdata('photos/cat_chelsea.png');
  assertFailsWith(png.subarray(0, png.length - 100), 'truncated');
  assertFailsWith(goodPhoto, 'too_large', { maxPixels: 1_000_000 });
  assertFailsWith(new Uint8Array([...new TextEncoder().encode('RIFF\x10\0\0\0WEBPVP8 '), ...new Uint8Array(32)]), 'unsupported');
});

test('bad arguments name the parameter', () => {
  const image = quadrantImage(4, 4);
  assert.throws(() => engine.encode(image, { format: 'jpeg', quality: 0 }), /quality/);
  assert.throws(() => engine.encode(image, { format: 'gif' }), (e) => e.code === 'unsupported');
  assert.throws(() => engine.encode({ ...image, width: 5 }), (e) => e.code === 'invalid_argument');
  assert.throws(() => engine.resize(image, 0, 4), /width/);
  assert.throws(() => engine.decode('not bytes'), (e) => e.code === 'invalid_argument');
  assert.throws(() => engine.decode(goodPhoto, { maxPixels: Number.NaN }), /maxPixels/);
});

test('downscale preserves mean linear energy within 0.5%', () => {
  const photo = engine.decode(testdata('photos/mountain_trail.jpg')); // 3264x2448
  const meanEnergy = (image) => {
    const linear = engine.srgbToLinear(image.data);
    let sum = 0;
    for (let i = 0; i < linear.length; i += 4) sum += linear[i] + linear[i + 1] + linear[i + 2];
    return sum / (linear.length / 4);
  };
  const before = meanEnergy(photo);
  for (const [w, h] of [[1632, 1224], [1000, 750], [317, 211]]) {
    const small = engine.resize(photo, w, h);
    assert.deepEqual([small.width, small.height], [w, h]);
    const drift = Math.abs(meanEnergy(small) - before) / before;
    // 8-bit output quantisation bounds this, not the filter: it is exact in float.
    assert.ok(drift < 0.005, `${w}x${h}: mean energy drifted ${(drift * 100).toFixed(3)}%`);
  }
});

test('1,000 decode/encode cycles leave the heap no larger than after the first 10', () => {
  const photo = engine.encode(engine.resize(engine.decode(testdata('photos/cat_chelsea.png')), 160, 107), { format: 'jpeg' });
  const truncated = photo.subarray(0, photo.length >> 1);
  const cycle = (i) => {
    const image = engine.decode(photo);
    engine.encode(image, i % 2 ? { format: 'png' } : { format: 'jpeg', quality: 80 });
    if (i % 10 === 0) assert.throws(() => engine.decode(truncated), DefocusError); // error paths too
  };
  for (let i = 0; i < 10; i++) cycle(i);
  const after10 = engine.heapStats();
  for (let i = 10; i < 1000; i++) cycle(i);
  const after1000 = engine.heapStats();
  assert.ok(after1000.heapSize <= after10.heapSize, `heap grew ${after10.heapSize} -> ${after1000.heapSize}`);
  assert.ok(after1000.allocated <= after10.allocated, `live allocations grew ${after10.allocated} -> ${after1000.allocated}`);
});
