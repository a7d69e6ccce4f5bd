// A synthetic camera clip for the live-mode tests: the person of a test photo, cut out
// with the portrait model's own matte, over another photo, moving or still, with seeded
// sensor noise. Frames are RGBA with the true subject mask (alpha) beside them.
import { testdata } from './fixtures.mjs';

// Bilinear sample of a one-channel map at (x, y) in its own pixels.
function sample(map, width, height, x, y) {
  const x0 = Math.max(0, Math.min(width - 1, Math.floor(x)));
  const y0 = Math.max(0, Math.min(height - 1, Math.floor(y)));
  const x1 = Math.min(width - 1, x0 + 1);
  const y1 = Math.min(height - 1, y0 + 1);
  const fx = Math.min(1, Math.max(0, x - x0));
  const fy = Math.min(1, Math.max(0, y - y0));
  const top = map[y0 * width + x0] * (1 - fx) + map[y0 * width + x1] * fx;
  const bottom = map[y1 * width + x0] * (1 - fx) + map[y1 * width + x1] * fx;
  return top * (1 - fy) + bottom * fy;
}

// Deterministic noise: an LCG summed to a rough Gaussian of standard deviation ~sigma.
function noiseSource(seed, sigma) {
  let s = seed >>> 0;
  const next = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  return () => (next() + next() + next() + next() - 2) * sigma * Math.sqrt(3);
}

/**
 * @param engine   the WASM engine (decode, resize)
 * @param defocus  a createDefocus() instance with a portrait model, to cut the person out
 * @returns {frames: [{width, height, data, mask}], subjectBox}
 */
export async function makeClip(engine, defocus, { frames = 30, width = 640, height = 480, speed = 0, noise = 2, seed = 1 } = {}) {
  const person = engine.decode(testdata('photos/astronaut_eileen_collins.png'));
  const { matte } = await defocus.segment(person);
  const size = Math.round(height * 0.8);
  const small = engine.resize(person, size, size);
  const mask = new Float32Array(size * size);
  const scale = person.width / size;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) mask[y * size + x] = sample(matte, person.width, person.height, (x + 0.5) * scale - 0.5, (y + 0.5) * scale - 0.5);
  }
  const scenery = engine.decode(testdata('photos/mountain_trail.jpg'));
  const background = engine.resize(scenery, width, height);
  const random = noiseSource(seed, noise);
  const out = [];
  for (let f = 0; f < frames; f++) {
    const left = Math.round((width - size) / 2 + speed * (f - frames / 2));
    const top = height - size;
    const data = new Uint8Array(background.data);
    const truth = new Float32Array(width * height);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const X = left + x;
        if (X < 0 || X >= width) continue;
        const a = mask[y * size + x];
        const i = (top + y) * width + X;
        truth[i] = a;
        for (let c = 0; c < 3; c++) data[i * 4 + c] = Math.round(a * small.data[(y * size + x) * 4 + c] + (1 - a) * data[i * 4 + c]);
      }
    }
    if (noise > 0) {
      for (let i = 0; i < data.length; i++) if ((i & 3) !== 3) data[i] = Math.max(0, Math.min(255, Math.round(data[i] + random())));
    }
    out.push({ width, height, data, mask: truth });
  }
  return out;
}
