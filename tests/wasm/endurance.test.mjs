// Endurance: one engine (the public module, portrait model) over a few hundred photos (small
// sizes of every test photo, JPEG and PNG, with bad files and forced out-of-memory failures
// mixed in), pass after pass. The engine's memory must be flat after the first pass: the
// WebAssembly heap does not grow and the bytes malloc has handed out come back to the same
// count (dlmalloc's count is exact), so nothing leaks on the good path or the error paths.
// Memory, not time, is asserted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { createDefocus, DefocusError } from '../../web/lib/node.js';
import { badFiles, testdata, testdataRoot } from './fixtures.mjs';

const passes = 5;
let defocus;
before(async () => {
  defocus = await createDefocus({ model: 'portrait' });
});
after(() => defocus?.dispose());

/** One pass's inputs: {name, bytes, expect: 'ok' | error code | 'oom'}, the same every pass. */
function makeInputs(engine) {
  const inputs = [];
  const photos = readdirSync(`${testdataRoot}/photos`).filter((n) => /\.(jpe?g|png)$/.test(n)).sort();
  for (const [p, name] of photos.entries()) {
    const image = engine.decode(testdata(`photos/${name}`));
    for (const [s, long] of [96, 144, 200, 256, 320].entries()) {
      const scale = long / Math.max(image.width, image.height);
      const small = engine.resize(image, Math.max(8, Math.round(image.width * scale)), Math.max(8, Math.round(image.height * scale)));
      const format = (p + s) % 2 ? 'png' : 'jpeg';
      inputs.push({ name: `${name}@${long}.${format}`, bytes: engine.encode(small, { format, quality: 85 }), expect: 'ok' });
    }
  }
  // Bad files every few photos, and an allocation failure forced inside every seventh render.
  const bad = Object.entries(badFiles());
  const mixed = [];
  for (const [i, input] of inputs.entries()) {
    mixed.push(i % 7 === 3 ? { ...input, expect: 'oom' } : input);
    if (i % 4 === 1) {
      const [name, [bytes, code]] = bad[(i >> 2) % bad.length];
      mixed.push({ name, bytes, expect: code });
    }
  }
  return mixed;
}

test(`one engine over ${passes} passes of photos, bad files and failed allocations: memory flat after the first pass`, async () => {
  const { engine } = defocus;
  const inputs = makeInputs(engine);
  const stats = [];
  const counts = { ok: 0, failed: 0, oom: 0 };
  for (let pass = 0; pass < passes; pass++) {
    for (const input of inputs) {
      // A fresh copy each time: the module's per-input caches must not hide any work.
      const bytes = new Uint8Array(input.bytes);
      const format = input.name.endsWith('png') ? 'png' : 'jpeg';
      if (input.expect === 'oom') {
        // Aimed inside the render + encode: half of their allocations, counted on a clean export.
        const opened = await defocus.open(bytes);
        try {
          const before = engine.testing.allocationCount();
          await opened.export({ format, strength: 60 });
          engine.testing.failAllocationAfter(Math.floor((engine.testing.allocationCount() - before) / 2));
          await assert.rejects(opened.export({ format, strength: 60 }), (err) => err.code === 'out_of_memory', input.name);
          assert.equal(engine.testing.allocationFailurePending(), false, `${input.name}: the failure happened`);
          counts.oom++;
        } finally {
          engine.testing.cancelAllocationFailure();
          await opened.close();
        }
      } else if (input.expect === 'ok') {
        const out = await defocus.blur(bytes, { format, strength: 20 + (counts.ok % 60), style: ['lens', 'gaussian'][counts.ok % 2] });
        assert.ok(out.data.length > 0 && out.width > 0, input.name);
        counts.ok++;
      } else {
        await assert.rejects(defocus.blur(bytes, { format }), (err) => err instanceof DefocusError && err.code === input.expect, input.name);
        counts.failed++;
      }
    }
    stats.push(engine.heapStats());
  }
  const mb = (b) => (b / 2 ** 20).toFixed(2);
  console.log(`${inputs.length} inputs a pass (${counts.ok / passes} photos, ${counts.failed / passes} bad files, ${counts.oom / passes} forced ` +
    `out-of-memory renders) x ${passes} passes; after each pass: ${stats.map((s) => `heap ${mb(s.heapSize)} MB, in use ${s.allocated} B`).join('; ')}`);
  assert.ok(inputs.length * passes >= 300, `${inputs.length * passes} inputs in all`);
  for (const [i, s] of stats.entries()) {
    if (i === 0) continue;
    assert.equal(s.heapSize, stats[0].heapSize, `pass ${i + 1}: the heap grew`);
    assert.equal(s.allocated, stats[0].allocated, `pass ${i + 1}: bytes in use differ from the first pass's`);
  }
});
