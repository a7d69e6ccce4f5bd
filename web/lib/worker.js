// Web Worker that hosts the engine and the model for createDefocus() in browsers, so the
// page's main thread never runs the heavy work. Messages: {id, method, args} in,
// {id, result} or {id, error: {code, message}} out; progress as {progress}.
import { createDefocus } from './defocus.js';

let instance = null;

// Messages arrive as fresh copies, so the engine's per-input cache would never hit: the
// worker keeps the last input and reuses it when the same bytes come again.
let last = null;
function remember(input) {
  const bytes = input?.data ?? input;
  const size = bytes?.byteLength ?? bytes?.size;
  if (last && last.size === size && last.sample === sampleOf(bytes)) return last.input;
  last = { input, size, sample: sampleOf(bytes) };
  return input;
}
function sampleOf(bytes) {
  if (!ArrayBuffer.isView(bytes) && !(bytes instanceof ArrayBuffer)) return `${bytes?.size}:${bytes?.type}`;
  const view = new Uint8Array(bytes.buffer ?? bytes, bytes.byteOffset ?? 0, bytes.byteLength);
  let hash = 0;
  for (let i = 0; i < view.length; i += Math.max(1, view.length >> 12)) hash = (hash * 31 + view[i]) | 0;
  return hash;
}

const methods = {
  async init(options) {
    instance = await createDefocus({ ...options, inWorker: true, onProgress: (progress) => postMessage({ progress }) });
    return { model: instance.model, threads: instance.threads, refine: instance.refine };
  },
  async segment(input, options) {
    const result = await instance.segment(remember(input), options);
    return { value: result, transfer: [] };  // the matte stays cached here too: copy, not transfer
  },
  async render(image, matte, options, depthMap) {
    const out = instance.render(image, matte, options, depthMap);
    return { value: out, transfer: [out.data.buffer] };
  },
  async blur(input, options) {
    return { value: await instance.blur(remember(input), options), transfer: [] };
  },
  async dispose() {
    await instance?.dispose();
    instance = null;
    return {};
  },
};

self.onmessage = async ({ data: { id, method, args } }) => {
  try {
    const out = await methods[method](...args);
    const { value = out, transfer = [] } = out && 'value' in out ? out : { value: out };
    postMessage({ id, result: value }, transfer);
  } catch (err) {
    postMessage({ id, error: { code: err.code ?? 'internal', message: String(err.message ?? err) } });
  }
};
