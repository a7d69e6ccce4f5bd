// Single-file use, masks, WebP, globs, usage errors and what the terminal shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createDefocus } from '../../web/lib/node.js';
import { decodeWebp } from '../wasm/webp.mjs';
import { cliPath, copyPhotos, maxDifference, photosDir, records, runCli, tempDir } from './helpers.mjs';

const dir = tempDir('options');
const cat = path.join(photosDir, 'cat_chelsea.png');
const engines = {};
before(async () => {
  for (const model of ['auto', 'subject', 'portrait']) engines[model] = await createDefocus({ model, baseUrl: process.env.DEFOCUS_BASE_URL });
});
after(async () => {
  for (const d of Object.values(engines)) await d.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test('one photo with the default model: -o sets the format, --mask-out writes the matte as grayscale PNG', async () => {
  const out = path.join(dir, 'soft.jpg');
  const mask = path.join(dir, 'cat-matte.png');
  const run = await runCli([cat, '-o', out, '--mask-out', mask, '--json']);
  assert.equal(run.code, 0, run.stderr);
  const [record] = records(run.stdout);
  assert.equal(record.mask, mask);
  const reference = await engines.auto.blur(readFileSync(cat), { format: 'jpeg', quality: 90, matte: true });
  assert.ok(Buffer.from(reference.data).equals(readFileSync(out)), 'JPEG bytes equal the module\'s (its default model, auto; defaults)');

  const png = readFileSync(mask);
  assert.equal(png[24], 8, 'bit depth');
  assert.equal(png[25], 0, 'PNG colour type 0: grayscale');
  const decoded = engines.subject.engine.decode(png);
  assert.deepEqual([decoded.width, decoded.height], [451, 300]);
  let worst = 0;
  let sum = 0;
  for (let i = 0; i < reference.matte.length; i++) {
    const v = decoded.data[4 * i];
    sum += v;
    worst = Math.max(worst, Math.abs(v - Math.round(reference.matte[i] * 255)),
      Math.abs(decoded.data[4 * i + 1] - v), Math.abs(decoded.data[4 * i + 2] - v));
  }
  assert.equal(worst, 0, 'mask = round(255 x the module\'s matte), gray');
  assert.ok(Math.abs(sum / 255 / reference.matte.length - record.coverage) < 0.005, `coverage ${record.coverage}`);
  assert.ok(record.coverage > 0.3 && record.coverage < 0.95, `the cat is found: coverage ${record.coverage}`);
});

test('WebP outputs equal the module\'s; --mask-out DIR gets NAME.mask.png per photo', async () => {
  const out = path.join(dir, 'webp');
  const masks = path.join(dir, 'masks');
  const names = ['cat_chelsea.png', 'coffee_cup.png'];
  const run = await runCli([...names.map((n) => path.join(photosDir, n)), '--out-dir', out, '--format', 'webp',
    '--quality', '80', '--model', 'portrait', '--style', 'gaussian', '--mask-out', masks]);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(readdirSync(masks).sort(), ['cat_chelsea.mask.png', 'coffee_cup.mask.png']);
  for (const name of names) {
    const written = readFileSync(path.join(out, name.replace('.png', '.webp')));
    assert.equal(written.subarray(8, 12).toString(), 'WEBP');
    const reference = await engines.portrait.blur(readFileSync(path.join(photosDir, name)),
      { format: 'webp', quality: 80, style: 'gaussian' });
    assert.ok(Buffer.from(reference.data).equals(written), `${name}: WebP bytes equal the module's`);
    const input = engines.portrait.engine.decode(readFileSync(path.join(photosDir, name)));
    const image = await decodeWebp(written);
    assert.deepEqual([image.width, image.height], [input.width, input.height]);
    const mask = engines.portrait.engine.decode(readFileSync(path.join(masks, name.replace('.png', '.mask.png'))));
    assert.deepEqual([mask.width, mask.height], [input.width, input.height]);
  }
});

test('globs pick what they match; without a terminal each file gets a plain line', async () => {
  const input = path.join(dir, 'glob');
  mkdirSync(input);
  copyPhotos(input, ['cat_chelsea.png', 'coffee_cup.png', 'dust_bowl_home.jpg']);
  const run = await runCli(['glob/*.png', '--out-dir', 'glob-out', '--model', 'portrait', '--style', 'motion', '--angle', '30'], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(readdirSync(path.join(dir, 'glob-out')).sort(), ['cat_chelsea.png', 'coffee_cup.png']);
  assert.deepEqual(run.stdout.trim().split('\n').map((l) => l.replace(/, [\d.]+ s\)$/, ')')), [
    `written glob/cat_chelsea.png -> ${path.join('glob-out', 'cat_chelsea.png')} (451x300)`,
    `written glob/coffee_cup.png -> ${path.join('glob-out', 'coffee_cup.png')} (600x400)`,
  ]);
  assert.doesNotMatch(run.stdout + run.stderr, /\x1b\[/, 'no terminal escape codes');
  const reference = await engines.portrait.blur(readFileSync(path.join(input, 'coffee_cup.png')), { style: 'motion', angle: 30 });
  const written = engines.portrait.engine.decode(readFileSync(path.join(dir, 'glob-out', 'coffee_cup.png')));
  assert.equal(maxDifference(written, engines.portrait.engine.decode(reference.data)), 0);
});

test('on a terminal a progress bar replaces the per-file lines', () => {
  // util-linux `script` runs the command in a pseudo-terminal; -e passes its exit status on.
  const out = path.join(dir, 'tty');
  const command = [process.execPath, cliPath, cat, path.join(photosDir, 'coffee_cup.png'), '--out-dir', out,
    '--model', 'portrait'].map((a) => `'${a}'`).join(' ');
  const shown = execFileSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8' });
  assert.match(shown, /\u2588{40} 2\/2 \| 0 failed/, 'the final bar: full, two of two files');
  assert.match(shown, /\x1b\[/, 'drawn with terminal escape codes');
  assert.doesNotMatch(shown, /written .* -> /, 'no per-file lines');
  assert.match(shown, /2 written, 0 skipped, 0 failed/);
  assert.deepEqual(readdirSync(out).sort(), ['cat_chelsea.png', 'coffee_cup.png']);
});

test('usage errors exit 2 with a one-line reason and write nothing', async () => {
  const out = path.join(dir, 'usage');
  const cases = [
    [[cat, path.join(photosDir, 'coffee_cup.png'), '-o', path.join(out, 'x.png')], /--out names one file/],
    [[cat, '--strength', '0', '-o', path.join(out, 'x.png')], /strength.*1\.\.100/],
    [[cat, '--blades', '2', '--model', 'portrait', '-o', path.join(out, 'x.png')], /blades must be 0 \(circle\) or 3\.\.16/],
    [[cat, '--model', 'no-such-model', '-o', path.join(out, 'x.png')], /unknown model 'no-such-model'/],
    [[cat, '--style', 'watercolour', '-o', path.join(out, 'x.png')], /watercolour/],
    [[cat, '-o', path.join(out, 'x.tiff')], /cannot tell the format/],
    [[cat, '--frobnicate'], /unknown option '--frobnicate'/],
    [[cat, '--aperture', 'wide', '-o', path.join(out, 'x.png')], /aperture 'wide' is not an f-number/],
    [[cat, '--background', '#12345', '-o', path.join(out, 'x.png')], /colour '#12345' is not #rrggbb/],
    [[cat, '--background', path.join(out, 'no-such.jpg'), '-o', path.join(out, 'x.png')], /not blur, transparent, #rrggbb or a readable image/],
    [[cat, '--background', 'transparent', '-o', path.join(out, 'x.jpg')], /transparent needs png or webp/],
    [[cat, '--aperture', 'f/2', '--strength', '30', '-o', path.join(out, 'x.png')], /--strength and --aperture cannot be used together/],
  ];
  for (const [args, reason] of cases) {
    const run = await runCli(args);
    assert.equal(run.code, 2, `${args.join(' ')}: exit ${run.code}\n${run.stderr}`);
    assert.match(run.stderr.split('\n')[0], reason);
    assert.equal(run.stdout, '');
  }
  assert.equal(existsSync(out), false, 'nothing written');
});

test('--aperture f/2.8 renders what --strength 50 renders (strength = 140 / N)', async () => {
  const out = path.join(dir, 'aperture');
  const outputs = [];
  for (const [flag, value] of [['--aperture', 'f/2.8'], ['--strength', '50'], ['--strength', '49']]) {
    const file = path.join(out, `${flag.slice(2)}-${value.replace('/', '')}.png`);
    const run = await runCli([cat, '-o', file, '--model', 'portrait', flag, value]);
    assert.equal(run.code, 0, run.stderr);
    outputs.push(readFileSync(file));
  }
  assert.ok(outputs[0].equals(outputs[1]), 'f/2.8 = strength 50');
  assert.ok(!outputs[0].equals(outputs[2]), 'and not strength 49: the test can tell strengths apart');
});

test('--no-read-focus renders what depth.readFocus false renders, and differs from reading it', async () => {
  const photo = path.join(photosDir, 'paintbrushes.jpg');  // shallow depth of field: reading it matters
  const file = path.join(dir, 'no-read-focus.png');
  const run = await runCli([photo, '-o', file, '--model', 'subject', '--strength', '80', '--no-read-focus']);  // brushes are no person
  assert.equal(run.code, 0, run.stderr);
  const decode = (bytes) => engines.subject.engine.decode(bytes);
  const off = await engines.subject.blur(readFileSync(photo), { strength: 80, depth: { readFocus: false }, format: 'png' });
  const on = await engines.subject.blur(readFileSync(photo), { strength: 80, format: 'png' });
  assert.equal(maxDifference(decode(readFileSync(file)), decode(off.data)), 0);
  assert.ok(maxDifference(decode(off.data), decode(on.data)) > 20, 'reading the focus changes the render');
});

test('--background: transparent PNG by default, a colour, an image file; the same pixels as the module', async () => {
  const out = path.join(dir, 'background');
  const photo = path.join(photosDir, 'two_dogs_window.jpg');
  const run = await runCli([photo, '--out-dir', out, '--model', 'portrait', '--background', 'transparent', '--json']);
  assert.equal(run.code, 0, run.stderr);
  const [record] = records(run.stdout);
  assert.equal(path.extname(record.output), '.png', 'a JPEG input gets a PNG when the background is transparent');
  const written = engines.portrait.engine.decode(readFileSync(record.output));
  const reference = engines.portrait.engine.decode((await engines.portrait.blur(readFileSync(photo), { background: 'transparent', format: 'png' })).data);
  assert.equal(maxDifference(written, reference), 0, 'transparent: the module\'s pixels');
  let clear = 0;
  for (let i = 3; i < written.data.length; i += 4) clear += written.data[i] === 0;
  assert.ok(clear > 0.1 * written.width * written.height, `${clear} clear pixels`);

  const trail = path.join(photosDir, 'mountain_trail.jpg');
  for (const [args, options] of [[['--background', '#204080'], { background: '#204080' }],
    [['--background', trail, '--no-blur-background'], { background: readFileSync(trail), blurBackground: false }]]) {
    const file = path.join(out, 'replaced.png');
    const replaced = await runCli([cat, '-o', file, '--model', 'portrait', '--overwrite', ...args]);
    assert.equal(replaced.code, 0, replaced.stderr);
    const expected = await engines.portrait.blur(readFileSync(cat), { ...options, format: 'png' });
    assert.equal(maxDifference(engines.portrait.engine.decode(readFileSync(file)), engines.portrait.engine.decode(expected.data)), 0,
      args.join(' '));
  }
});

test('an input that does not exist fails alone: exit 1, named in the report', async () => {
  const missing = path.join(dir, 'no-such-photo.jpg');
  const run = await runCli([missing, cat, '--out-dir', path.join(dir, 'missing-out'), '--model', 'portrait', '--json']);
  assert.equal(run.code, 1);
  const byStatus = Object.fromEntries(records(run.stdout).map((r) => [r.status, r]));
  assert.equal(byStatus.failed.input, missing);
  assert.equal(byStatus.failed.error.code, 'not_found');
  assert.equal(byStatus.written.input, cat);
  assert.match(run.stderr, new RegExp(`^failed  ${missing}: no such file`, 'm'));
});
