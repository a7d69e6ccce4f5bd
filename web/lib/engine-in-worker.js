// The page side of a worker-hosted engine (worker.js): the same methods as engine-here.js,
// each a message to the worker, so the page's main thread never runs the heavy work.
// An AbortSignal rejects the call at once; the worker stops at its next stage boundary.
import { DefocusError } from './errors.js';
import { folderUrl } from './folder-url.js';

export async function createInWorker({ onProgress, worker: given, ...options }) {
  // The literal `new Worker(new URL(...))` is the pattern bundlers follow to build the worker.
  const worker = given instanceof Worker ? given : new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  const pending = new Map();
  let nextId = 0;
  let onLiveStats = null;
  worker.onmessage = ({ data }) => {
    if (data.progress) return onProgress?.(data.progress);
    if (data.liveStats) return onLiveStats?.(data.liveStats);
    const call = pending.get(data.id);
    if (!call) return;  // aborted: its answer is no longer wanted
    pending.delete(data.id);
    if (data.error) call.reject(new DefocusError(data.error.code, data.error.message));
    else call.resolve(data.result);
  };
  worker.onerror = (event) => {
    for (const call of pending.values()) call.reject(new DefocusError('internal', `worker failed: ${event.message}`));
    pending.clear();
  };

  function call(method, args = [], signal = null, transfer = []) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      signal?.addEventListener('abort', () => {
        if (!pending.delete(id)) return;
        worker.postMessage({ abort: id });
        reject(signal.reason);
      }, { once: true });
      worker.postMessage({ id, method, args }, transfer);
    });
  }
  // Options travel by structured clone: the signal stays here.
  const split = ({ signal, ...rest } = {}) => [rest, signal];

  function photoProxy(info) {
    const { id, ...fields } = info;
    return {
      ...fields,
      render: (renderOptions) => call('photoRender', [id, renderOptions]),
      export(exportOptions) {
        const [rest, signal] = split(exportOptions);
        return call('photoExport', [id, rest], signal);
      },
      previewMatteWith: (strokes) => call('photoMatte', [id, strokes]),
      exportMatte: (matteOptions) => call('photoExportMatte', [id, matteOptions]),
      close: async () => { await call('photoClose', [id]); },
    };
  }

  // Relative to the page, made absolute here: the worker's own location is its script.
  const baseUrl = options.baseUrl == null ? undefined : folderUrl(options.baseUrl).href;
  const info = await call('init', [{ ...options, baseUrl }]);
  return {
    ...info,
    // Blobs and buffers are copied to the worker; the worker keeps the last input, so
    // calling again with the same bytes does not segment again.
    segment(input, segmentOptions) {
      const [rest, signal] = split(segmentOptions);
      return call('segment', [input, rest], signal);
    },
    render: (image, matte, renderOptions, depthMap = null) => call('render', [image, matte, renderOptions, depthMap]),
    blur(input, blurOptions) {
      const [rest, signal] = split(blurOptions);
      return call('blur', [input, rest], signal);
    },
    async open(input, openOptions) {
      const [rest, signal] = split(openOptions);
      return photoProxy(await call('open', [input, rest], signal));
    },
    /**
     * Live video into `canvas` (an OffscreenCanvas from transferControlToOffscreen()).
     * readable: a camera track's VideoFrame stream (MediaStreamTrackProcessor), pulled by
     * the worker itself; without it, post frames with frame(ImageBitmap).
     */
    async startLive({ canvas, readable = null, options = {}, onStats = null }) {
      onLiveStats = onStats;
      await call('liveStart', [canvas, readable, options], null, readable ? [canvas, readable] : [canvas]);
      return {
        frame: (bitmap) => call('liveFrame', [bitmap], null, [bitmap]),
        setOptions: (liveOptions) => call('liveOptions', [liveOptions]),
        snapshot: (exportOptions) => call('liveSnapshot', [exportOptions]),
        stop: () => {
          onLiveStats = null;  // stats already on their way from the worker are not for the caller any more
          return call('liveStop');
        },
      };
    },
    async dispose() {
      await call('dispose');
      worker.terminate();
    },
  };
}
