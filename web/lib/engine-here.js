// The engine host: the WASM engine, the segmentation model (and an optional depth model)
// in this thread. Node uses it directly (node.js hands in its file reader and WebP
// encoder); browsers run it inside worker.js.
import * as ort from '../vendor/ort/ort.wasm.min.mjs';
import { DefocusError, missingFile } from './errors.js';
import { loadEngine, toBytes } from './load-engine.js';
import { packageFiles } from './assets.js';
import { checkModelEntry, loadManifest, loadModelBytes } from './models.js';
import { createSegmenter } from './segmenter.js';
import { createSubjectFinder } from './subject-finder.js';
import { isRgba, toEnginePhoto, toPreviewImage } from './image-input.js';
import { bytesToWarm, canWarmHeap, stepWhileWaiting } from './heap-warming.js';
import { checkFormat } from './encode.js';
import { checkBackgroundFormat } from './background.js';
import { checkRenderable, createPhoto, defaultPreviewSize, renderFullSize } from './photo.js';
import { createLivePipeline } from './live.js';
import { createProgress } from './progress.js';
import { createBackgroundResolver } from './background-input.js';

const now = () => performance.now();

function defaultThreads() {
  return globalThis.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
}

// A full-size render's strips: on two threads where there are two cores (the threaded
// build has one pool worker; load-engine.js falls back to one thread without isolation,
// and in Node). ONNX Runtime's threads never run at the same time as a render.
function defaultRenderThreads() {
  return Math.min(2, globalThis.navigator?.hardwareConcurrency || 1);
}

/** Whether a file of the package can be read (asked only after something failed, to say which file). */
async function exists(url, read) {
  try {
    if (url.protocol === 'file:') return (await read?.(url)) != null;
    return (await fetch(url, { method: 'HEAD' })).ok;
  } catch {
    return false;
  }
}

/**
 * @param options  createDefocus's options (defocus.d.ts)
 * @param host     what the platform adds: {read(url) for file: URLs, encodeWebp, threads,
 *   readyWhenWarm (resolve once the models' first runs are done: a page loads before its
 *   first photo is chosen; Node goes on, its first photo waiting for them instead)},
 *   and for tests beforeStage(stage), awaited at the start of each stage (stage-gate.js)
 */
export async function createHere({ model = 'auto', zoom = true, depthModel, baseUrl, numThreads, renderThreads, maxPixels, maxRenderPixels, onProgress } = {}, host = {}) {
  const files = packageFiles(baseUrl);
  const { read = null, beforeStage = () => {} } = host;
  const tracker = createProgress(onProgress);
  const progress = tracker.report;
  // Every stage of a call opens the same way: the test gate, the abort check, progress 0.
  async function enterStage(stage, signal) {
    await beforeStage(stage);
    signal?.throwIfAborted();
    progress(stage, 0);
  }

  progress('fetch model', 0);
  const wasm = read && files.engineWasm.protocol === 'file:' ? await read(files.engineWasm) : undefined;
  if (wasm === null) throw missingFile('the engine', files.engineWasm.href, 'no such file');
  const engine = await loadEngine({ wasm: wasm ?? files.engineWasm, threads: renderThreads ?? defaultRenderThreads(), threadedFiles: files.engineThreads });
  // The first photo of a session would run in baseline WebAssembly code (warm_up.cpp). The
  // optimised code is compiled in the background after this run, and takes seconds: done
  // first, it compiles while the models load (in Chromium, a 12 MP refine 6 s after one
  // warm-up took 317 ms, 1.5 s after it 2073 ms; later ones 115 ms: /tmp measurements).
  engine.warmUp();
  let manifest = files.models.manifest ?? null;
  const entryOf = async (m) => {
    if (typeof m !== 'string') return checkModelEntry(m);
    manifest ??= await loadManifest(files.models.manifestUrl, read);
    const found = manifest.get(m);
    if (!found) throw new DefocusError('invalid_argument', `unknown model '${m}' (known: ${[...manifest.keys()].join(', ')})`);
    return found;
  };
  // 'auto' is the person model and the object model together (subject-finder.js); a single
  // model is a person model when its task says so, an object model otherwise.
  const entries = model === 'auto' ? [await entryOf('portrait'), await entryOf('subject')] : [await entryOf(model)];
  const isPerson = (e) => e.task === 'person segmentation';
  const depthEntry = depthModel ? await entryOf(depthModel) : null;
  if (depthEntry && depthEntry.kind !== 'depth') {
    throw new DefocusError('invalid_model', `model '${depthEntry.id}' is not a depth model (kind 'depth')`);
  }
  const allBytes = [];
  for (const [i, e] of entries.entries()) {
    const share = 0.9 / entries.length;
    allBytes.push(await loadModelBytes(e, files.models.fileUrl, { read, onFraction: (f) => progress('fetch model', share * (i + f)) }));
  }
  const depthBytes = depthEntry ? await loadModelBytes(depthEntry, files.models.fileUrl, { read }) : null;
  // Self-hosted runtime files: no request leaves the origin. Threads are read once, when
  // the first session is created: set before.
  ort.env.wasm.wasmPaths = { mjs: files.ortModule.href, wasm: files.ortWasm.href };
  ort.env.wasm.numThreads = numThreads ?? host.threads ?? defaultThreads();
  const segmenters = [];
  let depthRunner;
  try {
    for (const [i, e] of entries.entries()) segmenters.push(await createSegmenter(ort, e, allBytes[i]));
    depthRunner = depthEntry ? await createSegmenter(ort, depthEntry, depthBytes) : null;
  } catch (err) {
    for (const s of segmenters) await s.dispose();
    // A runtime that did not load looks like a bad model to ONNX Runtime: say which file is missing.
    for (const url of [files.ortModule, files.ortWasm]) {
      if (!(await exists(url, read))) throw missingFile('ONNX Runtime', url.href, 'not found');
    }
    throw err;
  }
  const finder = createSubjectFinder(engine, {
    person: segmenters.find((s) => isPerson(s.entry)) ?? null,
    object: segmenters.find((s) => !isPerson(s.entry)) ?? null,
  });
  // Live video wants the fast model: the person model when there is one.
  const segmenter = segmenters.find((s) => isPerson(s.entry)) ?? segmenters[0];
  const entry = finder.entry;
  // The first photo would pay for each model session's first run too (segmenter.js warmUp).
  const warmedUp = Promise.all([...segmenters, depthRunner].map((s) => s?.warmUp()));
  if (host.readyWhenWarm) await warmedUp;
  progress('fetch model', 1);

  const depths = new WeakMap();  // one depth estimate per photo, like the matte
  const core = {
    engine,
    encodeWebp: host.encodeWebp,
    refine: entry.refine,
    hasDepthModel: Boolean(depthRunner),
    maxRenderPixels,
    enterStage,
    progress,
    background: createBackgroundResolver(engine, { maxPixels }),
    async depthOf(image) {
      if (!depths.has(image)) depths.set(image, await depthRunner.run(engine, image));
      return depths.get(image);
    },
  };

  // The photo decoded into the engine, where model input, refinement, rendering and
  // encoding all read it: by the engine's own decoder in Node, by the browser's in browsers
  // (which writes the pixels into the engine, or hands them over once). {photo, format, orientation}.
  // `toRender`: the photo is decoded to be rendered at full size (blur(), an export), so the
  // heap is warmed for it meanwhile.
  async function decodeToPhoto(input, { toRender = false } = {}) {
    if (typeof createImageBitmap !== 'function' && !isRgba(input)) {
      const bytes = toBytes(typeof Blob === 'function' && input instanceof Blob ? await input.arrayBuffer() : input);
      if (bytes.length === 0) throw new DefocusError('empty_input', 'the file is empty');
      const photo = engine.openPhoto(bytes, { maxPixels });
      return { photo, format: photo.format, orientation: photo.orientation };
    }
    return toEnginePhoto(engine, input, { maxPixels, beforeDecode: toRender ? warmHeapFor : undefined });
  }
  // While the browser decodes a photo, the heap its refine and render will use is written
  // (heap-warming.js): on the other core by the threaded build, by this thread in steps
  // while it waits in the one-thread build (the steps end with the decode). A session's
  // first 12 MP render was 1.4-1.6x a later one. Only for a photo that will be rendered; an
  // optimisation, so it never fails a call. Returns what ends the steps.
  function warmHeapFor({ width, height }) {
    try {
      checkRenderable({ width, height }, maxRenderPixels);  // else refused after the decode
      const bytes = bytesToWarm(engine.heapStats(), width, height, engine.threads);
      if (bytes > 0 && canWarmHeap(engine) && engine.warmHeap(Math.min(bytes, 2 ** 32 - 1))) return stepWhileWaiting(engine);
    } catch {}
    return undefined;
  }
  // The same as the 'decode' stage of a call.
  async function decodeIntoEngine(input, timings, signal, { toRender = false } = {}) {
    await enterStage('decode', signal);
    const t = now();
    const opened = await decodeToPhoto(input, { toRender });
    timings.decode = now() - t;
    progress('decode', 1);
    return opened;
  }

  // What open() starts from: in browsers, a file the browser decodes is decoded straight to
  // preview size (image-input.js toPreviewImage), the full size waiting for the first
  // export; otherwise the photo decoded into the engine. {source (photo.js), format, orientation}.
  async function openSource(input, previewSize, timings, signal) {
    await enterStage('decode', signal);
    const t = now();
    const preview = await toPreviewImage(engine, input, previewSize, { maxPixels });
    const opened = preview ? null : await decodeToPhoto(input);
    timings.decode = now() - t;
    progress('decode', 1);
    if (opened) {
      const { photo, format, orientation } = opened;
      return { source: { photo, width: photo.width, height: photo.height }, format, orientation };
    }
    const { image: previewImage, width, height, format, orientation } = preview;
    const decodeFull = async () => {
      const { photo } = await decodeToPhoto(input, { toRender: true });  // the first export's
      if (photo.width !== width || photo.height !== height) {
        photo.dispose();
        throw new DefocusError('corrupt', `the photo decoded to ${photo.width} x ${photo.height}, its preview to ${width} x ${height}`);
      }
      return photo;
    };
    return { source: { previewImage, width, height, decodeFull }, format, orientation };
  }

  // The subject of an engine photo: the models' maps, fused (subject-finder.js).
  async function findSubjectIn(photo, timings, signal) {
    await enterStage('segment', signal);
    const t = now();
    const found = await finder.find(photo, { zoom, signal });  // a zoom crop copies its pixels
    timings.segment = now() - t;
    Object.assign(timings, found.timings);  // each model's part, and the zoom pass's
    progress('segment', 0.8);
    signal?.throwIfAborted();
    return found;
  }

  // blur() and segment(): the last photo is kept, so the same input again (the worker maps
  // a message that repeats the last bytes back to the first copy it saw) neither decodes nor
  // segments. `renderable`: refuse before the models' work a photo too large to render.
  let lastBlur = null;
  async function openSegmented(input, refine, timings, signal, { renderable = true } = {}) {
    const reusable = input !== null && typeof input === 'object';
    if (reusable && lastBlur?.input === input && lastBlur.refine === refine) {
      // Reused: no segment stage, but every call still opens with 'decode' (a caller's
      // progress bar and the abort test count calls by it).
      await enterStage('decode', signal);
      progress('decode', 1);
      timings.decode = 0;
      return lastBlur;
    }
    lastBlur?.photo.dispose();  // before the next photo is made: one full-size photo at a time
    lastBlur = null;
    const { photo } = await decodeIntoEngine(input, timings, signal, { toRender: renderable });
    try {
      if (renderable) checkRenderable(photo, maxRenderPixels);
      const found = await findSubjectIn(photo, timings, signal);
      const t = now();
      const { coverage } = photo.setMatte(found.probability, entry.refine, refine);
      timings.refine = now() - t;
      progress('segment', 1);
      const opened = { input, photo, refine, coverage, found };
      if (reusable) lastBlur = opened;
      return opened;
    } catch (err) {
      photo.dispose();
      throw err;
    }
  }

  return {
    model: model === 'auto' ? 'auto' : entry.id,
    /** Matte refinement settings of this model (manifest "refine": radius in model pixels, epsilon). */
    refine: entry.refine,
    threads: ort.env.wasm.numThreads,
    renderThreads: engine.threads,
    engine,

    async segment(input, { refine = true, signal } = {}) {
      tracker.start('open');
      const timings = {};
      const { photo, coverage, found } = await openSegmented(input, refine, timings, signal, { renderable: false });
      const out = { width: photo.width, height: photo.height, matte: photo.matte().data, probability: found.probability,
        coverage, subject: found.subject, subjectConfidence: found.subject.confidence, zoom: found.zoom, timings };
      if (lastBlur?.photo !== photo) photo.dispose();
      return out;
    },

    async render(image, matte, options = {}, depthMap = null) {
      const background = await core.background(options.background);  // an encoded image: decoded
      return engine.render(image, matte, background === undefined ? options : { ...options, background }, depthMap);
    },

    async open(input, { refine = true, previewSize = defaultPreviewSize, signal } = {}) {
      tracker.start('open');
      const timings = {};
      const { source, format, orientation } = await openSource(input, previewSize, timings, signal);
      let opened;
      try {
        const found = await findSubjectIn(source.photo ?? source.previewImage, timings, signal);
        opened = createPhoto(core, source, found, { previewSize, refine });
      } catch (err) {
        source.photo?.dispose();
        throw err;
      }
      // The preview and its matte are made here (the caller shows them next); the full-size
      // matte waits for the first export.
      void opened.preview;
      Object.assign(timings, opened.timings);
      progress('segment', 1);
      const exportPhoto = opened.export;
      const exportWithProgress = (options, extra) => {
        tracker.start('export');
        return exportPhoto(options, extra);
      };
      return Object.assign(opened, { timings, format, orientation, export: exportWithProgress });
    },

    /** A pipeline for live video frames (see live.js); best with a portrait model. */
    createLive(options) {
      return createLivePipeline(core, segmenter, options);
    },

    async blur(input, { format = 'png', quality = 90, refine = true, matte: wantMatte = false, signal, ...given } = {}) {
      tracker.start('blur');
      checkFormat(format, quality);
      checkBackgroundFormat(given.background, format);
      const timings = {};
      const { photo, coverage, found } = await openSegmented(input, refine, timings, signal);
      try {
        const { data, timings: spent } = await renderFullSize(core, photo, given, { format, quality, signal });
        Object.assign(timings, spent);
        const out = { data, width: photo.width, height: photo.height, format, coverage, subject: found.subject,
          subjectConfidence: found.subject.confidence, timings };
        if (wantMatte) out.matte = photo.matte().data;
        return out;
      } finally {
        photo.releaseRenderer();  // the fill's pyramid goes; photo and matte stay for a repeat of this input
        if (lastBlur?.photo !== photo) photo.dispose();
      }
    },

    async dispose() {
      lastBlur?.photo.dispose();
      lastBlur = null;
      for (const s of segmenters) await s.dispose();
      await depthRunner?.dispose();
    },
  };
}
