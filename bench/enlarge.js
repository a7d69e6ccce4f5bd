// Photos made the size a benchmark needs: a small photo made big for the full-size
// benchmarks (bench/memory.js, bench/fullsize.js) in whole-pixel blocks, so it keeps the
// source's edges and content; or a photo resampled by the engine to a camera's size.

// Nearest-neighbour enlargement of an RGBA image to width x height.
export function enlarge(image, width, height) {
  const data = new Uint8Array(width * height * 4);
  const src = new Uint32Array(image.data.buffer, image.data.byteOffset, image.width * image.height);
  const dst = new Uint32Array(data.buffer);
  for (let y = 0; y < height; y++) {
    const from = Math.floor((y * image.height) / height) * image.width, to = y * width;
    for (let x = 0; x < width; x++) dst[to + x] = src[from + Math.floor((x * image.width) / width)];
  }
  return { width, height, data };
}

// The image enlarged to about `megapixels` at its own aspect ratio.
export function enlargeTo(image, megapixels) {
  const height = Math.round(Math.sqrt((megapixels * 1e6 * image.height) / image.width));
  return enlarge(image, Math.round((megapixels * 1e6) / height), height);
}

// The image resampled by the engine (linear light) to about `megapixels` at its own aspect ratio.
export function resizeTo(engine, image, megapixels) {
  const scale = Math.sqrt((megapixels * 1e6) / (image.width * image.height));
  return engine.resize(image, Math.round(image.width * scale), Math.round(image.height * scale));
}
