// A model in ONNX Runtime Web (wasm execution provider): the engine prepares the input
// tensor and reads the output back (a subject probability, or relative depth for a depth
// model); this file only moves tensors.
import { DefocusError } from './errors.js';
import { modelInputSpec, modelOutputSpec } from './models.js';

/**
 * @param ort      the onnxruntime-web module (its env.wasm settings already made)
 * @param entry    a checked manifest entry (models.js)
 * @param bytes    the model file
 */
export async function createSegmenter(ort, entry, bytes) {
  let session;
  try {
    session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  } catch (err) {
    throw new DefocusError('model_corrupt', `model file ${entry.file} could not be loaded: ${String(err.message ?? err).split('\n')[0]}`);
  }
  const inputName = session.inputNames.includes(entry.input.name) ? entry.input.name : session.inputNames[0];
  const outputName = session.outputNames.includes(entry.output.name)
    ? entry.output.name : session.outputNames[entry.output.index ?? 0];
  const outputSpec = modelOutputSpec(entry);
  let warming = null;
  return {
    entry,
    /** ms spent by the last run: preparing the tensor, in the model, reading the output. */
    timings: {},
    /** Probability (or depth) map over the whole photo, at model resolution, for an RGBA image. */
    async run(engine, image) {
      await warming;  // one run at a time in a session
      let t = performance.now();
      const { tensor, placement } = engine.prepareModelInput(image, modelInputSpec(entry, image.width, image.height));
      const feeds = { [inputName]: new ort.Tensor('float32', tensor, entry.input.shape) };
      this.timings.prepare = performance.now() - t;
      t = performance.now();
      const results = await session.run(feeds, [outputName]);
      this.timings.inference = performance.now() - t;
      t = performance.now();
      const output = results[outputName];
      try {
        return entry.kind === 'depth'
          ? engine.depthFromOutput(output.data, outputSpec, placement, entry.output.nearIsLarge ?? true)
          : engine.probabilityFromOutput(output.data, outputSpec, placement);
      } finally {
        output.dispose?.();
        this.timings.output = performance.now() - t;
      }
    },
    /**
     * A run on a blank input, its answer dropped. A session's first run costs several later
     * ones (in Chromium the first open of a photo segmented in 1.7 s, the next in 0.9 s:
     * bench/browser.js), so the engine host starts this when it loads, not awaited: a photo
     * opened after the page has been idle for a moment no longer pays for it.
     */
    warmUp() {
      const blank = new ort.Tensor('float32', new Float32Array(entry.input.shape.reduce((a, b) => a * b, 1)), entry.input.shape);
      warming ??= session.run({ [inputName]: blank }, [outputName])
        .then((results) => results[outputName].dispose?.(), () => {});  // a failure shows on the first real run
      return warming;
    },
    async dispose() {
      await warming;
      await session.release();
    },
  };
}
