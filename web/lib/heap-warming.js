// How much of the engine's heap to warm (load-engine.js warmHeap) before a photo's first
// full-size work, so that its decode, refine and render write pages already touched
// (bindings/heap_warmer.h has why), and how the one-thread build writes them in steps.
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
const leastWorthWarming = 16e6;  // less is not worth the start

/** Bytes to warm before a width x height photo, given the engine's heapStats(). */
export function bytesToWarm({ peak, allocated }, width, height, threads) {
  const pixels = width * height;
  const need = bytesPerPixel * pixels + threads * stripBytesPerPixel * Math.min(pixels, stripPixels);
  const bytes = Math.round(need - (peak - allocated));
  return bytes >= leastWorthWarming ? bytes : 0;
}

// The one-thread build's steps: about 20 ms of page faults each (2-3 ms a MB), so that the
// decode's answer waits at most that long for the thread.
const stepBytes = 8 << 20;
// A task of its own for each step, at background priority, so that the decode's answer
// runs first: as back-to-back tasks of normal priority (a MessageChannel's), the steps held
// a 12 MP decode's answer back by 250-300 ms in Chromium.
const nextTask = () => globalThis.scheduler.postTask(() => {}, { priority: 'background' });

/**
 * Whether `engine` can warm its heap here: the threaded build on its own thread; the
 * one-thread build only where the browser runs background-priority tasks
 * (scheduler.postTask), as nothing else was measured to leave the decode alone.
 */
export function canWarmHeap(engine) {
  return engine.threads > 1 || typeof globalThis.scheduler?.postTask === 'function';
}

/**
 * The pages of engine.warmHeap written by this thread while it would only wait (for the
 * browser's decoder): a step at a time until the warming is done or the returned function
 * is called. In the threaded build the first step says there is nothing to do.
 */
export function stepWhileWaiting(engine) {
  let waiting = true;
  (async () => {
    do await nextTask();  // the first once the decode has been asked for
    while (waiting && engine.stepHeapWarming(stepBytes));
  })().catch(() => {});  // an optimisation: never a failure of the call
  return () => { waiting = false; };
}
