// One process, one thread setting (ONNX Runtime reads it once): model load and
// inference times for every shipped model. Prints one JSON line per model.
//   node bench/segmentation-run.js THREADS RUNS
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { loadEngine } from '../web/lib/node.js';
import { loadManifest, loadModelBytes } from '../web/lib/models.js';
import { readFileUrl as read } from '../web/lib/node-host.js';
import { createSegmenter } from '../web/lib/segmenter.js';

const [threads = '1', runs = '3'] = process.argv.slice(2);
ort.env.wasm.numThreads = Number(threads);
const modelsUrl = new URL('../web/models/', import.meta.url);
const engine = await loadEngine();
const photo = engine.decode(readFileSync(fileURLToPath(new URL('../../shared/testdata/photos/astronaut_eileen_collins.png', import.meta.url))));
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const entry of (await loadManifest(new URL('models.json', modelsUrl), read)).values()) {
  let t = performance.now();
  const bytes = await loadModelBytes(entry, modelsUrl, { read });
  const segmenter = await createSegmenter(ort, entry, bytes);
  const loadMs = performance.now() - t;
  // Warm-up: V8 compiles ONNX Runtime's WebAssembly in tiers, the first runs are slower.
  for (let i = 0; i < 3; i++) await segmenter.run(engine, photo);
  const inference = [], prepare = [];
  for (let i = 0; i < Number(runs); i++) {
    await segmenter.run(engine, photo);
    inference.push(segmenter.timings.inference);
    prepare.push(segmenter.timings.prepare + segmenter.timings.output);
  }
  console.log(JSON.stringify({ model: entry.id, threads: Number(threads), bytes: bytes.length, loadMs,
    inferenceMs: median(inference), prepareMs: median(prepare),
    input: `${entry.inputSize.width}x${entry.inputSize.height}` }));
  await segmenter.dispose();
}
process.exit(0);
