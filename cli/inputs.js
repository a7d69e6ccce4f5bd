// Command-line inputs -> the list of photos: files as given, folders searched recursively
// for image extensions, anything else as a glob (tinyglobby). Each photo keeps the path
// relative to its folder or glob base so --out-dir can mirror sub-folders.
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { kindOf } from './files.js';

/** Extensions the engine's decoder reads (stb): what a folder search picks up. */
const imageExtensions = ['jpg', 'jpeg', 'png', 'bmp', 'gif', 'tga', 'psd', 'pgm', 'ppm', 'hdr'];

// Our own outputs (NAME.defocus.EXT, NAME.mask.png) are never inputs: a second run over
// the same folder must not blur the blurred photos.
const isOwnOutput = (file) => /\.(defocus\.[^./\\]+|mask\.png)$/i.test(file);

/**
 * @param {string[]} args
 * @param {{outDir?: string}} [options] files inside outDir found by a folder or glob are skipped
 * @returns {Promise<{photos: {path: string, relative: string}[], missing: string[]}>}
 *   photos in argument order (sorted within a folder or glob), each once; `missing` are
 *   arguments that matched nothing.
 */
export async function expandInputs(args, { outDir } = {}) {
  const photos = [];
  const missing = [];
  const seen = new Set();
  // Earlier outputs in --out-dir are not inputs either (when it lies inside an input folder).
  const outDirPrefix = outDir !== undefined ? path.resolve(outDir) + path.sep : null;
  const inOutDir = (resolved) => outDirPrefix !== null && resolved.startsWith(outDirPrefix);
  const add = (file, relative, searched) => {
    const resolved = path.resolve(file);
    if (seen.has(resolved) || (searched && inOutDir(resolved))) return;
    seen.add(resolved);
    photos.push({ path: file, relative });
  };
  for (const arg of args) {
    const kind = await kindOf(arg);
    let found = [];
    if (kind === 'file') {
      add(arg, path.basename(arg), false);
      continue;
    }
    if (kind === 'dir') {
      const files = await glob(`**/*.{${imageExtensions.join(',')}}`, { cwd: arg, caseSensitiveMatch: false, onlyFiles: true });
      found = files.map((f) => [path.join(arg, f), f]);
    } else if (isDynamicPattern(arg)) {
      const files = await glob(arg, { onlyFiles: true, expandDirectories: false });
      found = files.map((f) => [f, path.basename(f)]);
    }
    found = found.filter(([f]) => !isOwnOutput(f)).sort(([a], [b]) => a.localeCompare(b));
    if (found.length === 0) missing.push(arg);
    for (const [file, relative] of found) add(file, relative, true);
  }
  return { photos, missing };
}
