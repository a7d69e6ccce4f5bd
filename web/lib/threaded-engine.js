// The engine's threaded build (web/wasm/defocus_engine_threads.*): a full-size render's
// strips on two threads, for cross-origin isolated pages. Its three files are loaded by
// URL and never bundled: its pthread worker imports the glue by the glue's own URL, so
// glue, worker and binary stay the files emcc wrote (bundlers copy them as assets).
import { missingFile } from './errors.js';

// Static literals, so bundlers copy the files and rewrite the URLs.
const packaged = {
  glue: new URL('../wasm/defocus_engine_threads.js', import.meta.url),
  wasm: new URL('../wasm/defocus_engine_threads.wasm', import.meta.url),
  worker: new URL('../wasm/defocus_engine_threads.worker.js', import.meta.url),
};

const names = { glue: 'defocus_engine_threads.js', wasm: 'defocus_engine_threads.wasm', worker: 'defocus_engine_threads.worker.js' };

/** The threaded build's {glue, wasm, worker} URLs: the package's, or those in `folder` (a URL with its slash). */
export function threadedFiles(folder) {
  if (!folder) return packaged;
  return Object.fromEntries(Object.entries(names).map(([k, name]) => [k, new URL(name, folder)]));
}

/** Whether this thread can run the threaded build: shared memory needs cross-origin isolation, threads need workers. */
export function threadsAvailable() {
  return globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function' && typeof Worker === 'function';
}

// The pthread worker's script as a URL of this origin. Bundlers inline small files as data:
// URLs (Vite's 4 KB limit takes the 2 KB worker), and a data: worker has an opaque origin
// that may not import the glue: its bytes go into a blob: URL, which keeps ours.
async function workerScriptUrl(url) {
  if (url.protocol !== 'data:') return url.href;
  return URL.createObjectURL(await (await fetch(url)).blob());
}

/**
 * The raw threaded module (a promise, as the one-thread factory gives), instantiated by
 * `instantiateWasm`; `fail(error)` hears of a pool worker that did not start (the module's
 * promise would wait for it forever).
 */
export async function createThreadedModule(files, instantiateWasm, fail = () => {}) {
  let glue;
  let worker;
  try {
    glue = await import(/* @vite-ignore */ /* webpackIgnore: true */ files.glue.href);
    worker = await workerScriptUrl(files.worker);
  } catch (err) {
    throw missingFile('the engine', files.glue.href, err.message);
  }
  return glue.default({
    instantiateWasm,
    // The pthread worker: ours, not the name next to the glue (a bundler may have renamed it),
    // and it imports the glue from where we did.
    locateFile: (name) => (name.endsWith('.worker.js') ? worker : new URL(name, files.glue).href),
    mainScriptUrlOrBlob: files.glue.href,
    // emcc 3.1.6 reports a worker's error event only through printErr.
    printErr(text) {
      console.warn(text);
      if (String(text).startsWith('worker sent an error!')) fail(missingFile('the engine', files.worker.href, text));
    },
  });
}
