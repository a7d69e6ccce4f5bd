// Web Worker that hosts the engine and the model for createDefocus() in browsers.
// Messages: {id, method, args} in, {id, result} or {id, error: {code, message}} out;
// {abort: id} cancels a call at its next stage boundary; progress goes out as {progress}.
import { createHere } from './engine-here.js';
import { createLiveRunner } from './live-worker.js';

let instance = null;
let live = null;
const photos = new Map();
let nextPhoto = 1;
const controllers = new Map();

// Messages arrive as fresh copies, so the engine's per-input cache would never hit: the
// worker keeps the last input and reuses it when the same bytes come again.
let last = null;
function remember(input) {
  const bytes = input?.data ?? input;
  const size = bytes?.byteLength ?? bytes?.size;
  const sample = sampleOf(bytes);
  if (last && last.size === size && last.sample === sample) return last.input;
  last = { input, size, sample };
  return input;
}
function sampleOf(bytes) {
  if (!ArrayBuffer.isView(bytes) && !(bytes instanceof ArrayBuffer)) return `${bytes?.size}:${bytes?.type}:${bytes?.name}:${bytes?.lastModified}`;
  const view = new Uint8Array(bytes.buffer ?? bytes, bytes.byteOffset ?? 0, bytes.byteLength);
  let hash = 0;
  for (let i = 0; i < view.length; i += Math.max(1, view.length >> 12)) hash = (hash * 31 + view[i]) | 0;
  return hash;
}

function photoOf(id) {
  const photo = photos.get(id);
  if (!photo) throw Object.assign(new Error('this photo was closed'), { code: 'invalid_argument' });
  return photo;
}

const transferOf = (out) => ({ value: out, transfer: [out.data.buffer] });

const methods = {
  async init(options) {
    instance = await createHere({ ...options, onProgress: (progress) => postMessage({ progress }) });
    return { model: instance.model, threads: instance.threads, refine: instance.refine };
  },
  // Mattes stay cached here too: results are copied, not transferred.
  segment: (input, options, signal) => instance.segment(remember(input), { ...options, signal }),
  render: (image, matte, options, depthMap) => transferOf(instance.render(image, matte, options, depthMap)),
  blur: (input, options, signal) => instance.blur(remember(input), { ...options, signal }),
  async open(input, options, signal) {
    const photo = await instance.open(input, { ...options, signal });
    const id = nextPhoto++;
    photos.set(id, photo);
    const { width, height, coverage, timings, format, orientation, preview, previewMatte } = photo;
    return { id, width, height, coverage, timings, format, orientation, preview, previewMatte };
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
    const runner = live;
    // The camera stream is pulled here until stopped; errors end live mode with a message.
    if (readable) runner.pump(readable).catch((err) => postMessage({ liveStats: { error: String(err.message ?? err) } }));
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
