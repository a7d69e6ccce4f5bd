// Types of the public module (`import { createDefocus } from 'defocus'`).
import type { Engine, RenderOptions, BlurOptions, BrushStroke, DepthOptions, RgbaImage } from './load-engine.js';

export type { Engine, RenderOptions, BlurOptions, BrushStroke, DepthOptions, RgbaImage };
export { DefocusError } from './load-engine.js';
export { blurDefaults, renderDefaults } from './load-engine.js';

export type ProgressStage = 'fetch model' | 'decode' | 'segment' | 'render' | 'encode';

export interface DefocusOptions {
  /** 'subject' (people, pets, products), 'portrait', 'portrait-landscape', or a manifest entry. */
  model?: string | object;
  /** A depth model (manifest id or entry with kind 'depth'); depth mode 'map' then uses it. */
  depthModel?: string | object;
  /** Folder holding lib/, wasm/, models/ and vendor/ (default: the folder above lib/). */
  baseUrl?: string | URL;
  /** ONNX Runtime threads; more than 1 needs cross-origin isolation. */
  numThreads?: number;
  /** Photos with more pixels are refused before decoding (default 100 million). */
  maxPixels?: number;
  /** Full-size renders of larger photos are refused (default 36 million: WebAssembly's 4 GB). */
  maxRenderPixels?: number;
  /** Browsers: false keeps the work in the calling thread instead of a Web Worker. */
  worker?: boolean;
  onProgress?: (progress: { stage: ProgressStage; fraction: number }) => void;
}

/** Encoded photo (Blob, File, ArrayBuffer, typed array) or pixels (ImageData, ImageBitmap, RGBA). */
export type PhotoInput = Blob | ArrayBuffer | ArrayBufferView | ImageData | ImageBitmap | RgbaImage;

export interface Timings {
  decode?: number; segment?: number; refine?: number; preview?: number;
  depth?: number; render?: number; encode?: number;
}

export interface ExportOptions extends RenderOptions {
  format?: 'jpeg' | 'png' | 'webp';
  /** 1..100 (JPEG and WebP). */
  quality?: number;
}

export interface BlurCallOptions extends ExportOptions {
  /** false: plain bilinear upsampling of the model's map instead of edge-aware refinement. */
  refine?: boolean;
  signal?: AbortSignal;
}

export interface Exported {
  /** A Blob in browsers, bytes in Node. */
  data: Blob | Uint8Array;
  width: number;
  height: number;
  format: 'jpeg' | 'png' | 'webp';
  timings: Timings;
}

export interface BlurResult extends Exported {
  /** Alpha 0..1 at full size, row by row. */
  matte: Float32Array;
  /** Mean alpha: the fraction of the photo that is subject. */
  coverage: number;
}

export interface SegmentResult {
  width: number;
  height: number;
  matte: Float32Array;
  probability: { width: number; height: number; data: Float32Array };
  coverage: number;
  timings: Timings;
}

/** A photo decoded and segmented once, rendered as often as the options change. */
export interface Photo {
  width: number;
  height: number;
  coverage: number;
  format: string;
  orientation: number;
  timings: Timings;
  /** The photo at preview size and its matte. */
  preview: { width: number; height: number; data: Uint8Array };
  previewMatte: Float32Array;
  /** The portrait at preview size (what a slider move costs). */
  render(options?: RenderOptions): Promise<{ width: number; height: number; data: Uint8Array; ms: number }>;
  /** The preview's matte with refine-brush strokes applied. */
  previewMatteWith(strokes?: BrushStroke[]): Float32Array | Promise<Float32Array>;
  /** The full-resolution portrait, encoded. */
  export(options?: ExportOptions & { signal?: AbortSignal }): Promise<Exported>;
  /** The matte (strokes applied) as a greyscale image file at full size. */
  exportMatte(options?: { format?: 'jpeg' | 'png' | 'webp'; quality?: number; strokes?: BrushStroke[] }): Promise<Blob | Uint8Array>;
  close(): void | Promise<unknown>;
}

export interface Defocus {
  /** The model in use. */
  model: string;
  /** ONNX Runtime threads in use (1 without cross-origin isolation). */
  threads: number;
  refine: { radius?: number; epsilon?: number };
  /** Node and worker: the WASM engine underneath (decode, encode, resize, blur, ...). */
  engine?: Engine;
  segment(input: PhotoInput, options?: { refine?: boolean; signal?: AbortSignal }): Promise<SegmentResult>;
  render(image: RgbaImage, matte: { width: number; height: number; data: Float32Array }, options?: RenderOptions,
    depthMap?: { width: number; height: number; data: Float32Array } | null): Promise<RgbaImage> | RgbaImage;
  /** Photo in, portrait out: decode, segment (once per input), render, encode. */
  blur(input: PhotoInput, options?: BlurCallOptions): Promise<BlurResult>;
  /** Decode and segment once; then preview renders and full-size exports. */
  open(input: PhotoInput, options?: { refine?: boolean; previewSize?: number; signal?: AbortSignal }): Promise<Photo>;
  dispose(): Promise<void>;
}

export function createDefocus(options?: DefocusOptions): Promise<Defocus>;
