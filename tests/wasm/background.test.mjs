// Cutout and replace through the public module in Node: a transparent export whose alpha is
// the matte, a colour or an image in place of the background (blurred by depth on request),
// and bad values that fail with a reason and leave the engine usable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDefocus } from '../../web/lib/node.js';
import { detailEnergy, testdata } from './fixtures.mjs';
import { decodeWebp } from './webp.mjs';

const astronaut = testdata('photos/astronaut_eileen_collins.png');  // 512 x 512, a person
const trail = testdata('photos/mountain_trail.jpg');                 // a landscape, another size
let defocus;
let photo;

before(async () => {
  defocus = await createDefocus({ model: 'portrait' });
  photo = await defocus.open(astronaut, { previewSize: 256 });
});
after(async () => {
  await photo?.close();
  await defocus?.dispose();
});

test('transparent: PNG and WebP with alpha = the matte, nothing left where the matte is 0', async () => {
  const { matte } = await defocus.segment(astronaut);
  const original = defocus.engine.decode(astronaut);
  for (const format of ['png', 'webp']) {
    const out = await photo.export({ background: 'transparent', format });
    const image = format === 'webp' ? await decodeWebp(out.data) : defocus.engine.decode(out.data);
    let worstAlpha = 0, leftOver = 0, keptChanged = 0, keptError = 0, clear = 0, opaque = 0;
    for (let i = 0; i < matte.length; i++) {
      const a = image.data[4 * i + 3];
      worstAlpha = Math.max(worstAlpha, Math.abs(a - Math.round(255 * matte[i])));
      if (matte[i] <= 0) clear++, leftOver += a > 0;
      if (matte[i] >= 1) {
        opaque++;
        for (let c = 0; c < 3; c++) {
          const d = image.data[4 * i + c] - original.data[4 * i + c];
          keptChanged = Math.max(keptChanged, Math.abs(d));
          keptError += d * d;
        }
      }
    }
    const keptDb = 10 * Math.log10(255 ** 2 / Math.max(1e-9, keptError / (3 * opaque)));
    console.log(`${format}: alpha off by <= ${worstAlpha}, ${clear} clear px, ${opaque} opaque px changed by <= ${keptChanged} ` +
      `(${keptDb.toFixed(1)} dB)`);
    assert.ok(clear > 0.2 * matte.length && opaque > 0.2 * matte.length, 'both subject and background are in the photo');
    assert.equal(leftOver, 0, `${format}: background pixels left visible`);
    assert.ok(worstAlpha <= (format === 'png' ? 1 : 2), `${format}: alpha off by ${worstAlpha}`);
    if (format === 'png') assert.equal(keptChanged, 0, 'png: the subject keeps its bytes');
    else assert.ok(keptDb > 35, `webp (lossy): the subject kept at ${keptDb} dB`);
  }
  const defaultFormat = await photo.export({ background: 'transparent' });
  assert.equal(defaultFormat.format, 'png', 'a transparent export defaults to PNG');
});

test('a colour replaces the background exactly; the subject stays as it was', async () => {
  const preview = await photo.render({ background: '#2050c0', strength: 60 });
  const matte = photo.previewMatte;
  let worst = 0, n = 0, kept = 0;
  for (let i = 0; i < matte.length; i++) {
    if (matte[i] <= 0) {
      n++;
      worst = Math.max(worst, Math.abs(preview.data[4 * i] - 0x20), Math.abs(preview.data[4 * i + 1] - 0x50), Math.abs(preview.data[4 * i + 2] - 0xc0));
    } else if (matte[i] >= 1) {
      for (let c = 0; c < 3; c++) kept = Math.max(kept, Math.abs(preview.data[4 * i + c] - photo.preview.data[4 * i + c]));
    }
  }
  console.log(`colour: ${n} background px off by <= ${worst}; subject changed by <= ${kept}`);
  assert.ok(n > 0.2 * matte.length);
  assert.ok(worst <= 1, `background off by ${worst}`);
  assert.equal(kept, 0);
});

test('an image replaces the background, covering the frame; blurred by depth unless blurBackground is false', async () => {
  const sharp = await photo.render({ background: trail, blurBackground: false, strength: 60, depth: { mode: 'flat' } });
  const blurred = await photo.render({ background: trail, strength: 60, depth: { mode: 'flat' } });
  const matte = photo.previewMatte;
  // The trail photo, scaled to cover 256 x 256 and cropped to its centre, is what shows.
  const t = defocus.engine.decode(trail);
  const side = Math.min(t.width, t.height);
  const square = { width: side, height: side, data: new Uint8Array(side * side * 4) };
  const x0 = Math.floor((t.width - side) / 2), y0 = Math.floor((t.height - side) / 2);
  for (let y = 0; y < side; y++) square.data.set(t.data.subarray(4 * ((y + y0) * t.width + x0), 4 * ((y + y0) * t.width + x0 + side)), 4 * y * side);
  const expected = defocus.engine.resize(square, 256, 256);
  let sum = 0, n = 0;
  for (let i = 0; i < matte.length; i++) {
    if (matte[i] > 0) continue;
    for (let c = 0; c < 3; c++) sum += (sharp.data[4 * i + c] - expected.data[4 * i + c]) ** 2;
    n += 3;
  }
  const dB = 10 * Math.log10(255 ** 2 / (sum / n));
  const background = (i) => matte[i] <= 0;
  const eSharp = detailEnergy(sharp, background).energy, eBlurred = detailEnergy(blurred, background).energy;
  console.log(`image background: ${dB.toFixed(1)} dB against the covered image; detail ${eSharp.toFixed(1)} sharp vs ${eBlurred.toFixed(1)} blurred`);
  assert.ok(dB > 35, `${dB} dB`);
  assert.ok(eBlurred < eSharp / 10, 'blurred at strength 60');
});

test('bad backgrounds fail with a one-line reason and the photo still renders', async () => {
  const cases = [
    [{ background: 'red' }, /background must be 'blur', 'transparent', a colour '#rrggbb' or an image/],
    [{ background: { width: 2, height: 2, data: new Uint8Array(3) } }, /background must be/],
    [{ background: new Uint8Array([1, 2, 3]) }, /background image/],
  ];
  for (const [options, reason] of cases) {
    await assert.rejects(photo.render(options), (err) => reason.test(err.message) && !err.message.includes('\n'), JSON.stringify(Object.keys(options)));
  }
  await assert.rejects(photo.export({ background: 'transparent', format: 'jpeg' }), /needs format 'png' or 'webp'/);
  const ok = await photo.render({ strength: 30 });
  assert.equal(ok.data.length, 256 * 256 * 4);
});
