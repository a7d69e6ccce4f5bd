// Out of memory is an answer, not a crash: an allocation failed inside the engine (with
// the engine's test hook, or for real when the 4 GB heap is full) ends that call with
// DefocusError code out_of_memory, leaves no memory behind, and the same engine then gives
// the normal result of the next call, byte for byte. heapStats reads sizes above 2 GB.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDefocus, loadEngine, DefocusError } from '../../web/lib/node.js';
import { testdata } from './fixtures.mjs';

const engine = await loadEngine();
const photo = engine.resize(engine.decode(testdata('photos/cat_chelsea.png')), 150, 100);
const matte = { width: 150, height: 100, data: new Float32Array(150 * 100).map((_, i) => (i % 150 > 50 && i % 150 < 100 ? 1 : 0)) };

const isOutOfMemory = (err) => err instanceof DefocusError && err.code === 'out_of_memory' && !err.message.includes('\n');

/** Counts `call`'s allocations on a clean (second) run, then fails the allocation at each fraction
 *  of them: every run must throw out_of_memory, and the next clean run match the first. */
function failInside(name, call, same, fractions = [0, 0.1, 0.3, 0.5, 0.7, 0.9, 0.999]) {
  const hooks = engine.testing;
  call();  // warm-up: a session's first render fills caches the later ones reuse
  const before = hooks.allocationCount();
  const clean = call();
  const count = hooks.allocationCount() - before;
  assert.ok(count > 0, `${name} allocates`);
  let answered = 0;
  const allocated = engine.heapStats().allocated;  // with the clean result held in JS, not here
  for (const f of fractions) {
    const k = Math.floor(count * f);
    hooks.failAllocationAfter(k);
    let out;
    try {
      out = call();
    } catch (err) {
      assert.ok(isOutOfMemory(err), `${name}: allocation ${k} of ${count} failed: ${err}`);
      answered++;
    }
    assert.equal(hooks.allocationFailurePending(), false, `${name}: allocation ${k} of ${count} was never made`);
    // A failure the call absorbs (stb probing formats it then rules out) must not change the result.
    if (out) same(out, clean, `${name}: allocation ${k} failed silently`);
    same(call(), clean, `${name} after allocation ${k} failed`);
  }
  assert.ok(answered >= fractions.length - 1, `${name}: ${answered} of ${fractions.length} failures answered out_of_memory`);
  // Nothing a failed call allocated stays behind (dlmalloc's count is exact).
  assert.equal(engine.heapStats().allocated, allocated, `${name}: bytes in use after the failed calls`);
  return count;
}

const samePixels = (a, b, what) => {
  assert.deepEqual([a.width, a.height], [b.width, b.height], what);
  assert.ok(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength)
    .equals(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength)), what);
};
const sameBytes = (a, b, what) => assert.ok(Buffer.from(a).equals(Buffer.from(b)), what);

test('a forced allocation failure anywhere in a call answers out_of_memory; the next call is normal', () => {
  const counts = {};
  for (const style of ['lens', 'gaussian', 'motion', 'radial']) {
    counts[`render ${style}`] = failInside(`render ${style}`, () => engine.render(photo, matte, { style, strength: 60, grain: true }), samePixels);
  }
  const session = engine.preparePortrait(photo, matte);
  counts['session render'] = failInside('session render', () => session.render({ strength: 40 }), samePixels);
  session.dispose();
  counts.preparePortrait = failInside('preparePortrait', () => {
    const s = engine.preparePortrait(photo, matte);
    try {
      return s.render({ strength: 40 });
    } finally {
      s.dispose();
    }
  }, samePixels);
  counts.blur = failInside('blur', () => engine.blur(photo, { strength: 50 }), samePixels);
  const png = engine.encode(photo);
  const jpeg = engine.encode(photo, { format: 'jpeg' });
  counts['decode png'] = failInside('decode png', () => engine.decode(png), samePixels);
  counts['decode jpeg'] = failInside('decode jpeg', () => engine.decode(jpeg), samePixels);
  counts['encode png'] = failInside('encode png', () => engine.encode(photo), sameBytes);
  counts['encode jpeg'] = failInside('encode jpeg', () => engine.encode(photo, { format: 'jpeg' }), sameBytes);
  counts.resize = failInside('resize', () => engine.resize(photo, 77, 201), samePixels);
  const probability = { width: 30, height: 20, data: new Float32Array(600).fill(0.5) };
  counts.refineMatte = failInside('refineMatte', () => engine.refineMatte(photo, probability),
    (a, b, what) => assert.deepEqual(a.data, b.data, what));
  console.log(`allocations per call (each failed at 7 points): ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
});

let defocus;
before(async () => {
  defocus = await createDefocus({ model: 'portrait' });
});
after(() => defocus?.dispose());

test('the module: a failure mid-export rejects with out_of_memory, and the engine renders the next photo', async () => {
  const hooks = defocus.engine.testing;
  const opened = await defocus.open(testdata('photos/astronaut_eileen_collins.png'));
  const before = hooks.allocationCount();
  const reference = await opened.export({ format: 'png', strength: 50 });
  const count = hooks.allocationCount() - before;
  for (const f of [0.05, 0.5, 0.95]) {
    hooks.failAllocationAfter(Math.floor(count * f));
    await assert.rejects(opened.export({ format: 'png', strength: 50 }), isOutOfMemory);
    assert.equal(hooks.allocationFailurePending(), false);
  }
  const again = await opened.export({ format: 'png', strength: 50 });
  sameBytes(again.data, reference.data, 'the same export after the failures');
  await opened.close();
  // And a whole blur of another photo, failing inside its render.
  const next = testdata('photos/coffee_cup.png');
  const clean = await defocus.blur(next, { format: 'png' });
  hooks.failAllocationAfter(0);
  await assert.rejects(defocus.blur(new Uint8Array(next), { format: 'png' }), isOutOfMemory);
  const after = await defocus.blur(new Uint8Array(next), { format: 'png' });
  sameBytes(after.data, clean.data, 'the blur after the failure');
});

test('for real: photos held until the 4 GB heap is full; heapStats reads above 2 GB; the last one answers out_of_memory', () => {
  // 24 MP photos prepared for rendering until the engine refuses one.
  const width = 6000;
  const height = 4000;
  const image = { width, height, data: new Uint8Array(width * height * 4).fill(120) };
  const plane = { width, height, data: new Float32Array(width * height).fill(0.5) };
  const baseline = engine.heapStats().allocated;
  const sessions = [];
  let refused = null;
  let mostHeld = 0;
  try {
    while (!refused && sessions.length < 64) {  // 64: only a bound on the loop; the 4 GB heap ends it first
      try {
        sessions.push(engine.preparePortrait(image, plane));
        mostHeld = Math.max(mostHeld, engine.heapStats().allocated);
      } catch (err) {
        refused = err;
      }
    }
  } finally {
    for (const s of sessions) s.dispose();
  }
  const { heapSize } = engine.heapStats();
  console.log(`${sessions.length} photos of 24 MP held: ${(mostHeld / 2 ** 30).toFixed(2)} GiB in use; heap ${(heapSize / 2 ** 30).toFixed(2)} GiB; ` +
    `then: ${refused?.code} (${refused?.message})`);
  assert.ok(isOutOfMemory(refused), `the photo after ${sessions.length}: ${refused}`);
  assert.ok(mostHeld > 2 ** 31 && mostHeld < 2 ** 32, `allocated read as ${mostHeld}`);
  assert.ok(heapSize > 3 * 2 ** 30 && heapSize <= 2 ** 32, `heapSize read as ${heapSize}`);
  assert.equal(engine.heapStats().allocated, baseline, 'every photo freed');
  samePixels(engine.render(photo, matte, { strength: 40 }), engine.render(photo, matte, { strength: 40 }), 'the engine renders again');
});
