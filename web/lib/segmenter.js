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
  return {
    entry,
    /** ms spent by the last run: preparing the tensor, in the model, reading the output. */
    timings: {},
    /** Probability (or depth) map over the whole photo, at model resolution, for an RGBA image. */
    async run(engine, image) {
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
    async dispose() {
      await session.release();
    },
  };
}
