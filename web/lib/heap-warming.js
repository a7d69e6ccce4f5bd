// How much of the engine's heap to warm (load-engine.js warmHeap) before a photo's first
// full-size work, so that its decode, refine and render write pages already touched
// (bindings/heap_warmer.h has why). Only the threaded build has a thread to do it on.
//
// What a 12 MP blur() took above a warmed-up engine in Chromium (heapStats().peak,
// dandelions_backlit.jpg at 4619 x 2598): 226 MB with one render thread, 321 MB with two.
// bench/memory.js fits one thread's peak over 12-48 MP as ~60 MB + 12 B/px. So: 13 bytes a
// pixel of the photo (the photo, its matte, the render's output, the fill), and each
// render thread's strip of planes, ~30 bytes a pixel of a strip of up to 3 MP
// (render_strips.cpp kStripPixels; a smaller photo is one strip). What the heap holds free
// already is not warmed again: a second photo of the same size warms nothing.
const bytesPerPixel = 13;
const stripBytesPerPixel = 30;
const stripPixels = 3e6;
const leastWorthWarming = 16e6;  // less is not worth a thread's start

/** Bytes to warm before a width x height photo, given the engine's heapStats(). */
export function bytesToWarm({ peak, allocated }, width, height, threads) {
  if (threads < 2) return 0;
  const pixels = width * height;
  const need = bytesPerPixel * pixels + threads * stripBytesPerPixel * Math.min(pixels, stripPixels);
  const bytes = Math.round(need - (peak - allocated));
  return bytes >= leastWorthWarming ? bytes : 0;
}
