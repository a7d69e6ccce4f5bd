// How much of the engine's heap to warm (load-engine.js warmHeap) before a photo's first
// full-size work, so that its decode, refine and render write pages already touched
// (bindings/heap_warmer.h has why). Only the threaded build has a thread to do it on.
//
// What a 12 MP blur() took above a warmed-up engine in Chromium (heapStats().peak,
// dandelions_backlit.jpg at 4619 x 2598): 226 MB with one render thread, 321 MB with two.
// bench/memory.js fits one thread's peak over 12-48 MP as ~60 MB + 12 B/px; each render
// thread beyond the first adds its strip's planes, ~100 MB. What the heap holds free
// already is not warmed again: a second photo of the same size warms nothing.
const baseBytes = 80e6;
const bytesPerExtraThread = 100e6;
const bytesPerPixel = 13;

/** Bytes to warm before a width x height photo, given the engine's heapStats(). */
export function bytesToWarm({ peak, allocated }, width, height, threads) {
  if (threads < 2) return 0;
  const need = baseBytes + bytesPerExtraThread * (threads - 1) + bytesPerPixel * width * height;
  return Math.max(0, Math.round(need - (peak - allocated)));
}
