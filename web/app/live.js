// Live mode: the camera with its background blurred in real time. Frames go from the
// camera track straight to the engine's worker (MediaStreamTrackProcessor), which draws
// into this page's canvas through an OffscreenCanvas: the main thread only starts and stops.
import { createDefocus } from '../lib/defocus.js';

// Where the stream API is missing, frames are grabbed from a <video> (one in flight at a time).
function pumpFromVideo(stream, live, isRunning) {
  const video = Object.assign(document.createElement('video'), { muted: true, playsInline: true, srcObject: stream });
  let busy = false;
  const next = () => video.requestVideoFrameCallback?.(onFrame) ?? requestAnimationFrame(onFrame);
  async function onFrame() {
    if (!isRunning()) return;
    if (!busy && video.readyState >= 2) {
      busy = true;
      live.frame(await createImageBitmap(video)).finally(() => { busy = false; });
    }
    next();
  }
  video.play().then(next);
}

/**
 * @param canvasSlot  element whose canvas is replaced on each start (a canvas can be
 *                    handed to a worker only once)
 * @param onStats     receives {fps, frames, timings, change, width, height, ...}
 */
export async function startLive({ canvasSlot, options, onStats }) {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 } }, audio: false,
  });
  const track = stream.getVideoTracks()[0];
  let running = true;
  let engine = null;
  try {
    const { width = 640, height = 480 } = track.getSettings();
    // The landscape variant of the person model is made for 16:9 frames.
    engine = await createDefocus({ model: width / height > 1.5 ? 'portrait-landscape' : 'portrait' });
    const canvas = document.createElement('canvas');
    canvas.id = canvasSlot.id;
    canvas.setAttribute('aria-label', canvasSlot.getAttribute('aria-label'));
    canvasSlot.replaceWith(canvas);
    const offscreen = canvas.transferControlToOffscreen();
    const readable = typeof MediaStreamTrackProcessor === 'function'
      ? new MediaStreamTrackProcessor({ track, maxBufferSize: 1 }).readable : null;
    const live = await engine.startLive({ canvas: offscreen, readable, options, onStats });
    if (!readable) pumpFromVideo(stream, live, () => running);
    return {
      canvas,
      model: engine.model,
      setOptions: (next) => live.setOptions(next),
      snapshot: (exportOptions) => live.snapshot(exportOptions),
      async stop() {
        running = false;
        track.stop();  // the camera light goes off now, not when the worker notices
        await live.stop().catch(() => {});
        await engine.dispose();
      },
    };
  } catch (err) {
    track.stop();
    await engine?.dispose();
    throw err;
  }
}
