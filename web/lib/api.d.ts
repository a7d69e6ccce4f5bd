// The API both entries share (defocus.d.ts for browsers, node.d.ts for Node). `Data` is
// what an encoded result is: a Blob in browsers, a Uint8Array in Node; `Input` what a call
// takes (browsers add ImageData and ImageBitmap). Nothing here needs the DOM's types.
import type { Engine, RenderOptions, BrushStroke, RgbaImage, Plane } from './load-engine.js';

/** The shipped models: `auto` finds people and other subjects (the default), `subject`
 *  people, pets and products, `portrait` and `portrait-landscape` people only (fast). */
export type ModelId = 'auto' | 'subject' | 'portrait' | 'portrait-landscape';

/** A model of your own: one manifest entry (models/models.json describes the fields). */
export interface ModelEntry {
  id: string;
  /** File name in the models folder, or with `url`, the name used in messages. */
  file: string;
  /** Where the file is, when it is not one of the package's. */
  url?: string;
  kind?: 'segmentation' | 'depth';
  input: {
    name?: string;
    shape: [number, number, number, number];
    layout: 'NCHW' | 'NHWC';
    normalization: { range: [number, number] } | { mean: [number, number, number]; std: [number, number, number] };
  };
  output: {
    name?: string;
    index?: number;
    shape: [number, number, number, number];
    layout: 'NCHW' | 'NHWC';
    channel?: number;
    logits?: boolean;
    /** Depth models: larger values are nearer (default true). */
    nearIsLarge?: boolean;
  };
  sha256?: string;
  bytes?: number;
  /** Matte refinement: guided-filter radius in model pixels, epsilon, and band (the edge stage on the uncertain band). */
  refine?: { radius: number; epsilon: number; band?: boolean };
  [field: string]: unknown;
}

/** What the subject finder found. The models name no species: a dog is kind 'object'. */
export interface FoundSubject {
  kind: 'people' | 'object' | 'none';
  /** People in the front group (kind 'people'). */
  people: number;
  /** 0..1; below 0.35 nothing is cut out (kind 'none') and depth alone decides the blur. */
  confidence: number;
}

export type ProgressStage = 'fetch model' | 'decode' | 'segment' | 'render' | 'encode';

export interface Progress {
  stage: ProgressStage;
  /** 0..1 within the stage. */
  fraction: number;
  /** 0..1 over the whole call (loading, blur, open), stages weighted by their usual cost:
   *  one number for one progress bar. Meaningful when calls do not overlap. */
  overall: number;
}

export interface DefocusOptions {
  /** Default 'auto': the person model and the subject model fused per photo (people decide
   *  who is the subject, held objects stay, background people go; no people: the subject
   *  model). A model entry of your own is used alone. */
  model?: ModelId | ModelEntry;
  /** A second pass on a crop around a small subject, when it gains resolution (default true). */
  zoom?: boolean;
  /** A depth model (manifest id or entry with kind 'depth'); depth mode 'map' then uses it. */
  depthModel?: string | ModelEntry;
  /** A folder holding wasm/, models/ and vendor/ort/ (the layout of the package's web/
   *  folder), relative to the page (browsers) or the working directory (Node). Default: the
   *  package's own files, wherever a bundler put them. */
  baseUrl?: string | URL;
  /** ONNX Runtime threads; more than 1 needs cross-origin isolation. */
  numThreads?: number;
  /** Threads a full-size render uses (1 or 2; the same pixels either way). Default 2 in a
   *  cross-origin isolated page on 2+ cores, which loads the engine's threaded build; 1
   *  elsewhere and in Node. 1 saves the second thread's working memory (~180 MB). */
  renderThreads?: number;
  /** Photos with more pixels are refused before decoding (default 100 million). */
  maxPixels?: number;
  /** Full-size renders of larger photos are refused (default 100 million, the decoder's limit). */
  maxRenderPixels?: number;
  onProgress?: (progress: Progress) => void;
}

/** An encoded photo (Blob, File, ArrayBuffer, typed array) or RGBA pixels. */
export type PhotoInput = Blob | ArrayBuffer | ArrayBufferView | RgbaImage;

export type ImageFormat = 'jpeg' | 'png' | 'webp';

/** Milliseconds per stage. */
export interface Timings {
  decode?: number; segment?: number; refine?: number; preview?: number;
  depth?: number; render?: number; encode?: number;
  /** The zoomed second pass, when it ran (part of segment). */
  zoom?: number;
  /** Parts of segment: each model's run on the photo (input, inference, output) and, when
   *  the zoomed pass ran, on its crop. Model 'auto' runs both models. */
  person?: number; object?: number; personZoom?: number; objectZoom?: number;
}

export interface ExportOptions extends RenderOptions {
  /** Default 'jpeg' for Photo.export ('png' with a transparent background), 'png' for blur.
   *  A transparent background needs 'png' or 'webp'. */
  format?: ImageFormat;
  /** 1..100 (JPEG and WebP), default 90. */
  quality?: number;
  /** Rejects the call with `signal.reason` (a DOMException named 'AbortError' unless you gave
   *  your own reason), at once in browsers, at the next stage in Node. */
  signal?: AbortSignal;
}

export interface BlurCallOptions extends ExportOptions {
  /** false: plain bilinear upsampling of the model's map instead of edge-aware refinement. */
  refine?: boolean;
  /** true: the result carries the full-size matte (it stays in the engine otherwise). */
  matte?: boolean;
}

export interface Exported<Data> {
  data: Data;
  width: number;
  height: number;
  format: ImageFormat;
  timings: Timings;
}

export interface BlurResult<Data> extends Exported<Data> {
  /** Alpha 0..1 at full size, row by row: only when asked for ({matte: true}). */
  matte?: Float32Array;
  /** Mean alpha: the fraction of the photo that is subject. */
  coverage: number;
  subject: FoundSubject;
  /** subject.confidence. */
  subjectConfidence: number;
}

export interface SegmentResult {
  width: number;
  height: number;
  matte: Float32Array;
  probability: Plane;
  coverage: number;
  subject: FoundSubject;
  subjectConfidence: number;
  /** The zoomed second pass, when it ran: how much larger the model saw the subject, and the crop (pixels). */
  zoom: { gain: number; crop: { left: number; top: number; width: number; height: number } } | null;
  timings: Timings;
}

export interface OpenOptions {
  refine?: boolean;
  /** Longest side of the preview copy in pixels (default 1280). */
  previewSize?: number;
  signal?: AbortSignal;
}

/** A photo decoded and segmented once, rendered as often as the options change. It is held in
 *  the engine until close(). In browsers a JPEG or opaque PNG larger than the preview is
 *  opened from a decode straight to preview size; the full size is decoded, and its matte
 *  made, on the first export (whose progress then has a 'decode' stage). */
export interface Photo<Data> {
  width: number;
  height: number;
  /** Mean alpha of the preview's matte: the fraction of the photo that is subject. */
  coverage: number;
  subject: FoundSubject;
  subjectConfidence: number;
  /** 'jpeg', 'png', ... or 'browser' (decoded by the browser). */
  format: string;
  /** EXIF orientation found in the file (1..8), already applied. */
  orientation: number;
  timings: Timings;
  /** The photo at preview size and its matte. */
  preview: { width: number; height: number; data: Uint8Array };
  previewMatte: Float32Array;
  /** The portrait at preview size (what a slider move costs). */
  render(options?: RenderOptions): Promise<{ width: number; height: number; data: Uint8Array; ms: number }>;
  /** The preview's matte with refine-brush strokes applied. */
  previewMatteWith(strokes?: BrushStroke[]): Promise<Float32Array>;
  /** The full-resolution portrait, encoded. */
  export(options?: ExportOptions): Promise<Exported<Data>>;
  /** The matte (strokes applied) as a greyscale image file at full size. */
  exportMatte(options?: { format?: ImageFormat; quality?: number; strokes?: BrushStroke[] }): Promise<Data>;
  /** Frees the photo's engine memory. */
  close(): Promise<void>;
}

/** What every engine has, wherever it runs. */
export interface Defocus<Data, Input = PhotoInput> {
  /** The model in use. */
  model: string;
  /** ONNX Runtime threads in use (1 without cross-origin isolation, and in Node). */
  threads: number;
  /** Threads a full-size render uses: 2 in a cross-origin isolated page on 2+ cores, else 1 (the same pixels). */
  renderThreads: number;
  /** The model's matte refinement settings. */
  refine?: { radius: number; epsilon: number; band?: boolean };
  segment(input: Input, options?: { refine?: boolean; signal?: AbortSignal }): Promise<SegmentResult>;
  /** The portrait of pixels you already have and their matte. */
  render(image: RgbaImage, matte: Plane, options?: RenderOptions, depthMap?: Plane | null): Promise<RgbaImage>;
  /** Photo in, portrait out: decode, segment (once per input), render, encode. */
  blur(input: Input, options?: BlurCallOptions): Promise<BlurResult<Data>>;
  /** Decode and segment once; then preview renders and full-size exports. */
  open(input: Input, options?: OpenOptions): Promise<Photo<Data>>;
  dispose(): Promise<void>;
}

/** createLive()'s result: video frames in, portraits out, the matte steadied over frames. */
export interface LivePipeline<Data> {
  process(frame: RgbaImage, options?: RenderOptions): Promise<{
    image: RgbaImage; matte: Plane;
    timings: { segment: number; stabilize: number; refine: number; render: number };
    /** Mean frame-to-frame change of the model's map and of the steadied one (null at the first frame). */
    change: { raw: number | null; stabilised: number | null };
  }>;
  /** The latest matte applied to a full-resolution frame, encoded. */
  snapshot(fullFrame: RgbaImage, options?: RenderOptions & { format?: ImageFormat; quality?: number }):
    Promise<{ data: Data; width: number; height: number; format: ImageFormat }>;
}

/** An engine in the calling thread (Node; browsers with `worker: false`). */
export interface InThreadDefocus<Data, Input = PhotoInput> extends Defocus<Data, Input> {
  /** The WebAssembly engine underneath (decode, encode, resize, blur, ...). */
  engine: Engine;
  /** A pipeline for live video frames; best with a portrait model. */
  createLive(options?: { workingSize?: number; stabilize?: false | { minFollow?: number; noise?: number; span?: number } }): LivePipeline<Data>;
}
