// Shared helpers for tests/models (not a test file itself).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeImage, listPhotos, toInputTensor } from '../../models/tools/images.js';

// Reference conversions (for checking only), beside the repository in ../shared.
export const REFERENCE_DIR = process.env.DEFOCUS_REFERENCE_MODELS ?? fileURLToPath(new URL('../../../shared/models/reference', import.meta.url));

let decoded = null;
/** All test photos, decoded once per process: [{name, img}]. */
export function photos() {
  if (!decoded) decoded = listPhotos().map((p) => ({ name: basename(p), img: decodeImage(p) }));
  return decoded;
}

/** Model input tensors for every photo: [{name, data}]. */
export function inputs(width, height, norm) {
  return photos().map(({ name, img }) => ({ name, data: toInputTensor(img, width, height, norm) }));
}

export function bytesOf(path) {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Print a table of per-photo numbers so test logs carry the measurements. */
export function printTable(title, rows) {
  const keys = Object.keys(rows[0] ?? {});
  const width = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
  const line = (vals) => vals.map((v, i) => String(v).padEnd(width[i])).join('  ');
  console.log(`\n${title}\n${line(keys)}\n${rows.map((r) => line(keys.map((k) => r[k]))).join('\n')}`);
}
