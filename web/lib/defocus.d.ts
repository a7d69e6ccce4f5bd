// Types of the browser entry (`import { createDefocus } from 'defocus'` in a bundler, or
// web/lib/defocus.js from a static host). Encoded results are Blobs.
import type { RenderOptions } from './load-engine.js';
import type { Defocus, DefocusOptions, ImageFormat, InThreadDefocus, PhotoInput } from './api.js';

export type * from './api.js';
export type { Engine, RenderOptions, Background, BlurOptions, BrushStroke, DepthOptions, RgbaImage, Plane, DefocusErrorCode } from './load-engine.js';
export { DefocusError, blurDefaults, renderDefaults, loadEngine } from './load-engine.js';
export { apertureForStrength, formatAperture, parseAperture, strengthForAperture, strengthPresets } from './aperture.js';

/** An encoded photo or pixels, including the browser's own ImageData and ImageBitmap. */
export type BrowserPhotoInput = PhotoInput | ImageData | ImageBitmap;

export interface BrowserOptions extends DefocusOptions {
  /** false: the work runs in the calling thread. A Worker: one you made from 'defocus/worker'
   *  (for bundlers that do not follow `new Worker(new URL(...))`). Default: a new worker. */
  worker?: boolean | Worker;
}

/** Live camera statistics, running means over the last 30 frames. */
export interface LiveStats {
  frames: number;
  fps: number;
  /** Processing size (at most 640 wide) and the camera's own size. */
  width: number; height: number; cameraWidth: number; cameraHeight: number;
  /** ms per frame: grab, segment, stabilize, refine, render, draw, total. */
  timings: Record<string, number>;
  change: { raw: number; stabilised: number };
  /** Set when live mode stopped on an error. */
  error?: string;
}

export interface LiveSession {
  /** Without a readable stream: post frames one at a time (the bitmap is transferred). */
  frame(bitmap: ImageBitmap): Promise<void>;
  setOptions(options: RenderOptions): Promise<void>;
  /** The latest frame at the camera's full resolution, encoded. */
  snapshot(options?: { format?: ImageFormat; quality?: number }): Promise<{ data: Blob; width: number; height: number; format: ImageFormat }>;
  stop(): Promise<void>;
}

/** The engine in a Web Worker (the default in a page). */
export interface WorkerDefocus extends Defocus<Blob, BrowserPhotoInput> {
  /**
   * Live video drawn into `canvas` (from canvas.transferControlToOffscreen()) by the worker.
   * readable: a camera track's VideoFrame stream (MediaStreamTrackProcessor), pulled by the
   * worker itself; without it, post frames with frame().
   */
  startLive(options: {
    canvas: OffscreenCanvas;
    readable?: ReadableStream<VideoFrame> | null;
    options?: RenderOptions;
    onStats?: ((stats: LiveStats) => void) | null;
  }): Promise<LiveSession>;
}

export function createDefocus(options: BrowserOptions & { worker: false }): Promise<InThreadDefocus<Blob, BrowserPhotoInput>>;
export function createDefocus(options?: BrowserOptions): Promise<WorkerDefocus>;
