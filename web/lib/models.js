// The model manifest (models/models.json) and the model files it names: parsing and
// checking the entries, turning them into the engine's tensor specs, loading the bytes
// with their sha256 verified. Works in browsers and Node (which passes its file reader).
import { DefocusError } from './errors.js';

function fail(where, message) {
  throw new DefocusError('invalid_model', `${where}: ${message}`);
}

function checkShape(where, shape, layout) {
  if (!Array.isArray(shape) || shape.length !== 4 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    fail(where, 'shape must be 4 positive integers');
  }
  if (layout !== 'NCHW' && layout !== 'NHWC') fail(where, `layout must be NCHW or NHWC, got ${JSON.stringify(layout)}`);
  const [, a, b, c] = shape;
  return layout === 'NCHW' ? { channels: a, height: b, width: c } : { height: a, width: b, channels: c };
}

/** Checks one manifest entry; returns it with derived sizes. Throws a one-line reason. */
export function checkModelEntry(entry, index = 0) {
  const where = `models.json entry ${index + 1}${entry?.id ? ` ('${entry.id}')` : ''}`;
  if (!entry || typeof entry !== 'object') fail(where, 'must be an object');
  for (const key of ['id', 'file']) if (typeof entry[key] !== 'string' || !entry[key]) fail(where, `${key} must be a non-empty string`);
  if (/[\\/]|^\./.test(entry.file)) fail(where, 'file must be a plain file name');
  if (entry.kind != null && entry.kind !== 'segmentation' && entry.kind !== 'depth') {
    fail(where, `kind must be 'segmentation' or 'depth', got ${JSON.stringify(entry.kind)}`);
  }
  if (!entry.input || !entry.output) fail(where, 'needs input and output');
  const input = checkShape(`${where} input`, entry.input.shape, entry.input.layout);
  if (input.channels !== 3) fail(where, 'input must have 3 (RGB) channels');
  const n = entry.input.normalization;
  const hasRange = Array.isArray(n?.range) && n.range.length === 2 && n.range.every(Number.isFinite) && n.range[0] !== n.range[1];
  const hasMeanStd = Array.isArray(n?.mean) && Array.isArray(n?.std) && n.mean.length === 3 && n.std.length === 3 &&
    n.mean.every(Number.isFinite) && n.std.every((s) => Number.isFinite(s) && s > 0);
  if (!hasRange && !hasMeanStd) fail(where, 'input.normalization needs range [lo, hi] or mean and std of 3 values');
  const output = checkShape(`${where} output`, entry.output.shape, entry.output.layout);
  if (entry.sha256 != null && !/^[0-9a-f]{64}$/.test(entry.sha256)) fail(where, 'sha256 must be 64 hex digits');
  if (entry.refine != null) {
    const { radius, epsilon, band } = entry.refine;
    if (!(radius > 0 && radius <= 64)) fail(where, 'refine.radius (model pixels) must be in (0, 64]');
    if (!(epsilon > 0 && epsilon <= 1)) fail(where, 'refine.epsilon must be in (0, 1]');
    if (band != null && typeof band !== 'boolean') fail(where, 'refine.band must be true or false');
  }
  return { ...entry, inputSize: input, outputSize: output };
}

/** Parses models.json text or object; returns Map id -> checked entry. */
export function parseManifest(manifest) {
  let json = manifest;
  if (typeof manifest === 'string') {
    try {
      json = JSON.parse(manifest);
    } catch (err) {
      throw new DefocusError('invalid_model', `models.json is not valid JSON: ${err.message}`);
    }
  }
  if (!Array.isArray(json?.models)) throw new DefocusError('invalid_model', 'models.json must have a "models" array');
  const entries = new Map();
  json.models.forEach((entry, i) => {
    const checked = checkModelEntry(entry, i);
    if (entries.has(checked.id)) fail(`models.json entry ${i + 1}`, `duplicate id '${checked.id}'`);
    entries.set(checked.id, checked);
  });
  return entries;
}

/** The engine's input spec for a photo: stretch like the models were trained, letterbox extreme shapes. */
export function modelInputSpec(entry, photoWidth, photoHeight) {
  const { width, height } = entry.inputSize;
  const n = entry.input.normalization;
  let mean, std;
  if (n.range) {
    // lo + v (hi - lo) / 255  ==  (v / 255 - mean) / std  with  std = 1 / (hi - lo), mean = -lo std.
    const s = 1 / (n.range[1] - n.range[0]);
    std = [s, s, s];
    mean = [-n.range[0] * s, -n.range[0] * s, -n.range[0] * s];
  } else {
    ({ mean, std } = n);
  }
  // A photo more than twice as wide (or tall) as the model's input is letterboxed, so a
  // panorama or a strip is not squeezed beyond recognition.
  const aspect = photoWidth / photoHeight / (width / height);
  return { width, height, channelsFirst: entry.input.layout === 'NCHW', mean, std, letterbox: aspect > 2 || aspect < 0.5 };
}

export function modelOutputSpec(entry) {
  const { width, height, channels } = entry.outputSize;
  return { width, height, channels, channelsFirst: entry.output.layout === 'NCHW', channel: entry.output.channel ?? 0,
    logits: Boolean(entry.output.logits) };
}

async function sha256Hex(bytes) {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The bytes at `url`, or null when it does not exist (HTTP 404, no such file). file: URLs
 * need `read` (Node passes its file reader); anything else goes through fetch.
 * onFraction(0..1) follows the download when the server sends its length.
 */
export async function readUrl(url, { read = null, onFraction = null } = {}) {
  if (url.protocol === 'file:') {
    if (!read) throw new DefocusError('unsupported', `${url.href}: file URLs can be read in Node only`);
    return read(url);
  }
  let response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new DefocusError('model_missing', `${url.href} could not be fetched: ${err.message}`);
  }
  if (response.status === 404) return null;
  if (!response.ok) throw new DefocusError('model_missing', `${url.href}: HTTP ${response.status}`);
  const total = Number(response.headers.get('content-length'));
  if (!onFraction || !total || !response.body) return new Uint8Array(await response.arrayBuffer());
  // Read in chunks to report how much of a large model has arrived. (A compressed
  // response is longer than its length header: the fraction then stops at 1.)
  const chunks = [];
  let received = 0;
  for (const reader = response.body.getReader(); ;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.length;
    onFraction(Math.min(1, received / total));
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** Reads and checks a models.json; `read` as for readUrl. */
export async function loadManifest(url, read = null) {
  const bytes = await readUrl(url, { read });
  if (!bytes) throw new DefocusError('model_missing', `the model manifest is missing: nothing at ${url.href}`);
  return parseManifest(new TextDecoder().decode(bytes));
}

/**
 * The model file's bytes, checked against the manifest's sha256. An entry may carry its
 * own `url` (a model the user keeps elsewhere); otherwise it is in the folder `where`, or
 * at `where(entry.file)` when that is a function. onFraction(0..1) follows the download;
 * `read` as for readUrl.
 */
export async function loadModelBytes(entry, where, { onFraction = null, read = null } = {}) {
  const fileUrl = typeof where === 'function' ? where : (file) => new URL(file, where);
  const url = entry.url ? new URL(entry.url, globalThis.location?.href) : fileUrl(entry.file);
  if (!url) throw new DefocusError('model_missing', `model file ${entry.file} is not part of this package: give the entry a url`);
  const bytes = await readUrl(url, { read, onFraction });
  if (!bytes) throw new DefocusError('model_missing', `model file ${entry.file} is missing: nothing at ${url.href} (npm start builds it)`);
  if (bytes.length === 0) throw new DefocusError('model_corrupt', `model file ${entry.file} is empty`);
  if (entry.bytes != null && bytes.length !== entry.bytes) {
    throw new DefocusError('model_corrupt',
      `model file ${entry.file} has ${bytes.length} bytes, the manifest says ${entry.bytes} (truncated or replaced)`);
  }
  if (entry.sha256) {
    const actual = await sha256Hex(bytes);
    if (actual !== entry.sha256) {
      throw new DefocusError('model_corrupt', `model file ${entry.file} fails its sha256 check (got ${actual.slice(0, 12)}...)`);
    }
  }
  return bytes;
}
