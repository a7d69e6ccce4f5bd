// Warm start (`node bench/warm-start.js`): the first full-size render of a session against
// the next ones (goal: first <= 1.3x a later one), with and without engine.warmUp(), which
// createDefocus calls at start. Each session is a fresh Node process: load the engine,
// (warm up,) then open, matte, render and encode the same 12 MP photo as a new file three
// times. CPU time of the process (user + sys) is shown beside wall time: on a shared
// machine the wall time mostly measures the other processes.
//   BENCH_RUNS=N  sessions of each kind, alternated (default 3)   PHOTO: default dandelions
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadEngine } from '../web/lib/node.js';
import { printTable } from './table.js';
import { resizeTo } from './enlarge.js';

const self = fileURLToPath(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));

async function session(photoPath, warm) {
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
  const engine = await loadEngine();
  let warmUp = null;
  if (warm) {
    const t = performance.now(), c = cpu();
    engine.warmUp();
    warmUp = { wall: performance.now() - t, cpu: cpu() - c };
  }
  const original = engine.decode(new Uint8Array(readFileSync(photoPath)));
  const image = resizeTo(engine, original, 12);
  const probability = { width: 64, height: 64, data: new Float32Array(64 * 64).map((_, i) => (Math.hypot((i % 64) - 32, (i >> 6) - 36) < 18 ? 1 : 0)) };
  const renders = [];
  for (const quality of [92, 91, 90]) {  // a new file each time: nothing cached
    const photo = engine.openPhoto(engine.encode(image, { format: 'jpeg', quality }));
    photo.setMatte(probability, {}, true);
    const t = performance.now(), c = cpu();
    const r = photo.renderEncoded({ strength: 30 }, { format: 'jpeg', quality: 90 });
    renders.push({ wall: performance.now() - t, cpu: cpu() - c, render: r.render });
    photo.dispose();
  }
  return { warmUp, renders, size: `${image.width}x${image.height}` };
}

if (process.argv[2] === '--session') {
  console.log(JSON.stringify(await session(process.argv[3], process.argv[4] === 'warm')));
} else {
  const photoPath = process.argv[2] ?? `${root}../shared/testdata/photos/dandelions_backlit.jpg`;
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const sessions = { cold: [], warm: [] };
  for (let i = 0; i < runs; i++) {
    for (const kind of ['cold', 'warm']) {
      sessions[kind].push(JSON.parse(execFileSync('node', [self, '--session', photoPath, kind], { encoding: 'utf8' })));
    }
  }
  const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];
  console.log(`Warm start: ${runs} fresh sessions of each kind, alternated, ${sessions.cold[0].size} photo, lens strength 30, ` +
    `render + JPEG encode in the engine; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const rows = [['session', 'warmUp ms (CPU)', 'first CPU ms', 'later CPU ms', 'first / later CPU', 'first wall ms', 'later wall ms', 'first / later wall']];
  for (const [kind, list] of Object.entries(sessions)) {
    const firstCpu = median(list.map((s) => s.renders[0].cpu));
    const laterCpu = median(list.flatMap((s) => s.renders.slice(1).map((r) => r.cpu)));
    const firstWall = median(list.map((s) => s.renders[0].wall));
    const laterWall = median(list.flatMap((s) => s.renders.slice(1).map((r) => r.wall)));
    rows.push([kind === 'warm' ? 'with engine.warmUp()' : 'without', kind === 'warm' ? median(list.map((s) => s.warmUp.cpu)).toFixed(0) : '',
      firstCpu.toFixed(0), laterCpu.toFixed(0), (firstCpu / laterCpu).toFixed(2), firstWall.toFixed(0), laterWall.toFixed(0),
      (firstWall / laterWall).toFixed(2)]);
  }
  printTable(rows);
  console.log('goal: first <= 1.3x a later render (medians)');
}
