// Codec and colour stages: native vs WASM on one photo.
import { execFileSync } from 'node:child_process';
import { bestOf, printTable } from './table.js';

export function benchCodecs({ engine, bytes, image, nativeBench, photoPath, runs }) {
  const native = Object.fromEntries(
    execFileSync(nativeBench, ['stages', photoPath, String(runs)], { encoding: 'utf8' })
      .trim().split('\n').map((line) => JSON.parse(line)).map(({ stage, ms }) => [stage, ms]),
  );
  const quarter = [Math.floor(image.width / 4), Math.floor(image.height / 4)];
  const wasm = {
    decode: bestOf(runs, () => engine.decode(bytes)),
    to_linear: bestOf(runs, () => engine.srgbToLinear(image.data)),
    'resize_rgba8_1/4': bestOf(runs, () => engine.resize(image, ...quarter)),
    encode_jpeg_q90: bestOf(runs, () => engine.encode(image, { format: 'jpeg', quality: 90 })),
    encode_png: bestOf(1, () => engine.encode(image, { format: 'png' })),
  };
  const mp = (image.width * image.height) / 1e6;
  console.log(`Codecs and colour: ${image.width}x${image.height} (${mp.toFixed(1)} MP), best of ${runs}`);
  const rows = [['stage', 'native ms', 'wasm ms', 'wasm MP/s', 'wasm / native']];
  for (const [stage, w] of Object.entries(wasm)) {
    const n = native[stage];
    rows.push([stage, n?.toFixed(1) ?? '-', w.toFixed(1), (mp / (w / 1000)).toFixed(1), n ? `${(w / n).toFixed(2)}x` : '-']);
  }
  printTable(rows);
}
