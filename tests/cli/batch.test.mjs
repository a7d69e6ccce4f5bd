// A real batch: every photo in testdata/photos, one with EXIF orientation and five bad files,
// through `defocus FOLDER --out-dir ... --jobs 2 --json`, checked against the module's own
// output for the same photos and options.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { createDefocus } from '../../web/lib/node.js';
import { copyPhotos, maxDifference, records, runCli, tempDir, testPhotos, writeBadFiles, writeRotatedJpeg } from './helpers.mjs';

const dir = tempDir('batch');
const inputDir = path.join(dir, 'photos');
const outDir = path.join(dir, 'out');
const options = { strength: 45, blades: 6 };
let defocus;
let run;
let byInput;
let bad;
let good;

before(async () => {
  defocus = await createDefocus({ model: 'portrait', baseUrl: process.env.DEFOCUS_BASE_URL });
  mkdirSync(inputDir);
  copyPhotos(inputDir, testPhotos);
  writeRotatedJpeg(defocus.engine, path.join(inputDir, 'rotated.jpg'));
  bad = writeBadFiles(inputDir);
  good = [...testPhotos, 'rotated.jpg'];
  run = await runCli([inputDir, '--out-dir', outDir, '--model', 'portrait', '--strength', '45', '--blades', '6',
    '--jobs', '2', '--json']);
  byInput = new Map(records(run.stdout).map((r) => [path.basename(r.input), r]));
});
after(async () => {
  await defocus?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const outputName = (name) => name.replace(/\.(jpe?g|png)$/i, (ext) => (/png/i.test(ext) ? '.png' : '.jpg'));

test('the batch completes: exit status 1, one record per input, bad files failed and the rest written', () => {
  assert.equal(run.code, 1, `exit status\n${run.stderr}`);
  assert.equal(byInput.size, good.length + Object.keys(bad).length);
  for (const name of good) assert.equal(byInput.get(name)?.status, 'written', `${name}: ${JSON.stringify(byInput.get(name))}`);
  for (const [name, code] of Object.entries(bad)) {
    const r = byInput.get(name);
    assert.equal(r.status, 'failed', name);
    assert.equal(r.error.code, code, `${name}: ${r.error.message}`);
    assert.equal(existsSync(r.output), false, `${name} must leave no output`);
  }
  assert.match(run.stderr, new RegExp(`${good.length} written, 0 skipped, ${Object.keys(bad).length} failed`));
});

test('the report names each failure on one line with its reason', () => {
  const lines = run.stderr.trim().split('\n');
  for (const [name, code] of Object.entries(bad)) {
    const line = lines.filter((l) => l.includes(path.join(inputDir, name)));
    assert.equal(line.length, 1, `one line for ${name}:\n${run.stderr}`);
    assert.match(line[0], new RegExp(`^failed .*: .+ \\(${code}\\)$`));
  }
});

test('every output decodes at the input\'s upright size, and nothing half-written is left', () => {
  assert.deepEqual(readdirSync(outDir).sort(), good.map(outputName).sort(), 'outputs (no .part files)');
  for (const name of good) {
    const input = defocus.engine.decode(readFileSync(path.join(inputDir, name)));
    const output = defocus.engine.decode(readFileSync(path.join(outDir, outputName(name))));
    assert.deepEqual([output.width, output.height], [input.width, input.height], name);
  }
  const rotated = defocus.engine.decode(readFileSync(path.join(outDir, 'rotated.jpg')));
  assert.deepEqual([rotated.width, rotated.height], [300, 451], 'EXIF orientation 6 turns 451x300 upright');
});

test('outputs are the module\'s: same pixels for PNG, same bytes for JPEG', async () => {
  for (const name of good) {
    const format = name.endsWith('.png') ? 'png' : 'jpeg';
    const reference = await defocus.blur(readFileSync(path.join(inputDir, name)), { ...options, format, quality: 90, matte: true });
    const written = readFileSync(path.join(outDir, outputName(name)));
    if (format === 'png') {
      const diff = maxDifference(defocus.engine.decode(written), defocus.engine.decode(reference.data));
      assert.equal(diff, 0, `${name}: pixels differ by up to ${diff}`);
    } else {
      assert.ok(Buffer.from(reference.data).equals(written), `${name}: JPEG bytes differ from the module's`);
    }
    // The record's coverage is the module's matte mean.
    let sum = 0;
    for (const a of reference.matte) sum += a;
    assert.ok(Math.abs(byInput.get(name).coverage - sum / reference.matte.length) < 1e-4, `${name} coverage`);
  }
});

test('--json records carry size, bytes and the time of every stage', () => {
  for (const name of good) {
    const r = byInput.get(name);
    assert.equal(r.output, path.join(outDir, outputName(name)));
    assert.equal(r.bytes, statSync(r.output).size, `${name} bytes`);
    assert.ok(r.coverage >= 0 && r.coverage <= 1, `${name} coverage ${r.coverage}`);
    assert.equal(r.error, null);
    for (const stage of ['read', 'decode', 'segment', 'refine', 'render', 'encode', 'write', 'total']) {
      assert.ok(Number.isFinite(r.timings[stage]) && r.timings[stage] >= 0, `${name} timings.${stage} = ${r.timings[stage]}`);
    }
  }
  const cat = byInput.get('cat_chelsea.png');
  assert.deepEqual([cat.width, cat.height], [451, 300]);
});
