// The matte an engine photo keeps is 16 bits (engine/include/defocus/alpha16.h: 2 bytes a
// pixel less through a full-size render). What JavaScript sees does not change: photo.matte()
// is still a Float32Array plane, within half a step (1/131070) of the refined matte; and a
// full-size render of the photo is the render of that plane given as floats.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from '../../web/lib/node.js';
import { testdata } from './fixtures.mjs';

const probability = {
  width: 32, height: 32,
  data: new Float32Array(32 * 32).map((_, i) => Math.min(1, Math.max(0, 9.5 - Math.hypot((i % 32) - 16, (i >> 5) - 18)))),
};
const refine = { workingSize: 512, radius: 3, epsilon: 1e-3 };

test("a photo's matte is a Float32Array within half a 16-bit step of the refined matte", async () => {
  const engine = await loadEngine();
  const image = engine.decode(testdata('photos/paintbrushes.jpg'));
  const photo = engine.openPhoto(image);
  try {
    photo.setMatte(probability, refine, true);
    const kept = photo.matte();
    const refined = engine.refineMatte(image, probability, refine);
    assert.ok(kept.data instanceof Float32Array);
    assert.equal(kept.width, image.width);
    assert.equal(kept.height, image.height);
    let worst = 0, offStep = 0, soft = 0;
    for (let i = 0; i < kept.data.length; i++) {
      const v = kept.data[i];
      worst = Math.max(worst, Math.abs(v - Math.min(1, Math.max(0, refined.data[i]))));
      offStep += Math.abs(v * 65535 - Math.round(v * 65535)) > 0.01;  // a float step is within 0.002 of one
      soft += v > 0 && v < 1;
    }
    assert.ok(soft > 1000, `${soft} soft pixels: the matte has no edge to test`);
    assert.ok(worst <= 0.5 / 65535 + 1e-7, `off by ${worst}`);
    // Kept in 16 bits: every value is a step (a float matte kept as it is fails here).
    assert.equal(offStep, 0, `${offStep} values between steps`);
  } finally {
    photo.dispose();
  }
});

test("a full-size render from the 16-bit matte is the render of its floats", async () => {
  const engine = await loadEngine();
  const small = engine.decode(testdata('photos/paintbrushes.jpg'));
  const image = engine.resize(small, 2900, 2282);  // 6.6 MP: over the whole-image limit, in strips
  const photo = engine.openPhoto(image);
  try {
    photo.setMatte(probability, refine, true);
    const matte = photo.matte();
    for (const options of [{ style: 'lens', strength: 100 }, { style: 'gaussian', depth: { focusX: 0.05, focusY: 0.05 } }]) {
      const kept = photo.render(options);
      const given = engine.render(image, matte, options);
      let differing = 0;
      for (let i = 0; i < kept.data.length; i++) differing += kept.data[i] !== given.data[i];
      assert.equal(differing, 0, `${JSON.stringify(options)}: ${differing} bytes differ`);
    }
  } finally {
    photo.dispose();
  }
});
