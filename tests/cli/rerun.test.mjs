// Existing outputs: skipped unless --overwrite; an interrupted batch re-runs only what is
// missing and never mistakes a half-written file for a finished one.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadEngine } from '../../web/lib/node.js';
import { copyPhotos, records, runCli, tempDir } from './helpers.mjs';

const dir = tempDir('rerun');
after(() => rmSync(dir, { recursive: true, force: true }));
const engine = await loadEngine(process.env.DEFOCUS_BASE_URL ? { baseUrl: new URL('wasm/', process.env.DEFOCUS_BASE_URL) } : {});
const small = ['cat_chelsea.png', 'coffee_cup.png'];

test('existing outputs are skipped (exit 0) and replaced only with --overwrite', async () => {
  const input = path.join(dir, 'skip');
  mkdirSync(input);
  copyPhotos(input, small);
  const args = [input, '--model', 'portrait', '--json'];  // outputs beside the inputs
  const first = await runCli(args);
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(records(first.stdout).map((r) => r.status), ['written', 'written']);
  const catOut = path.join(input, 'cat_chelsea.defocus.png');
  const sentinel = new TextEncoder().encode('an existing file the user wants kept');
  writeFileSync(catOut, sentinel);

  const second = await runCli(args);  // the folder now also holds the outputs: they are not inputs
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(records(second.stdout).map((r) => [path.basename(r.input), r.status]),
    [['cat_chelsea.png', 'skipped'], ['coffee_cup.png', 'skipped']]);
  assert.deepEqual(new Uint8Array(readFileSync(catOut)), sentinel, 'a skipped output is left as it was');

  const third = await runCli([...args, '--overwrite']);
  assert.equal(third.code, 0, third.stderr);
  assert.deepEqual(records(third.stdout).map((r) => r.status), ['written', 'written']);
  const rewritten = engine.decode(readFileSync(catOut));
  assert.deepEqual([rewritten.width, rewritten.height], [451, 300]);
});

test('a batch stopped with Ctrl-C leaves only whole files, and the re-run does just the rest', async (t) => {
  const input = path.join(dir, 'interrupted');
  const out = path.join(dir, 'interrupted-out');
  mkdirSync(input);
  copyPhotos(input, ['astronaut_eileen_collins.png', 'cameraman_grayscale.png', 'cat_chelsea.png', 'coffee_cup.png',
    'dust_bowl_home.jpg', 'paintbrushes.jpg']);
  // A temporary file of an earlier, killed run must not count as a finished output.
  mkdirSync(out);
  writeFileSync(path.join(out, '.cat_chelsea.png.999-0.part'), 'half a png');
  const args = [input, '--out-dir', out, '--model', 'portrait', '--json'];
  const stopped = await runCli(args, {
    onSpawn(child) {
      // Stop as soon as the first output has its real name.
      const poll = setInterval(() => {
        if (readdirSync(out).some((f) => !f.startsWith('.'))) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 20);
      child.on('close', () => clearInterval(poll));
    },
  });
  const finished = readdirSync(out).filter((f) => !f.startsWith('.'));
  assert.ok(finished.length >= 1);
  t.diagnostic(`stopped with ${finished.length} of 6 outputs written (exit ${stopped.code})`);
  if (finished.length < 6) assert.equal(stopped.code, 130, `an interrupted run exits 130\n${stopped.stderr}`);
  assert.deepEqual(readdirSync(out).filter((f) => f.endsWith('.part') && !f.includes('999')), [], 'no temporary files of this run');
  for (const f of finished) assert.ok(engine.decode(readFileSync(path.join(out, f))).width > 0, `${f} is whole`);

  const rerun = await runCli(args);
  assert.equal(rerun.code, 0, rerun.stderr);
  const statuses = records(rerun.stdout).map((r) => [path.basename(r.output), r.status]);
  for (const [output, status] of statuses) {
    assert.equal(status, finished.includes(output) ? 'skipped' : 'written', `${output} on the re-run`);
  }
  assert.equal(statuses.length, 6);
  assert.ok(existsSync(path.join(out, 'cat_chelsea.png')), 'the cat is done despite the stale .part file');
});
