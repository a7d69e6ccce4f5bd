// Running ONNX models in Node with onnxruntime-web (wasm execution provider).
import * as ort from 'onnxruntime-web';

// Read once, when the first session is created: set before any session exists.
ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

export { ort };

/** Create a session from a file path or model bytes. */
export async function createSession(model) {
  return ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
}

/** Run a single-input session; returns the named (or first) output's data as Float32Array. */
export async function runSingle(session, data, dims, outputName) {
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', data, dims) };
  const name = outputName ?? session.outputNames[0];
  const results = await session.run(feeds, [name]);
  const out = results[name];
  return { data: out.data, dims: out.dims };
}
