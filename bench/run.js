// `npm run bench`: one photo, one process per build, one table.
// Native numbers come from build/native/bench/engine_bench; WASM numbers are measured here,
// in Node, one thread. Best of N runs per stage (N = BENCH_RUNS, default 3).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadEngine } from '../web/lib/load-engine.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const photo = process.argv[2] ?? `${root}../shared/testdata/photos/dandelions_backlit.jpg`;
const runs = Number(process.env.BENCH_RUNS ?? 3);

function bestOf(n, fn) {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

const native = Object.fromEntries(
  execFileSync(`${root}build/native/bench/engine_bench`, [photo, String(runs)], { encoding: 'utf8' })
    .trim().split('\n').map((line) => JSON.parse(line)).map(({ stage, ms }) => [stage, ms]),
);

const engine = await loadEngine();
const bytes = new Uint8Array(readFileSync(photo));
const image = engine.decode(bytes);
const quarter = [Math.floor(image.width / 4), Math.floor(image.height / 4)];
const wasm = {
  decode: bestOf(runs, () => engine.decode(bytes)),
  to_linear: bestOf(runs, () => engine.srgbToLinear(image.data)),
  'resize_rgba8_1/4': bestOf(runs, () => engine.resize(image, ...quarter)),
  encode_jpeg_q90: bestOf(runs, () => engine.encode(image, { format: 'jpeg', quality: 90 })),
  encode_png: bestOf(1, () => engine.encode(image, { format: 'png' })),
};

const mp = (image.width * image.height) / 1e6;
console.log(`photo: ${photo.split('/').pop()} ${image.width}x${image.height} (${mp.toFixed(1)} MP), best of ${runs}\n`);
const rows = [['stage', 'native ms', 'wasm ms', 'wasm MP/s', 'wasm / native']];
for (const stage of Object.keys(wasm)) {
  const n = native[stage];
  const w = wasm[stage];
  rows.push([stage, n?.toFixed(1) ?? '-', w.toFixed(1), (mp / (w / 1000)).toFixed(1), n ? `${(w / n).toFixed(2)}x` : '-']);
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const [i, r] of rows.entries()) {
  console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
