// The worker side of live mode: frames (a stream of VideoFrames from the camera track, or
// ImageBitmaps posted one at a time) are processed at most 640 px wide and drawn straight
// into the page's canvas (an OffscreenCanvas), so the page's main thread does no work.
import { toImageData } from './encode.js';
import { DefocusError } from './errors.js';
import { pixelsOf } from './image-input.js';

const maxWidth = 640;

export function createLiveRunner(instance, { canvas, options = {}, onStats }) {
  const pipeline = instance.createLive();
  const context = canvas.getContext('2d');
  const grabCanvas = new OffscreenCanvas(1, 1);  // frames are read through one canvas, not one each
  let renderOptions = options;
  let running = true;
  let latest = null;  // the newest source frame at camera resolution, for snapshots
  const stats = { frames: 0, started: performance.now(), timings: {}, change: { raw: 0, stabilised: 0 } };

  const sizeOf = (source) => [source.displayWidth ?? source.width, source.displayHeight ?? source.height];

  async function processFrame(source) {
    const [fullWidth, fullHeight] = sizeOf(source);
    const scale = Math.min(1, maxWidth / fullWidth);
    const width = Math.round(fullWidth * scale);
    const height = Math.round(fullHeight * scale);
    const t0 = performance.now();
    const frame = pixelsOf(source, width, height, grabCanvas);
    const grab = performance.now() - t0;
    const out = await pipeline.process(frame, renderOptions);
    if (!running) return;  // stopped while this frame was in flight: draw and count nothing
    const t1 = performance.now();
    if (canvas.width !== width || canvas.height !== height) Object.assign(canvas, { width, height });
    context.putImageData(toImageData(out.image), 0, 0);
    const timings = { grab, ...out.timings, draw: performance.now() - t1, total: performance.now() - t0 };
    // Running means per stage, and the subject map's frame-to-frame change.
    stats.frames++;
    const k = 1 / Math.min(stats.frames, 30);
    for (const [name, ms] of Object.entries(timings)) stats.timings[name] = (stats.timings[name] ?? ms) * (1 - k) + ms * k;
    for (const name of ['raw', 'stabilised']) {
      if (out.change[name] != null) stats.change[name] = stats.change[name] * (1 - k) + out.change[name] * k;
    }
    stats.width = width;
    stats.height = height;
    stats.cameraWidth = fullWidth;
    stats.cameraHeight = fullHeight;
    stats.fps = (stats.frames / (performance.now() - stats.started)) * 1000;
    onStats?.({ ...stats, timings: { ...stats.timings }, change: { ...stats.change } });
  }

  function keep(source) {
    latest?.close();
    latest = source;
  }

  return {
    /** Pulls frames from a camera track's stream until stopped; a slow frame drops the ones behind it. */
    async pump(readable) {
      const reader = readable.getReader();
      while (running) {
        const { value, done } = await reader.read();
        if (done) break;
        if (!running) {
          value.close();
          break;
        }
        try {
          await processFrame(value);
        } finally {
          keep(value);
        }
      }
      await reader.cancel().catch(() => {});
    },
    async frame(bitmap) {
      if (!running) return bitmap.close();
      try {
        await processFrame(bitmap);
      } finally {
        keep(bitmap);
      }
    },
    setOptions(options) {
      renderOptions = options;
    },
    async snapshot(exportOptions) {
      if (!latest) throw new DefocusError('invalid_argument', 'no camera frame yet');
      const [width, height] = sizeOf(latest);
      return pipeline.snapshot(pixelsOf(latest, width, height), { ...renderOptions, ...exportOptions });
    },
    stop() {
      running = false;
      latest?.close();
      latest = null;
    },
  };
}
