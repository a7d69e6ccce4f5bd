// The public module: createDefocus() gives an engine that finds the subject of a photo
// and renders the portrait. Browsers (the work runs in a Web Worker) and Node >= 20.
import { DefocusError, blurDefaults, renderDefaults } from './load-engine.js';

export { DefocusError, blurDefaults, renderDefaults };

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

/**
 * @param {object} [options]
 * @param {string|object} [options.model='subject']  manifest id ('subject', 'portrait',
 *   'portrait-landscape') or a manifest entry object of your own
 * @param {string|URL} [options.baseUrl]  folder holding lib/, wasm/, models/, vendor/
 *   (default: the folder above this file)
 * @param {string|object} [options.depthModel]  a depth model (manifest id, or an entry with
 *   kind 'depth', e.g. one the user supplies with its own `url`): depth mode 'map' then
 *   takes its estimate for the circle of confusion
 * @param {number} [options.numThreads]  ONNX Runtime threads (needs cross-origin isolation)
 * @param {number} [options.maxPixels=1e8]  larger photos are refused before decoding
 * @param {number} [options.maxRenderPixels=36e6]  larger photos are refused before a
 *   full-size render (the engine's WebAssembly memory is capped at 4 GB)
 * @param {boolean} [options.worker]  browsers: false runs in the calling thread
 * @param {(p: {stage: string, fraction: number}) => void} [options.onProgress]
 */
export async function createDefocus(options = {}) {
  const inPage = !isNode && options.worker !== false && typeof Worker === 'function' && typeof document === 'object';
  // Each side loads only its own half: the page never loads the engine host itself.
  if (inPage) return (await import('./engine-in-worker.js')).createInWorker(options);
  return (await import('./engine-here.js')).createHere(options);
}
