// The public module: createDefocus() gives an engine that finds the subject of a photo
// (segment) and, in later stages, renders the portrait. Browsers and Node >= 20.
import { DefocusError, loadEngine, toBytes } from './load-engine.js';
import { checkModelEntry, loadManifest, loadModelBytes } from './models.js';
import { createSegmenter } from './segmenter.js';

export { DefocusError };

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

async function importOrt(baseUrl) {
  if (isNode) return import('onnxruntime-web');
  const ortUrl = new URL('vendor/ort/', baseUrl);
  const ort = await import(new URL('ort.wasm.min.mjs', ortUrl).href);
  ort.env.wasm.wasmPaths = ortUrl.href;  // self-hosted: no request leaves the origin
  return ort;
}

function defaultThreads() {
  if (isNode) return 1;
  return globalThis.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
}

const now = () => performance.now();

/**
 * @param {object} [options]
 * @param {string|object} [options.model='subject']  manifest id ('subject', 'portrait',
 *   'portrait-landscape') or a manifest entry object of your own
 * @param {string|URL} [options.baseUrl]  folder holding lib/, wasm/, models/, vendor/
 *   (default: the folder above this file)
 * @param {string|object} [options.depthModel]  a depth model (manifest id, or an entry with
 *   kind 'depth', e.g. one the user supplies with its own `url`): blur() then takes its
 *   depth for the circle of confusion (depth mode 'map')
 * @param {number} [options.numThreads]  ONNX Runtime threads (needs cross-origin isolation)
 * @param {(p: {stage: string, fraction: number}) => void} [options.onProgress]
 */
export async function createDefocus(options = {}) {
  // In a browser page the work goes to a Web Worker; in Node and inside the worker it runs here.
  const inPage = !isNode && !options.inWorker && typeof Worker === 'function' && typeof document === 'object';
  return inPage ? createInWorker(options) : createHere(options);
}

async function createHere({ model = 'subject', depthModel, baseUrl, numThreads, onProgress } = {}) {
  const base = new URL(baseUrl ?? '../', import.meta.url);
  const modelsUrl = new URL('models/', base);
  const progress = (stage, fraction) => onProgress?.({ stage, fraction });

  progress('fetch model', 0);
  const engine = await loadEngine({ baseUrl: new URL('wasm/', base) });
  let manifest = null;
  const entryOf = async (m) => {
    if (typeof m !== 'string') return checkModelEntry(m);
    manifest ??= await loadManifest(modelsUrl);
    const found = manifest.get(m);
    if (!found) throw new DefocusError('invalid_argument', `unknown model '${m}'`);
    return found;
  };
  const entry = await entryOf(model);
  const depthEntry = depthModel ? await entryOf(depthModel) : null;
  if (depthEntry && depthEntry.kind !== 'depth') {
    throw new DefocusError('invalid_model', `model '${depthEntry.id}' is not a depth model (kind 'depth')`);
  }
  const bytes = await loadModelBytes(entry, modelsUrl);
  const depthBytes = depthEntry ? await loadModelBytes(depthEntry, modelsUrl) : null;
  const ort = await importOrt(base);
  // Read once, when the first session is created.
  ort.env.wasm.numThreads = numThreads ?? defaultThreads();
  const segmenter = await createSegmenter(ort, entry, bytes);
  const depthRunner = depthEntry ? await createSegmenter(ort, depthEntry, depthBytes) : null;
  progress('fetch model', 1);
  const depths = new WeakMap();  // one depth estimate per photo, like the matte
  // The prepared portrait of the latest photo (and brush strokes): slider moves only re-render.
  let prepared = null;
  function portraitOf(image, matte, strokes = []) {
    const key = JSON.stringify(strokes);
    if (prepared?.image !== image || prepared.strokes !== key) {
      prepared?.session.dispose();
      const session = engine.preparePortrait(image, { width: image.width, height: image.height, data: matte }, strokes);
      prepared = { image, strokes: key, session };
    }
    return prepared.session;
  }

  /** Bytes (Blob, ArrayBuffer, typed array) -> decoded RGBA; RGBA images pass through. */
  async function toImage(input) {
    if (input && typeof input === 'object' && 'width' in input && 'height' in input && 'data' in input) return input;
    if (typeof Blob !== 'undefined' && input instanceof Blob) input = new Uint8Array(await input.arrayBuffer());
    return engine.decode(toBytes(input));
  }

  // One segmentation per photo: results are kept per input object (re-rendering at another
  // strength never segments again).
  const segmented = new WeakMap();

  async function segmentImage(image, { refine = true } = {}, timings = {}) {
    const cached = segmented.get(image);
    if (cached && cached.refine === refine) return cached.result;
    progress('segment', 0);
    let t = now();
    const probability = await segmenter.run(engine, image);
    timings.segment = now() - t;
    t = now();
    const matte = refine
      ? engine.refineMatte(image, probability, entry.refine)
      : engine.upsampleMatte(probability, image.width, image.height);
    timings.refine = now() - t;
    progress('segment', 1);
    let sum = 0;
    for (const a of matte.data) sum += a;
    const result = { width: image.width, height: image.height, matte: matte.data, probability, coverage: sum / matte.data.length };
    segmented.set(image, { refine, result });
    return result;
  }

  async function encode(image, format, quality) {
    if (!['png', 'jpeg', 'webp'].includes(format)) {
      throw new DefocusError('invalid_argument', `format must be png, jpeg or webp, got '${format}'`);
    }
    if (typeof OffscreenCanvas === 'function') {  // browsers: the platform's encoders
      const canvas = new OffscreenCanvas(image.width, image.height);
      canvas.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset,
        image.data.length), image.width, image.height), 0, 0);
      return canvas.convertToBlob({ type: `image/${format}`, quality: quality / 100 });
    }
    if (format === 'webp') return (await import('./node-webp.js')).encodeWebp(image, quality);
    return engine.encode(image, { format, quality });
  }

  return {
    model: entry.id,
    /** Matte refinement settings of this model (manifest "refine": radius in model pixels, epsilon). */
    refine: entry.refine,
    threads: ort.env.wasm.numThreads,
    /**
     * Finds the subject: {width, height, matte (Float32Array alpha 0..1 at full size),
     * probability (the model's map), coverage (mean alpha), timings (ms per stage)}.
     */
    async segment(input, options = {}) {
      const timings = {};
      const t = now();
      progress('decode', 0);
      const image = await toImage(input);
      timings.decode = now() - t;
      return { ...(await segmentImage(image, options, timings)), timings };
    },
    /** The portrait from an RGBA image and a matte Plane (see Engine.render for options). */
    render(image, matte, options = {}, depthMap = null) {
      return engine.render(image, matte, options, depthMap);
    },
    /**
     * Photo in, portrait out: decode, segment (once per input), render, encode.
     * options: the render's plus format ('png' | 'jpeg' | 'webp'), quality (1..100).
     * Returns {data (Blob in browsers, Uint8Array in Node), width, height, matte, timings}.
     */
    async blur(input, { format = 'png', quality = 90, refine = true, depthMap = null, ...options } = {}) {
      const timings = {};
      let t = now();
      progress('decode', 0);
      const image = await toImage(input);
      timings.decode = now() - t;
      const { matte } = await segmentImage(image, { refine }, timings);
      if (depthRunner && !depthMap && (options.depth?.mode ?? 'map') === 'map') {
        t = now();
        if (!depths.has(image)) depths.set(image, await depthRunner.run(engine, image));
        depthMap = depths.get(image);
        options = { ...options, depth: { ...options.depth, mode: 'map' } };
        timings.depth = now() - t;
      }
      progress('render', 0);
      t = now();
      const { strokes, ...renderOptions } = options;
      const rendered = portraitOf(image, matte, strokes).render(renderOptions, depthMap);
      timings.render = now() - t;
      progress('render', 1);
      progress('encode', 0);
      t = now();
      const data = await encode(rendered, format, quality);
      timings.encode = now() - t;
      progress('encode', 1);
      return { data, width: rendered.width, height: rendered.height, matte, timings };
    },
    /** The WASM engine underneath (decode, encode, resize, blur, render, ...). */
    engine,
    async dispose() {
      prepared?.session.dispose();
      prepared = null;
      await segmenter.dispose();
      await depthRunner?.dispose();
    },
  };
}

// The page side of a worker-hosted engine: same methods, results transferred back.
async function createInWorker({ onProgress, ...options }) {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  const pending = new Map();
  let nextId = 0;
  worker.onmessage = ({ data }) => {
    if (data.progress) return onProgress?.(data.progress);
    const call = pending.get(data.id);
    pending.delete(data.id);
    if (data.error) call.reject(new DefocusError(data.error.code, data.error.message));
    else call.resolve(data.result);
  };
  worker.onerror = (event) => {
    for (const call of pending.values()) call.reject(new DefocusError('internal', `worker failed: ${event.message}`));
    pending.clear();
  };
  const call = (method, args = [], transfer = []) => new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, method, args }, transfer);
  });
  const baseUrl = new URL(options.baseUrl ?? '../', import.meta.url).href;
  const info = await call('init', [{ ...options, baseUrl }]);
  return {
    ...info,
    // Blobs and buffers are copied to the worker; an RGBA image's pixels too. The worker
    // keeps the last decoded photo, so re-rendering it does not segment again.
    async segment(input, segmentOptions) {
      return call('segment', [input, segmentOptions]);
    },
    async render(image, matte, renderOptions, depthMap = null) {
      return call('render', [image, matte, renderOptions, depthMap]);
    },
    async blur(input, blurOptions) {
      return call('blur', [input, blurOptions]);
    },
    async dispose() {
      await call('dispose');
      worker.terminate();
    },
  };
}
