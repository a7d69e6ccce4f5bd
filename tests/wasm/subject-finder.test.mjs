// The automatic subject finder (model 'auto') with the real models in ONNX Runtime Web:
// measured against hand-made masks (../shared/testdata/people) and against scenes built
// here from a masked person, whose right answer is known.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { createDefocus } from '../../web/lib/node.js';
import { testdata, testdataRoot } from './fixtures.mjs';

const baseUrl = process.env.DEFOCUS_BASE_URL;
const engines = {};

before(async () => {
  for (const model of ['auto', 'subject', 'portrait']) engines[model] = await createDefocus({ model, baseUrl, numThreads: 1 });
});
after(async () => {
  for (const d of Object.values(engines)) await d.dispose();
});

function truthPlane(engine, path) {
  const mask = engine.decode(testdata(path));
  return { width: mask.width, height: mask.height, data: Float32Array.from({ length: mask.width * mask.height }, (_, i) => mask.data[4 * i] / 255) };
}

// A person cut out of a DAVIS frame by its mask: RGBA with the mask as alpha, cropped to it.
function cutOut(engine, name) {
  const image = engine.decode(testdata(`people/${name}.jpg`));
  const mask = engine.decode(testdata(`people/${name}.alpha.png`));
  let l = image.width, t = image.height, r = 0, b = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (mask.data[4 * (y * image.width + x)] > 127) l = Math.min(l, x), r = Math.max(r, x), t = Math.min(t, y), b = Math.max(b, y);
    }
  }
  const rgba = { ...image, data: Uint8Array.from(image.data) };
  for (let i = 0; i < rgba.width * rgba.height; i++) rgba.data[4 * i + 3] = mask.data[4 * i];
  return engine.crop(rgba, { left: l, top: t, width: r - l + 1, height: b - t + 1 });
}

// The background photo with people pasted at {x, bottom, height} (pixels), in order (far
// ones first); returns the scene and each person's alpha plane.
function scene(engine, width, height, people) {
  const bg = engine.resize(engine.decode(testdata('photos/mountain_trail.jpg')), width, height);
  const out = { width, height, data: Uint8Array.from(bg.data) };
  const alphas = [];
  for (const { cut, x, bottom, height: h } of people) {
    const w = Math.round(cut.width * h / cut.height);
    const p = engine.resize(cut, w, h);
    const alpha = new Float32Array(width * height);
    for (let y = 0; y < h; y++) {
      for (let xx = 0; xx < w; xx++) {
        const X = x + xx, Y = bottom - h + y;
        if (X < 0 || Y < 0 || X >= width || Y >= height) continue;
        const s = 4 * (y * w + xx), d = 4 * (Y * width + X), a = p.data[s + 3] / 255;
        for (let c = 0; c < 3; c++) out.data[d + c] = Math.round(a * p.data[s + c] + (1 - a) * out.data[d + c]);
        alpha[Y * width + X] = a;
      }
    }
    for (const earlier of alphas) for (let i = 0; i < alpha.length; i++) earlier[i] *= 1 - alpha[i];
    alphas.push(alpha);
  }
  return { image: out, alphas: alphas.map((data) => ({ width, height, data })) };
}

const meanOver = (matte, alpha) => {
  let s = 0, n = 0;
  for (let i = 0; i < alpha.data.length; i++) if (alpha.data[i] > 0.5) s += matte[i], n++;
  return s / n;
};

test('auto: the fused matte beats both single models on the people frames (mean IoU)', async () => {
  const frames = readdirSync(`${testdataRoot}/people`).filter((f) => f.endsWith('.jpg')).sort();
  const mean = { auto: 0, subject: 0, portrait: 0 };
  for (const f of frames) {
    for (const model of Object.keys(mean)) {
      const d = engines[model];
      const image = d.engine.decode(testdata(`people/${f}`));
      const r = await d.segment(image);
      const s = d.engine.scoreMatte({ width: r.width, height: r.height, data: r.matte }, truthPlane(d.engine, `people/${f.replace('.jpg', '.alpha.png')}`));
      mean[model] += s.iou / frames.length;
    }
  }
  console.log(`people frames, mean IoU: ${Object.entries(mean).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')}`);
  // Measured: auto 0.816, subject 0.777, portrait 0.762.
  assert.ok(mean.auto > Math.max(mean.subject, mean.portrait) + 0.015, JSON.stringify(mean));
});

test('auto: a synthetic scene keeps the front person and cuts a second person far behind', async () => {
  const d = engines.auto;
  const cut = cutOut(d.engine, 'lucia_00017');
  const { image, alphas: [far, front] } = scene(d.engine, 1200, 800, [
    { cut, x: 820, bottom: 560, height: 340 },   // further back: smaller and higher up
    { cut, x: 120, bottom: 800, height: 700 },   // in front
  ]);
  const r = await d.segment(image);
  const iou = d.engine.scoreMatte({ width: 1200, height: 800, data: r.matte }, front).iou;
  const ghost = meanOver(r.matte, far);
  console.log(`front IoU ${iou.toFixed(3)}, far person's mean alpha ${ghost.toFixed(3)}, found ${JSON.stringify(r.subject)}`);
  assert.equal(r.subject.kind, 'people');
  assert.equal(r.subject.people, 1);
  assert.ok(iou > 0.85, `front person IoU ${iou}`);
  assert.ok(ghost < 0.05, `the far person is still in the matte at mean alpha ${ghost}`);
  // Each model alone leaves the far person half in the matte (measured 0.14 and 0.12): the
  // fusion is what cuts them.
  const alone = Math.max(meanOver((await engines.portrait.segment(image)).matte, far),
    meanOver((await engines.subject.segment(image)).matte, far));
  assert.ok(alone > 0.1, `single models: far person at ${alone}`);
});

test('auto: the zoomed second pass raises IoU on a small subject', async () => {
  const d = engines.auto;
  const cut = cutOut(d.engine, 'lucia_00052');
  const { image, alphas: [person] } = scene(d.engine, 2400, 1600, [{ cut, x: 1100, bottom: 1150, height: 420 }]);
  const zoomed = await d.segment(image);
  const plain = await createDefocus({ model: 'auto', baseUrl, numThreads: 1, zoom: false });
  const first = await plain.segment(image);
  await plain.dispose();
  const score = (r) => d.engine.scoreMatte({ width: 2400, height: 1600, data: r.matte }, person);
  const [a, b] = [score(first), score(zoomed)];
  console.log(`small subject: no zoom IoU ${a.iou.toFixed(3)} BF ${a.boundaryF.toFixed(3)}, zoom (gain ${zoomed.zoom?.gain.toFixed(1)}) IoU ${b.iou.toFixed(3)} BF ${b.boundaryF.toFixed(3)}`);
  assert.ok(zoomed.zoom && zoomed.zoom.gain >= 2, 'the zoom pass ran');
  assert.equal(first.zoom, null);
  assert.ok(b.iou > a.iou + 0.02, `zoom IoU ${b.iou} vs ${a.iou}`);
  // segment's timings break down into each model's runs: both passes here, the first only
  // without the zoom; the parts add up to no more than the stage.
  const parts = (t) => ['person', 'object', 'personZoom', 'objectZoom'].filter((k) => t[k] > 0);
  assert.deepEqual(parts(zoomed.timings), ['person', 'object', 'personZoom', 'objectZoom']);
  assert.deepEqual(parts(first.timings), ['person', 'object']);
  for (const t of [zoomed.timings, first.timings]) {
    assert.ok(t.person + t.object + (t.personZoom ?? 0) + (t.objectZoom ?? 0) <= t.segment, JSON.stringify(t));
  }
});

test('auto: no subject, tiny and all-subject photos give a clear confidence and a finite matte', async () => {
  const d = engines.auto;
  const flat = { width: 400, height: 300, data: new Uint8Array(400 * 300 * 4).fill(128) };
  const photos = {
    flat,
    landscape: testdata('photos/mountain_trail.jpg'),
    '1x1': { width: 1, height: 1, data: new Uint8Array([10, 20, 30, 255]) },
    '10000x3': { width: 10000, height: 3, data: new Uint8Array(10000 * 3 * 4).fill(200) },
  };
  for (const [name, input] of Object.entries(photos)) {
    const r = await d.segment(input);
    assert.ok(r.subjectConfidence >= 0 && r.subjectConfidence <= 1, `${name}: confidence ${r.subjectConfidence}`);
    assert.ok(r.matte.every((a) => a >= 0 && a <= 1), `${name}: matte out of 0..1`);
    if (name === 'flat' || name === 'landscape') {
      assert.equal(r.subject.kind, 'none', `${name}: ${JSON.stringify(r.subject)}`);
      assert.equal(r.coverage, 0);
    }
  }
  // All subject: a close-up filling the frame keeps (nearly) all of it.
  const face = d.engine.decode(testdata('photos/astronaut_eileen_collins.png'));
  const closeUp = d.engine.resize(d.engine.crop(face, { left: 150, top: 80, width: 220, height: 220 }), 512, 512);
  const all = await d.segment(closeUp);
  assert.ok(all.coverage > 0.5 && all.subject.kind !== 'none', `close-up: ${all.coverage} ${JSON.stringify(all.subject)}`);
  // And the engine still works for the next photo.
  assert.equal((await d.segment(testdata('photos/cat_chelsea.png'))).width, 451);
});
