// engine.warmUp() runs a small photo through the full-size pipeline so the first real
// photo of a session runs in optimised code (timing is bench/warm-start.js's job). Here:
// it does run the pipeline, keeps nothing, changes no result, and a failed allocation
// inside it is out_of_memory with the engine then working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine, DefocusError } from '../../web/lib/node.js';
import { testdata } from './fixtures.mjs';

// A real photo (1365 x 1074) through openPhoto, refined and rendered as blur() does.
async function portrait(engine) {
  const photo = engine.openPhoto(testdata('photos/paintbrushes.jpg'));
  try {
    const probability = { width: 32, height: 32, data: new Float32Array(32 * 32).map((_, i) => (Math.hypot((i % 32) - 16, (i >> 5) - 18) < 9 ? 1 : 0)) };
    photo.setMatte(probability, {}, true);
    return photo.renderEncoded({ strength: 40 }, { format: 'png' }).bytes;
  } finally {
    photo.dispose();
  }
}

test('warmUp runs the pipeline (hundreds of allocations) and keeps none of its memory', async () => {
  const engine = await loadEngine();
  engine.warmUp();  // the first call may fill the engine's lasting tables (sRGB to linear)
  const allocated = engine.heapStats().allocated;
  const count = engine.testing.allocationCount();
  engine.warmUp();
  const made = engine.testing.allocationCount() - count;
  assert.ok(made >= 100, `warmUp made ${made} allocations: it did not run the pipeline`);
  assert.equal(engine.heapStats().allocated, allocated, 'warmUp left memory allocated');
});

test('a portrait after warmUp is byte-identical to one on a fresh engine', async () => {
  const warmed = await loadEngine();
  warmed.warmUp();
  const fresh = await loadEngine();
  assert.deepEqual(await portrait(warmed), await portrait(fresh));
});

test('an allocation failing inside warmUp is out_of_memory; the next warmUp and portrait work', async () => {
  const engine = await loadEngine();
  const count = engine.testing.allocationCount();
  engine.warmUp();
  const made = engine.testing.allocationCount() - count;
  const clean = await portrait(engine);
  for (const f of [0.05, 0.5, 0.95]) {
    engine.testing.failAllocationAfter(Math.floor(made * f));
    assert.throws(() => engine.warmUp(), (err) => err instanceof DefocusError && err.code === 'out_of_memory', `failure at ${f}`);
    assert.equal(engine.testing.allocationFailurePending(), false);
    engine.warmUp();
    assert.deepEqual(await portrait(engine), clean, `after a failure at ${f}`);
  }
});
