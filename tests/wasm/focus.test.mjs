// engine.blurRadii and the photo's focus through the WASM engine: on a scene whose left and
// middle background are as sharp as the subject and whose right is blurred by a lens disc,
// reading the focus keeps the sharp parts near the focal plane; geometry alone does not.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from '../../web/lib/node.js';

const W = 480, H = 320;
let engine;
before(async () => { engine = await loadEngine(); });

// Random grey blocks: step edges everywhere.
function blocks(seed) {
  const data = new Uint8Array(W * H * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let v = (seed ^ Math.imul(Math.floor(x / 6), 73856093) ^ Math.imul(Math.floor(y / 6), 19349663)) >>> 0;
      v ^= v >>> 13; v = Math.imul(v, 0x5bd1e995) >>> 0; v ^= v >>> 15;
      const g = 30 + (v & 127) * 1.6;
      data.set([g, 0.85 * g, 0.7 * g + 10, 255], 4 * (y * W + x));
    }
  }
  return { width: W, height: H, data };
}

const blurredFrom = (x) => x >= 320;           // right third: out of focus
const subjectAt = (x, y) => x >= 160 && x < 240 && y >= 100;

function scene() {
  const sharp = blocks(7);
  // A disc of 4 px radius: strength = radius / (4.21% of the diagonal) x 100.
  const strength = (4 / (0.0421 * Math.hypot(W, H))) * 100;
  const soft = engine.blur(sharp, { style: 'lens', strength });
  const person = blocks(99);
  const image = { width: W, height: H, data: new Uint8Array(W * H * 4) };
  const matte = { width: W, height: H, data: new Float32Array(W * H) };
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const from = subjectAt(x, y) ? person : blurredFrom(x) ? soft : sharp;
      image.data.set(from.data.subarray(4 * i, 4 * i + 4), 4 * i);
      matte.data[i] = subjectAt(x, y) ? 1 : 0;
    }
  }
  return { image, matte };
}

// Mean radius of the in-focus background (away from the subject) over the blurred one's.
function inFocusShare(radii) {
  let focused = 0, nf = 0, blurred = 0, nb = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const r = radii.data[y * W + x];
      if (x < 80) focused += r, nf++;
      else if (x >= 400) blurred += r, nb++;
    }
  }
  return (focused / nf) / (blurred / nb);
}

test('blurRadii: reading the focus keeps the sharp background sharp; geometry alone blurs it', () => {
  const { image, matte } = scene();
  const options = { strength: 60, depth: { mode: 'auto' } };
  const read = engine.blurRadii(image, matte, options);
  const geometry = engine.blurRadii(image, matte, { ...options, depth: { mode: 'auto', readFocus: false } });
  assert.deepEqual([read.width, read.height, read.data.length], [W, H, W * H]);
  assert.equal(read.subject, 0, 'focus on the subject');
  const largest = 0.6 * 0.0421 * Math.hypot(W, H);
  assert.ok(read.data.reduce((m, r) => Math.max(m, r), 0) <= largest + 1e-3, 'no radius beyond the strength\'s');
  const a = inFocusShare(read), b = inFocusShare(geometry);
  console.log(`in-focus background radius / blurred background's: focus read ${a.toFixed(2)}, geometry ${b.toFixed(2)}`);
  assert.ok(a < 0.3, `focus read: ${a}`);
  assert.ok(b > 0.6, `geometry: ${b}`);
});

test('blurRadii: a matte of another size is refused with a reason', () => {
  const { image } = scene();
  assert.throws(() => engine.blurRadii(image, { width: 10, height: 10, data: new Float32Array(100) }), /matte.*size|differ/);
  assert.equal(engine.blurRadii(image, { width: W, height: H, data: new Float32Array(W * H) }).width, W);
});
