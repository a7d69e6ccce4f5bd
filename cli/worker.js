// One engine in a worker thread: photo bytes in, portrait (and matte PNG) bytes out.
// The engine is single-threaded WebAssembly, so parallel photos need one engine each;
// the main thread keeps all file I/O and reporting.
import { parentPort, workerData } from 'node:worker_threads';
import { createDefocus, DefocusError } from '../web/lib/node.js';
import { ownBuffer } from './files.js';
import { encodeMattePng } from './matte-png.js';

const { model, baseUrl, render } = workerData;

const errorOf = (e) => ({ code: e?.code ?? 'internal', message: String(e?.message ?? e).split('\n')[0] });

let defocus;
try {
  defocus = await createDefocus({ model, baseUrl });
  // The engine's own check of the render options: a value it rejects is reported once,
  // before the batch, instead of as a failure of every file. A background image is
  // decoded once here for the same reason (the module decodes it again, once, per worker).
  const { background, ...rest } = render;
  if (background instanceof Uint8Array) {
    try {
      defocus.engine.decode(background);
    } catch (err) {
      throw new DefocusError(err.code ?? 'invalid_argument', `background image: ${err.message}`);
    }
  }
  defocus.engine.checkOptions(background instanceof Uint8Array ? rest : render);
  // Work queued during start-up (~0.5 s measured) runs now, not inside the first photo.
  await new Promise((resolve) => setImmediate(resolve));
  parentPort.postMessage({ ready: true });
} catch (e) {
  parentPort.postMessage({ fatal: errorOf(e) });
}

parentPort.on('message', async ({ bytes, format, quality, mask }) => {
  try {
    const result = await defocus.blur(bytes, { ...render, format, quality, matte: Boolean(mask) });
    const data = ownBuffer(result.data);
    const reply = { data, width: result.width, height: result.height, timings: result.timings,
      coverage: result.coverage, subject: result.subject };
    if (mask) {
      const t = performance.now();
      reply.mask = encodeMattePng(result.matte, result.width, result.height);
      reply.timings = { ...reply.timings, mask: performance.now() - t };
    }
    parentPort.postMessage(reply, [data.buffer, ...(reply.mask ? [reply.mask.buffer] : [])]);
  } catch (e) {
    // Decided by code, never by message text. out_of_memory and the other engine codes
    // leave the engine serving the next photo; a crashed engine (engine_crashed, a
    // WebAssembly trap) or anything that is no DefocusError retires this worker, and the
    // pool starts a fresh one for the next photo.
    const error = errorOf(e);
    if (error.code === 'engine_crashed') {
      try {
        error.message += ` (WebAssembly heap at ${(defocus.engine.heapStats().heapSize / 2 ** 30).toFixed(1)} GiB of 4 at most)`;
      } catch {
        // a crashed instance may not answer even this
      }
    }
    parentPort.postMessage({ error, retire: !(e instanceof DefocusError) || error.code === 'engine_crashed' });
  }
});
