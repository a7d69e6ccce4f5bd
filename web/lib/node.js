// The public module for Node >= 20 (the package's "node" export condition): the same
// engine as in browsers, in this thread, with files read from disk and WebP encoded by
// libwebp's WebAssembly build. Results are bytes (Uint8Array) instead of Blobs.
import { pathToFileURL } from 'node:url';
import { createHere } from './engine-here.js';
import { DefocusError, missingFile } from './errors.js';
import { blurDefaults, renderDefaults } from './defaults.js';
import { folderUrl } from './folder-url.js';
import { engineWasmUrl, loadEngine as loadEngineFrom } from './load-engine.js';
import { nodeHost, readFileUrl } from './node-host.js';

export { DefocusError, blurDefaults, renderDefaults };
export { apertureForStrength, formatAperture, parseAperture, strengthForAperture, strengthPresets } from './aperture.js';

// A baseUrl in Node may also be a path (relative to the working directory).
const cwd = pathToFileURL(`${process.cwd()}/`);
const folderOf = (baseUrl) => baseUrl == null ? undefined : folderUrl(baseUrl, cwd);

/** Options as in defocus.js; results hold bytes (Uint8Array) where browsers have Blobs. */
export function createDefocus(options = {}) {
  return createHere({ ...options, baseUrl: folderOf(options.baseUrl) }, nodeHost);
}

/** The engine alone (decode, resize, blur, render, ...); baseUrl: a folder holding defocus_engine.wasm. */
export async function loadEngine({ baseUrl } = {}) {
  const url = baseUrl ? new URL('defocus_engine.wasm', folderOf(baseUrl)) : engineWasmUrl;
  if (url.protocol !== 'file:') return loadEngineFrom({ wasm: url });
  const wasm = await readFileUrl(url);
  if (!wasm) throw missingFile('the engine', url.href, 'no such file');
  return loadEngineFrom({ wasm });
}
