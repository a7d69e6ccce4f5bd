// The public module for browsers: createDefocus() gives an engine that finds the subject
// of a photo and renders the portrait; the work runs in a Web Worker. Node's entry is
// node.js (the package's "node" export condition), so a browser bundle holds no Node code.
import { DefocusError } from './errors.js';
import { blurDefaults, renderDefaults } from './defaults.js';

export { DefocusError, blurDefaults, renderDefaults };
export { apertureForStrength, formatAperture, parseAperture, strengthForAperture, strengthPresets } from './aperture.js';

/** The engine alone (decode, resize, blur, render, ...), loaded on first use: importing
 *  this module does not load it. baseUrl: a folder holding defocus_engine.wasm. */
export async function loadEngine(options) {
  return (await import('./load-engine.js')).loadEngine(options);
}

/**
 * @param {object} [options]
 * @param {string|object} [options.model='auto']  'auto' (both models fused per photo, see
 *   subject-finder.js), a manifest id ('subject', 'portrait', 'portrait-landscape') or a
 *   manifest entry object of your own
 * @param {boolean} [options.zoom=true]  a second pass on a crop around a small subject
 * @param {string|URL} [options.baseUrl]  folder holding wasm/, models/ and vendor/ (the
 *   layout of web/); default: the files of the package, wherever a bundler put them
 * @param {string|object} [options.depthModel]  a depth model (manifest id, or an entry with
 *   kind 'depth', e.g. one the user supplies with its own `url`): depth mode 'map' then
 *   takes its estimate for the circle of confusion
 * @param {number} [options.numThreads]  ONNX Runtime threads (needs cross-origin isolation)
 * @param {number} [options.renderThreads]  threads of a full-size render, 1 or 2 (default 2
 *   where the page is cross-origin isolated and has 2+ cores: the engine's threaded build)
 * @param {number} [options.maxPixels=1e8]  larger photos are refused before decoding
 * @param {number} [options.maxRenderPixels=100e6]  larger photos are refused before a
 *   full-size render (the engine's WebAssembly memory is capped at 4 GB)
 * @param {boolean|Worker} [options.worker]  false runs in the calling thread; a Worker of
 *   yours running 'defocus/worker' is used instead of the one made here
 * @param {(p: {stage: string, fraction: number}) => void} [options.onProgress]
 */
export async function createDefocus(options = {}) {
  if (typeof process === 'object' && typeof process.versions?.node === 'string' && typeof document !== 'object') {
    throw new DefocusError('unsupported', "this is defocus's browser build; in Node, import 'defocus' (its \"node\" export condition)");
  }
  const inPage = options.worker !== false && typeof Worker === 'function' && typeof document === 'object';
  // Each side loads only its own half: the page never loads the engine host itself.
  if (inPage) return (await import('./engine-in-worker.js')).createInWorker(options);
  return (await import('./engine-here.js')).createHere(options);
}
