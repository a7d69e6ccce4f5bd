// Web Worker that hosts the engine and the model for createDefocus() in browsers.
// Messages: {id, method, args} in, {id, result} or {id, error: {code, message}} out;
// {abort: id} cancels a call at its next stage boundary; progress goes out as {progress}.
// Test hook: {hold: stage} holds calls at the start of that stage ('decode', 'segment',
// 'render', 'encode'), posting {held: stage} when one arrives; {release: stage} lets them on.
import { createHere } from './engine-here.js';
import { DefocusError } from './errors.js';
import { toBytes } from './load-engine.js';
import { isRgba } from './image-input.js';
import { createLiveRunner } from './live-worker.js';
import { createStageGate } from './stage-gate.js';

let instance = null;
let live = null;
const photos = new Map();
let nextPhoto = 1;
const controllers = new Map();
const gate = createStageGate({ onHeld: (held) => postMessage({ held }) });

// Messages arrive as fresh copies, so the engine's per-input cache (decode and
// segmentation) would never hit: the worker keeps the last input and passes that same
// object on when exactly the same bytes (or pixels) come again.
let last = null;  // {input, bytes, width, height}
async function remember(input) {
  const isPixels = isRgba(input);
  const isBlob = typeof Blob === 'function' && input instanceof Blob;
  if (!isPixels && !isBlob && !ArrayBuffer.isView(input) && !(input instanceof ArrayBuffer)) return input;
  // A Blob is read here once, and its bytes go on in its place.
  const bytes = isBlob ? new Uint8Array(await input.arrayBuffer()) : toBytes(isPixels ? input.data : input);
  const same = last && last.width === input.width && last.height === input.height && equalBytes(last.bytes, bytes);
  if (same) return last.input;
  const kept = isBlob ? bytes : input;
  last = { input: kept, bytes, width: input.width, height: input.height };
  return kept;
}
function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function photoOf(id) {
  const photo = photos.get(id);
  if (!photo) throw new DefocusError('invalid_argument', 'this photo was closed');
  return photo;
}

const transferOf = (out) => ({ value: out, transfer: [out.data.buffer] });

const methods = {
  async init(options) {
    instance = await createHere({ ...options, onProgress: (progress) => postMessage({ progress }) },
      { beforeStage: gate.before, readyWhenWarm: true });
    return { model: instance.model, threads: instance.threads, renderThreads: instance.renderThreads, refine: instance.refine };
  },
  // Mattes stay cached here too: results are copied, not transferred.
  segment: async (input, options, signal) => instance.segment(await remember(input), { ...options, signal }),
  render: async (image, matte, options, depthMap) => transferOf(await instance.render(image, matte, options, depthMap)),
  blur: async (input, options, signal) => instance.blur(await remember(input), { ...options, signal }),
  async open(input, options, signal) {
    const photo = await instance.open(await remember(input), { ...options, signal });
    const id = nextPhoto++;
    photos.set(id, photo);
    const { width, height, coverage, subject, subjectConfidence, timings, format, orientation, preview, previewMatte } = photo;
    return { id, width, height, coverage, subject, subjectConfidence, timings, format, orientation, preview, previewMatte };
  },
  photoRender: async (id, options) => transferOf(await photoOf(id).render(options)),
  photoMatte: (id, strokes) => photoOf(id).previewMatteWith(strokes),
  photoExport: (id, options, signal) => photoOf(id).export(options, { signal }),
  photoExportMatte: (id, options) => photoOf(id).exportMatte(options),
  photoClose(id) {
    photos.get(id)?.close();
    photos.delete(id);
    return {};
  },
  liveStart(canvas, readable, options) {
    live?.stop();
    live = createLiveRunner(instance, { canvas, options, onStats: (liveStats) => postMessage({ liveStats }) });
    // The camera stream is pulled here until stopped; errors end live mode with a message.
    if (readable) live.pump(readable).catch((err) => postMessage({ liveStats: { error: String(err.message ?? err) } }));
    return {};
  },
  liveFrame: async (bitmap) => (await live?.frame(bitmap), {}),
  liveOptions: (options) => (live?.setOptions(options), {}),
  liveSnapshot: (options) => live.snapshot(options),
  liveStop() {
    live?.stop();
    live = null;
    return {};
  },
  async dispose() {
    live?.stop();
    for (const photo of photos.values()) photo.close();
    photos.clear();
    await instance?.dispose();
    instance = null;
    return {};
  },
};

self.onmessage = async ({ data }) => {
  if ('abort' in data) return controllers.get(data.abort)?.abort();
  if ('hold' in data) return gate.hold(data.hold);
  if ('release' in data) return gate.release(data.release);
  const { id, method, args } = data;
  const controller = new AbortController();
  controllers.set(id, controller);
  try {
    const out = await methods[method](...args, controller.signal);
    const { value = out, transfer = [] } = out && 'value' in out ? out : { value: out };
    postMessage({ id, result: value }, transfer);
  } catch (err) {
    postMessage({ id, error: { code: err.code ?? (err.name === 'AbortError' ? 'aborted' : 'internal'), message: String(err.message ?? err) } });
  } finally {
    controllers.delete(id);
  }
};
