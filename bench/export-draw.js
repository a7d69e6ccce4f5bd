// How a full-size render reaches the browser's encoder (`node bench/export-draw.js [PHOTO]`),
// in one Chromium page, one-thread build: the render copied into JavaScript and put on the
// canvas whole (what the module did before, and what a caller of engine.render does) against
// the render held in the engine and drawn in bands of rows (renderHeld + drawHeld, what the
// module's export does). Each is timed in three parts: render (with the copy out, for the
// first), onto the canvas, JPEG encode. Alternated, BENCH_RUNS times (default 5) after one
// untimed round; medians. The photo is PHOTO (default dandelions_backlit.jpg) resized to
// 12 MP, with a refined disc matte.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadEngine } from '../web/lib/node.js';
import { startBrowserAndServer } from '../tests/e2e/browser.mjs';
import { median, printTable } from './table.js';
import { resizeTo } from './enlarge.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const photoPath = process.argv[2] ?? `${root}../shared/testdata/photos/dandelions_backlit.jpg`;
const runs = Number(process.env.BENCH_RUNS ?? 5);

const engine = await loadEngine();
const image = resizeTo(engine, engine.decode(new Uint8Array(readFileSync(photoPath))), 12);
const jpeg = engine.encode(image, { format: 'jpeg', quality: 92 });

const env = await startBrowserAndServer();
try {
  const page = await env.browser.newPage();
  await page.goto(env.baseUrl);
  const times = await page.evaluate(async ([bytes, runs]) => {
    const { loadEngine } = await import('/lib/load-engine.js');
    const { drawHeld, encodeCanvas } = await import('/lib/encode.js');
    const engine = await loadEngine({ threads: 1 });
    engine.warmUp();
    const photo = engine.openPhoto(new Uint8Array(bytes));
    const { width, height } = photo;
    const disc = { width: 64, height: 64, data: new Float32Array(64 * 64).map((_, i) => (Math.hypot((i % 64) - 32, (i >> 6) - 36) < 18 ? 1 : 0)) };
    photo.setMatte(disc, {}, true);
    const ways = {
      'copied into JavaScript, put whole': () => {
        const { data } = photo.render({ strength: 30 });
        return () => {
          const canvas = new OffscreenCanvas(width, height);
          canvas.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(data.buffer), width, height), 0, 0);
          return canvas;
        };
      },
      'held in the engine, drawn in bands': () => {
        const held = photo.renderHeld({ strength: 30 });
        return () => drawHeld(held);
      },
    };
    const times = Object.fromEntries(Object.keys(ways).map((name) => [name, []]));
    for (let i = 0; i <= runs; i++) {
      for (const [name, way] of Object.entries(ways)) {
        let t = performance.now();
        const draw = way();
        const render = performance.now() - t;
        t = performance.now();
        const canvas = draw();
        const onto = performance.now() - t;
        t = performance.now();
        await encodeCanvas(canvas, 'jpeg', 90);
        if (i > 0) times[name].push({ render, onto, encode: performance.now() - t });  // round 0 warms up
      }
    }
    photo.dispose();
    return { times, size: `${width}x${height}` };
  }, [[...jpeg], runs]);
  console.log(`A ${times.size} render to the browser's JPEG encoder, one-thread build, lens strength 30; medians of ${runs}; ` +
    `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const rows = [['way', 'render ms', 'onto the canvas ms', 'encode ms', 'total ms', 'total / copied']];
  const totals = {};
  for (const [name, list] of Object.entries(times.times)) {
    const parts = ['render', 'onto', 'encode'].map((k) => median(list.map((r) => r[k])));
    totals[name] = median(list.map((r) => r.render + r.onto + r.encode));
    rows.push([name, ...parts.map((v) => v.toFixed(0)), totals[name].toFixed(0)]);
  }
  const copied = Object.values(totals)[0];
  rows.slice(1).forEach((row, i) => row.push((Object.values(totals)[i] / copied).toFixed(2)));
  printTable(rows);
} finally {
  await env.close();
}
