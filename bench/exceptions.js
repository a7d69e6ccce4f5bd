// What WebAssembly exceptions (-fwasm-exceptions, which make out-of-memory an answer
// instead of an abort) cost: the module's size and the speed of the engine's main calls,
// against the same engine built without them (DEFOCUS_WASM_EXCEPTIONS=OFF, built here into
// build/wasm-noexc/ when missing). Both through the raw Embind calls, alternating, best of N.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { blurDefaults, renderDefaults } from '../web/lib/defaults.js';
import { bestOf, printTable } from './table.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const builds = {
  'with exceptions (shipped)': `${root}web/wasm/`,
  'without exceptions': `${root}build/wasm-noexc/out/`,
};

function buildWithoutExceptions() {
  const dir = `${root}build/wasm-noexc`;
  if (existsSync(`${dir}/out/defocus_engine.wasm`)) return;
  const env = { ...process.env, NODE_PATH: `/usr/share/nodejs${process.env.NODE_PATH ? `:${process.env.NODE_PATH}` : ''}` };
  execFileSync('emcmake', ['cmake', '-S', root, '-B', dir, '-DCMAKE_BUILD_TYPE=Release', '-DDEFOCUS_WASM_EXCEPTIONS=OFF',
    `-DDEFOCUS_WASM_OUT=${dir}/out`], { stdio: 'inherit', env });
  execFileSync('cmake', ['--build', dir, '-j2'], { stdio: 'inherit', env });
}

async function load(folder) {
  const { default: factory } = await import(pathToFileURL(`${folder}defocus_engine.js`).href);
  return factory({ wasmBinary: readFileSync(`${folder}defocus_engine.wasm`) });
}

function ellipseMatte(width, height) {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data[y * width + x] = ((x - width / 2) / (width * 0.2)) ** 2 + ((y - height * 0.55) / (height * 0.35)) ** 2 < 1 ? 1 : 0;
  }
  return { width, height, data };
}

export async function benchExceptions({ engine, image, runs }) {
  buildWithoutExceptions();
  const mb = (n) => (n / 1e6).toFixed(3);
  const sizes = Object.entries(builds).map(([name, folder]) => {
    const wasm = readFileSync(`${folder}defocus_engine.wasm`);
    return [name, mb(wasm.length), mb(gzipSync(wasm, { level: 9 }).length)];
  });
  const modules = await Promise.all(Object.values(builds).map(load));

  // A 2 MP copy of the photo: the preview size, where a slider move's cost is felt.
  const scale = Math.sqrt(2e6 / (image.width * image.height));
  const small = engine.resize(image, Math.round(image.width * scale), Math.round(image.height * scale));
  const { width, height, data } = small;
  const jpeg = engine.encode(small, { format: 'jpeg', quality: 90 });
  const matte = ellipseMatte(width, height);
  const sessions = modules.map((m) => m.preparePortrait(data, width, height, matte, []));
  const ops = {
    'decode JPEG': (m) => m.decode(jpeg, 1e8, true),
    'encode JPEG q90': (m) => m.encode(data, width, height, 'jpeg', 90),
    'blur lens s30': (m) => m.blur(data, width, height, { ...blurDefaults, strength: 30 }, null),
    'blur gaussian s60': (m) => m.blur(data, width, height, { ...blurDefaults, style: 'gaussian', strength: 60 }, null),
    'render lens s40 (prepared)': (m, i) => sessions[i].render({ ...renderDefaults, strength: 40 }, null),
    'render motion s40 (prepared)': (m, i) => sessions[i].render({ ...renderDefaults, style: 'motion', strength: 40 }, null),
  };
  const rows = [['call (2 MP)', ...Object.keys(builds).map((b) => `${b} ms`), 'ratio']];
  for (const [name, op] of Object.entries(ops)) {
    const best = modules.map(() => Infinity);
    for (const [i, m] of modules.entries()) {
      const out = op(m, i);  // warm-up, and a check that the call works
      if (out?.error) throw new Error(`${name}: ${out.error}`);
    }
    for (let r = 0; r < Math.max(3, runs); r++) {
      for (const [i, m] of modules.entries()) best[i] = Math.min(best[i], bestOf(1, () => op(m, i)));
    }
    rows.push([name, ...best.map((t) => t.toFixed(1)), (best[0] / best[1]).toFixed(3)]);
  }
  for (const s of sessions) s.delete();
  console.log('wasm exceptions: module size, MB');
  printTable([['build', 'raw', 'gzip'], ...sizes]);
  console.log(`wasm exceptions: speed, ${width}x${height}, best of ${Math.max(3, runs)} (ratio = with / without)`);
  printTable(rows);
}
