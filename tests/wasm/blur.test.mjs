// Blur styles through the WASM module and the JS API: measured shapes, energy, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine, DefocusError } from '../../web/lib/node.js';
import { testdata } from './fixtures.mjs';

const engine = await loadEngine();

/** Black RGBA image with a bright square of `side` pixels at (cx, cy). */
function brightSquare(width, height, cx, cy, side) {
  const data = new Uint8Array(width * height * 4);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  for (let y = cy; y < cy + side; y++) data.fill(255, (y * width + cx) * 4, (y * width + cx + side) * 4);
  return { width, height, data };
}

/** Linear luminance plane of an RGBA8 image. */
function luminance(image) {
  const linear = engine.srgbToLinear(image.data);
  const out = new Float64Array(image.width * image.height);
  for (let i = 0; i < out.length; i++) out[i] = 0.2126 * linear[4 * i] + 0.7152 * linear[4 * i + 1] + 0.0722 * linear[4 * i + 2];
  return out;
}

/** Area-equivalent radius of the pixels brighter than half the peak, and their centroid. */
function spot(plane, width) {
  let peak = 0;
  for (const v of plane) peak = Math.max(peak, v);
  let count = 0, sx = 0, sy = 0;
  plane.forEach((v, i) => {
    if (v > peak / 2) count++, sx += i % width, sy += Math.floor(i / width);
  });
  return { radius: Math.sqrt(count / Math.PI), cx: sx / count, cy: sy / count, peak };
}

// Strength 100 = an 85 mm f/1.4 at 1.5 m on a 36x24 mm frame: the circle of confusion of a
// point at infinity is f^2 / (N (s - f)), as a fraction of the frame diagonal (radius 4.21%).
const fullStrengthFraction = (85 * 85) / (1.4 * (1500 - 85)) / 2 / Math.hypot(36, 24);
const radiusAt = (strength, w, h) => (strength / 100) * fullStrengthFraction * Math.hypot(w, h);

test('lens: a bright point becomes a disc of the strength radius; highlights make it bright', () => {
  const w = 1200, h = 900; // diagonal 1500: strength 100 -> 63 px
  const image = brightSquare(w, h, 600, 450, 3);
  const plain = engine.blur(image, { style: 'lens', strength: 100 });
  const bloomed = engine.blur(image, { style: 'lens', strength: 100, highlightBoost: 40 });
  const a = spot(luminance(plain), w);
  const b = spot(luminance(bloomed), w);
  const expected = radiusAt(100, w, h) + 1; // a 3x3 source adds about a pixel
  assert.ok(Math.abs(b.radius - expected) <= 1.5, `disc radius ${b.radius.toFixed(2)}, expected ${expected}`);
  const fraction = a.radius / Math.hypot(w, h);
  assert.ok(fraction >= 0.04 && fraction <= 0.045, `strength 100: a disc of ${(100 * fraction).toFixed(2)}% of the diagonal`);
  assert.ok(b.peak > 10 * a.peak, `boosted plateau ${b.peak} vs ${a.peak}`);
  assert.ok(Math.hypot(b.cx - 601, b.cy - 451) < 3, 'disc stays where the light was');
});

test('every style keeps the mean light of a photo within 1%', () => {
  const photo = engine.resize(engine.decode(testdata('photos/paintbrushes.jpg')), 683, 537);
  const meanLight = (image) => luminance(image).reduce((s, v) => s + v, 0) / (image.width * image.height);
  const before = meanLight(photo);
  for (const style of ['gaussian', 'lens', 'motion', 'radial']) {
    for (const strength of [10, 60, 100]) {
      const after = meanLight(engine.blur(photo, { style, strength, blades: 6, angle: 30 }));
      assert.ok(Math.abs(after / before - 1) < 0.01, `${style} ${strength}: ${(100 * (after / before - 1)).toFixed(2)}%`);
    }
  }
});

test('stronger blur removes more detail (gradient energy falls with strength)', () => {
  const photo = engine.resize(engine.decode(testdata('photos/cat_chelsea.png')), 451, 300);
  const gradientEnergy = (image) => {
    const l = luminance(image);
    let e = 0;
    for (let y = 0; y < image.height; y++) for (let x = 1; x < image.width; x++) e += (l[y * image.width + x] - l[y * image.width + x - 1]) ** 2;
    return e;
  };
  for (const style of ['gaussian', 'lens']) {
    const energies = [5, 30, 90].map((strength) => gradientEnergy(engine.blur(photo, { style, strength })));
    assert.ok(energies[0] > energies[1] && energies[1] > energies[2], `${style}: ${energies.map((e) => e.toFixed(3))}`);
    assert.ok(energies[2] < gradientEnergy(photo) / 10, `${style}: strength 90 keeps too much detail`);
  }
});

test('bad options give a DefocusError naming the parameter, and the engine keeps working', () => {
  const image = brightSquare(64, 48, 10, 10, 4);
  const cases = [
    [{ strength: 0 }, /strength/], [{ strength: 101 }, /^strength must be in 1\.\.100, got 101$/], [{ strength: Number.NaN }, /strength/],
    [{ style: 'tilt' }, /style/], [{ blades: 2 }, /blades/], [{ blades: 6.5 }, /blades/],
    [{ curvature: 3 }, /curvature/], [{ highlightThreshold: 2 }, /threshold/], [{ highlightBoost: -1 }, /boost/],
    [{ angle: Infinity, style: 'motion' }, /angle/], [{ centerX: 1.1, style: 'radial' }, /^centerX must be a number in 0\.\.1, got 1\.1$/],
    [{ strength: '30' }, /strength must be a number/], [{ sharpness: 1 }, /unknown blur option 'sharpness'/],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => engine.blur(image, options), (err) => err instanceof DefocusError && message.test(err.message),
      JSON.stringify(options));
  }
  assert.throws(() => engine.blur({ ...image, width: 63 }), (err) => err.code === 'invalid_argument');
  assert.equal(engine.blur(image, { strength: 50 }).width, 64);
});

test('repeated blurs do not grow the heap', () => {
  const image = engine.resize(engine.decode(testdata('photos/coffee_cup.png')), 300, 200);
  for (const style of ['gaussian', 'lens', 'motion', 'radial']) engine.blur(image, { style, strength: 70 });
  const before = engine.heapStats();
  for (let i = 0; i < 40; i++) engine.blur(image, { style: ['gaussian', 'lens', 'motion', 'radial'][i % 4], strength: 20 + i });
  const after = engine.heapStats();
  assert.ok(after.heapSize <= before.heapSize, `heap ${before.heapSize} -> ${after.heapSize}`);
  assert.ok(after.allocated <= before.allocated, `allocations ${before.allocated} -> ${after.allocated}`);
});

test('blur into a caller buffer: the same pixels, in that buffer; a wrong size is refused', () => {
  const image = engine.resize(engine.decode(testdata('photos/coffee_cup.png')), 300, 200);
  for (const style of ['gaussian', 'lens', 'motion']) {
    const fresh = engine.blur(image, { style, strength: 40 });
    const output = new Uint8ClampedArray(300 * 200 * 4);
    const into = engine.blur(image, { style, strength: 40 }, output);
    assert.equal(into.data, output);
    assert.equal(into.width, 300);
    assert.deepEqual(new Uint8Array(output.buffer), fresh.data, style);
  }
  assert.throws(() => engine.blur(image, {}, new Uint8Array(10)), (err) => err.code === 'invalid_argument' && /output holds 10 bytes/.test(err.message));
  assert.throws(() => engine.blur(image, {}, [1, 2, 3]), (err) => err.code === 'invalid_argument' && /output must be/.test(err.message));
});
