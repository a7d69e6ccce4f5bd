// Batch: every queued file through the engine with the same settings, streamed into one
// zip (fflate). A bad file is listed with its reason and the batch goes on.
import { Zip, ZipPassThrough, strToU8 } from '../vendor/fflate.js';
import { outputName } from './download.js';

/** Resolves to {blob, done, failed: [{name, reason}]}; onFile(index, total) after each file. */
export async function runBatch(engine, files, options, { signal, onFile = () => {} } = {}) {
  const parts = [];
  let zipError = null;
  const zip = new Zip((err, chunk) => {
    if (err) zipError = err;
    else parts.push(chunk);
  });
  const used = new Set();
  const failed = [];
  let done = 0;
  for (const [index, file] of files.entries()) {
    signal?.throwIfAborted();
    try {
      const out = await engine.blur(file, { ...options, signal });
      let name = outputName(file.name, options.format);
      for (let n = 2; used.has(name); n++) name = outputName(file.name, options.format, `defocus-${n}`);
      used.add(name);
      // Photos are already compressed: store them as they are.
      const entry = new ZipPassThrough(name);
      zip.add(entry);
      entry.push(new Uint8Array(await out.data.arrayBuffer()), true);
      done++;
    } catch (err) {
      if (err.name === 'AbortError') throw err;
      failed.push({ name: file.name, reason: err.message });
    }
    onFile(index + 1, files.length, failed);
  }
  if (failed.length) {
    const report = new ZipPassThrough('errors.txt');
    zip.add(report);
    report.push(strToU8(failed.map((f) => `${f.name}: ${f.reason}`).join('\n') + '\n'), true);
  }
  zip.end();
  if (zipError) throw zipError;
  return { blob: new Blob(parts, { type: 'application/zip' }), done, failed };
}
