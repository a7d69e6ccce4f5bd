// Where the package's files are: by default the URLs bundlers see (static `new URL('...',
// import.meta.url)` literals here, in load-engine.js and in ../models/files.js), which
// they copy and rewrite; without a bundler these resolve inside the package. A baseUrl
// (a folder holding wasm/, models/ and vendor/ort/, as `npm run build` lays them out in
// web/) replaces them all.
import { manifest, modelUrls } from '../models/files.js';
import { folderUrl } from './folder-url.js';
import { engineWasmUrl } from './load-engine.js';
import { threadedFiles } from './threaded-engine.js';
import { parseManifest } from './models.js';

// ONNX Runtime's WebAssembly build: its loader module and binary (its JS API is imported
// by engine-here.js). The threaded build runs on one thread where isolation is missing.
const ortModuleUrl = new URL('../vendor/ort/ort-wasm-simd-threaded.mjs', import.meta.url);
const ortWasmUrl = new URL('../vendor/ort/ort-wasm-simd-threaded.wasm', import.meta.url);

/**
 * {engineWasm, engineThreads (threaded-engine.js), ortModule, ortWasm, models: {manifestUrl | manifest, fileUrl(file)}} for
 * the files of the package, or of a copy of them under baseUrl.
 */
export function packageFiles(baseUrl) {
  if (baseUrl == null) {
    return {
      engineWasm: engineWasmUrl,
      engineThreads: threadedFiles(),
      ortModule: ortModuleUrl,
      ortWasm: ortWasmUrl,
      models: { manifest: parseManifest(manifest), fileUrl: (file) => modelUrls[file] },
    };
  }
  const base = folderUrl(baseUrl);
  const models = new URL('models/', base);
  return {
    engineWasm: new URL('wasm/defocus_engine.wasm', base),
    engineThreads: threadedFiles(new URL('wasm/', base)),
    ortModule: new URL('vendor/ort/ort-wasm-simd-threaded.mjs', base),
    ortWasm: new URL('vendor/ort/ort-wasm-simd-threaded.wasm', base),
    models: { manifestUrl: new URL('models.json', models), fileUrl: (file) => new URL(file, models) },
  };
}
