// The public module in Node: open/preview/export, every export format, progress stages,
// cancellation, and bad files that leave the engine usable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDefocus } from '../../web/lib/node.js';
import { badFiles, psnr, testdata } from './fixtures.mjs';
import { decodeWebp } from './webp.mjs';

const astronaut = testdata('photos/astronaut_eileen_collins.png');  // 512 x 512, a person
let defocus;
const stages = [];

before(async () => {
  defocus = await createDefocus({ model: 'portrait', onProgress: (p) => stages.push(p) });
});
after(() => defocus?.dispose());

test('blurring the same bytes again reuses their decode and segmentation (as the README says)', async () => {
  const bytes = new Uint8Array(astronaut);
  const first = await defocus.blur(bytes, { strength: 20, format: 'png', matte: true });
  const before = stages.length;
  const second = await defocus.blur(bytes, { strength: 70, format: 'png', matte: true });
  const again = stages.slice(before).filter((s) => s.stage === 'segment').length;
  console.log(`second blur of the same bytes: ${again} segment progress events, decode ${second.timings.decode} ms`);
  assert.equal(again, 0, 'the second blur segments again');
  assert.deepEqual(second.matte, first.matte);
});

test('open() segments once; previews render at preview size; export renders full size', async () => {
  const photo = await defocus.open(astronaut, { previewSize: 256 });
  assert.deepEqual([photo.width, photo.height, photo.preview.width, photo.preview.height], [512, 512, 256, 256]);
  assert.equal(photo.previewMatte.length, 256 * 256);
  const segmentedAt = stages.filter((s) => s.stage === 'segment').length;
  const soft = await photo.render({ strength: 10 });
  const strong = await photo.render({ strength: 90 });
  assert.equal(stages.filter((s) => s.stage === 'segment').length, segmentedAt, 'a re-render does not segment again');
  assert.equal(soft.data.length, 256 * 256 * 4);
  // Stronger blur moves the preview further from the photo.
  const a = psnr(soft.data, photo.preview.data);
  const b = psnr(strong.data, photo.preview.data);
  console.log(`preview PSNR vs photo: strength 10 ${a.toFixed(1)} dB, strength 90 ${b.toFixed(1)} dB`);
  assert.ok(a > b + 3, `strength 10 ${a} dB vs strength 90 ${b} dB`);
  const full = await photo.export({ strength: 90, format: 'png' });
  const decoded = defocus.engine.decode(full.data);
  assert.deepEqual([decoded.width, decoded.height], [512, 512]);
  // The preview is the full render at a smaller size: close to its downscale.
  const down = defocus.engine.resize(decoded, 256, 256);
  const agreement = psnr(down.data, strong.data);
  console.log(`preview vs downscaled export at strength 90: ${agreement.toFixed(1)} dB`);
  assert.ok(agreement > 30, `${agreement} dB`);
  await photo.close();
});

test('every export format decodes at full size', async () => {
  for (const format of ['jpeg', 'png', 'webp']) {
    const out = await defocus.blur(astronaut, { strength: 40, format, quality: 80 });
    assert.equal(out.format, format);
    const decoded = format === 'webp' ? await decodeWebp(out.data) : defocus.engine.decode(out.data);
    assert.deepEqual([decoded.width, decoded.height], [512, 512], format);
    assert.ok(out.coverage > 0.1 && out.coverage < 0.9, `coverage ${out.coverage}`);
  }
});

test('progress reports every stage with fractions from 0 to 1', async () => {
  stages.length = 0;
  await defocus.blur(testdata('photos/coffee_cup.png'), { strength: 20, format: 'jpeg' });
  const seen = [...new Set(stages.map((s) => s.stage))];
  assert.deepEqual(seen, ['decode', 'segment', 'render', 'encode']);
  for (const stage of seen) {
    const fractions = stages.filter((s) => s.stage === stage).map((s) => s.fraction);
    assert.equal(fractions[0], 0, stage);
    assert.equal(fractions.at(-1), 1, stage);
  }
  // One number for one progress bar: it only grows, and ends at 1.
  const overall = stages.map((s) => s.overall);
  assert.ok(overall.every((v, i) => i === 0 || v >= overall[i - 1]), overall.join(' '));
  assert.deepEqual([overall[0], overall.at(-1)], [0, 1]);
  assert.ok(overall.some((v) => v > 0.2 && v < 0.9), `a value between: ${overall.join(' ')}`);
});

test('an aborted call rejects with AbortError and the engine carries on', async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(defocus.blur(astronaut, { signal: controller.signal }), (err) => err.name === 'AbortError');
  const late = new AbortController();
  const pending = defocus.blur(testdata('photos/cat_chelsea.png'), {
    signal: late.signal, format: 'png',
  });
  // The same shape as in browsers: the signal's reason, the caller's own when given one.
  const reason = new Error('the user picked another photo');
  late.abort(reason);
  await assert.rejects(pending, (err) => err === reason);
  const out = await defocus.blur(testdata('photos/cat_chelsea.png'), { format: 'png' });
  assert.equal(defocus.engine.decode(out.data).width, 451);
});

test('baseUrl names a folder with or without its slash; a wrong one fails naming the URL tried', async () => {
  const web = new URL('../../web', import.meta.url);  // no trailing slash
  const here = await createDefocus({ model: 'portrait', baseUrl: web });
  assert.equal(here.model, 'portrait');
  await here.dispose();
  const wrong = new URL('../../no-such-folder/', import.meta.url);
  await assert.rejects(createDefocus({ model: 'portrait', baseUrl: wrong }), (err) => err.code === 'file_missing' &&
    err.message.includes(new URL('wasm/defocus_engine.wasm', wrong).href));
  // Engine there, model not: the model's URL is named.
  await assert.rejects(createDefocus({ model: { ...(await import('../../web/models/files.js')).manifest.models[0], file: 'gone.onnx' }, baseUrl: web }),
    (err) => err.code === 'model_missing' && err.message.includes(new URL('web/models/gone.onnx', web).href));
});

test('bad files give a one-line reason and the next photo still works', async () => {
  const bad = badFiles();
  for (const [name, [bytes, code]] of Object.entries(bad)) {
    await assert.rejects(defocus.blur(bytes), (err) => {
      assert.equal(err.code, code, `${name}: ${err.message}`);
      assert.ok(!err.message.includes('\n') && err.message.length > 5, name);
      return true;
    });
  }
  await assert.rejects(defocus.blur(astronaut, { format: 'gif' }), (err) => err.code === 'invalid_argument' && /format/.test(err.message));
  const out = await defocus.blur(astronaut, { format: 'jpeg' });
  assert.equal(defocus.engine.decode(out.data).height, 512);
});
