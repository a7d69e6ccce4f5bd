// Shared by the CLI tests: run the real command, build bad inputs, compare with the module.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { badFiles, testdata, testdataRoot, withExifOrientation } from '../wasm/fixtures.mjs';

export const cliPath = fileURLToPath(new URL('../../cli/defocus.js', import.meta.url));
export const photosDir = path.join(testdataRoot, 'photos');
export const testPhotos = readdirSync(photosDir).sort();

export const tempDir = (prefix) => mkdtempSync(path.join(tmpdir(), `defocus-cli-${prefix}-`));

/** Runs `node cli/defocus.js ...args`; resolves {code, signal, stdout, stderr}. */
export function runCli(args, { cwd, onSpawn } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    onSpawn?.(child);
  });
}

/** --json output -> records, one per line. */
export const records = (stdout) => stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));

/** Copies photos (names from testdata/photos) into dir. */
export function copyPhotos(dir, names) {
  for (const name of names) copyFileSync(path.join(photosDir, name), path.join(dir, name));
}

/**
 * Writes the bad inputs into dir; returns {file name: the error code the engine gives}.
 * The defects mirror the engine's own bad-input tests.
 */
export function writeBadFiles(dir) {
  const files = badFiles();
  for (const [name, [bytes]] of Object.entries(files)) writeFileSync(path.join(dir, name), bytes);
  return Object.fromEntries(Object.entries(files).map(([name, [, code]]) => [name, code]));
}

/** A JPEG of the cat stored sideways with EXIF orientation 6: upright it is 300x451. */
export function writeRotatedJpeg(engine, file) {
  const cat = engine.decode(testdata('photos/cat_chelsea.png'));
  writeFileSync(file, withExifOrientation(engine.encode(cat, { format: 'jpeg', quality: 92 }), 6, false));
}

/** Largest per-channel difference of two RGBA images of the same size (Infinity if sizes differ). */
export function maxDifference(a, b) {
  if (a.width !== b.width || a.height !== b.height) return Infinity;
  let max = 0;
  for (let i = 0; i < a.data.length; i++) max = Math.max(max, Math.abs(a.data[i] - b.data[i]));
  return max;
}
