// The full-size render alone, in Chromium under COOP/COEP, in a module Worker (where the
// module's engine runs): the one-thread build (WebAssembly exceptions) against the threaded
// build (JavaScript exceptions: the root CMakeLists.txt says why) on 1 and on 2 threads,
// so the exceptions' cost and the second thread's gain show apart. A 12 MP photo made from
// PHOTO (default dandelions_backlit.jpg) and a soft disc matte; first render of each engine,
// then the best of BENCH_RUNS (default 3), alternating. Then the photo's matte refinement,
// one-thread build against 2 threads. `node bench/render-threads.js [PHOTO]`
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadEngine } from '../web/lib/node.js';
import { softDiscMatteSource, startEmbeddingSite } from '../tests/e2e/browser.mjs';
import { printTable } from './table.js';
import { resizeTo } from './enlarge.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const photoPath = process.argv[2] ?? `${root}../shared/testdata/photos/dandelions_backlit.jpg`;
const runs = Number(process.env.BENCH_RUNS ?? 3);
const styles = (process.env.BENCH_STYLES ?? 'lens,gaussian').split(',');

const engine = await loadEngine();
const original = engine.decode(new Uint8Array(readFileSync(photoPath)));
const png = engine.encode(resizeTo(engine, original, 12), { format: 'png' });

// The threaded build on one thread: its raw module with the wrapper's checked options.
const workerSource = `
import { loadEngine } from '/defocus/lib/load-engine.js';
import { createThreadedModule, threadedFiles } from '/defocus/lib/threaded-engine.js';
${softDiscMatteSource}
onmessage = async ({ data: { png, runs, styles } }) => {
  const one = await loadEngine({ threads: 1 });
  const two = await loadEngine({ threads: 2 });
  const files = threadedFiles();
  const raw = await createThreadedModule(files, (imports, receive) => {
    WebAssembly.instantiateStreaming(fetch(files.wasm), imports).then(({ instance, module }) => receive(instance, module));
    return {};
  });
  raw.setRenderThreads(1);
  const photo = one.decode(new Uint8Array(png));
  const { width, height } = photo;
  const matte = softDiscMatte(width, height);
  const engines = {
    'one-thread build (wasm exceptions)': (o) => one.render(photo, matte, o),
    'threaded build, 1 thread (JS exceptions)': (o) => raw.render(photo.data, width, height, matte, one.checkOptions(o), null),
    'threaded build, 2 threads': (o) => two.render(photo, matte, o),
  };
  const rows = [];
  for (const style of styles) {
    const options = { style, strength: 60 };
    const times = {};
    for (const [name, render] of Object.entries(engines)) {
      const t = performance.now();
      render(options);
      times[name] = { first: performance.now() - t, best: Infinity };
    }
    for (let i = 0; i < runs; i++) {
      for (const [name, render] of Object.entries(engines)) {
        const t = performance.now();
        render(options);
        times[name].best = Math.min(times[name].best, performance.now() - t);
      }
    }
    rows.push({ style, times });
  }
  // The matte refinement (photo.setMatte from a 256 x 256 map) with each model's options:
  // the one-thread build against the threaded build's 2 threads.
  const map = { width: 256, height: 256, data: new Float32Array(256 * 256) };
  for (let y = 0; y < 256; y++) {
    for (let x = 0; x < 256; x++) map.data[y * 256 + x] = Math.min(1, Math.max(0, (1 - Math.hypot(x - 128, y - 150) / 70) * 8));
  }
  const opened = { 'one-thread build': one.openPhoto(photo), 'threaded build, 2 threads': two.openPhoto(photo) };
  const refines = [];
  for (const [model, refine] of [['portrait', { radius: 4 }], ['subject', { radius: 1, band: true }]]) {
    const best = {};
    for (let i = 0; i <= runs; i++) {  // the first call untimed: it grows each heap
      for (const [name, p] of Object.entries(opened)) {
        const t = performance.now();
        p.setMatte(map, refine);
        if (i > 0) best[name] = Math.min(best[name] ?? Infinity, performance.now() - t);
      }
    }
    refines.push({ model, best });
  }
  postMessage({ rows, refines, width, height, cores: navigator.hardwareConcurrency });
};
`;

const site = await startEmbeddingSite({ 'index.html': '<!doctype html><title>bench</title>', 'bench-worker.js': workerSource });
try {
  const os = await import('node:os');
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
  const page = await site.browser.newPage();
  await page.goto(site.baseUrl);
  const out = await page.evaluate(({ png, runs, styles }) => new Promise((resolve) => {
    const worker = new Worker('/bench-worker.js', { type: 'module' });
    worker.onmessage = ({ data }) => resolve(data);
    worker.onerror = (e) => resolve({ error: e.message });
    worker.postMessage({ png, runs, styles });
  }), { png: [...png], runs, styles });
  if (out.error) throw new Error(out.error);
  console.log(`full-size render of ${out.width}x${out.height} (${photoPath.split('/').pop()}), strength 60, in a module Worker; ` +
    `first render, then best of ${runs}; ${out.cores} cores`);
  const rows = [['style', 'engine', 'first ms', 'best ms', 'best / one-thread build']];
  for (const { style, times } of out.rows) {
    const base = times['one-thread build (wasm exceptions)'].best;
    for (const [name, t] of Object.entries(times)) rows.push([style, name, t.first.toFixed(0), t.best.toFixed(0), (t.best / base).toFixed(2)]);
  }
  printTable(rows);
  console.log(`\nthe photo's matte refined from a 256 x 256 map (setMatte) with each model's refine options, best of ${runs}`);
  const refineRows = [['model', 'engine', 'best ms', 'best / one-thread build']];
  for (const { model, best } of out.refines) {
    const base = best['one-thread build'];
    for (const [name, ms] of Object.entries(best)) refineRows.push([model, name, ms.toFixed(0), (ms / base).toFixed(2)]);
  }
  printTable(refineRows);
} finally {
  await site.close();
}
