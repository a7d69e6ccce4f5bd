// Web Worker that hosts the engine and the model for createDefocus() in browsers, so the
// page's main thread never runs the heavy work. Messages: {id, method, args} in,
// {id, result} or {id, error: {code, message}} out; progress as {progress}.
import { createDefocus } from './defocus.js';

let instance = null;

const methods = {
  async init(options) {
    instance = await createDefocus({ ...options, inWorker: true, onProgress: (progress) => postMessage({ progress }) });
    return { model: instance.model, threads: instance.threads, refine: instance.refine };
  },
  async segment(input, options) {
    const result = await instance.segment(input, options);
    return { value: result, transfer: [result.matte.buffer, result.probability.data.buffer] };
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
