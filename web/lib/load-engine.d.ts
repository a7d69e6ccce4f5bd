import type {
  ErrorCodeName, ImageInfo, InputPlacement, InspectedImage, RawModelInputSpec, RawModelOutputSpec, RawOptionSpec, RawPlane,
} from '../wasm/defocus_engine.js';

export type { ErrorCodeName, ImageInfo, InputPlacement, InspectedImage };

/** The engine's codes plus those of the JS layer: a model file missing or damaged, a
 *  manifest entry that is wrong, a file of the package (engine, ONNX Runtime) that could
 *  not be loaded (the message names the URL tried), an engine that crashed (a WebAssembly
 *  trap: load a new one), a failure inside the worker. An
 *  aborted call is no DefocusError: it rejects with its signal's reason. */
export type DefocusErrorCode =
  | ErrorCodeName | 'model_missing' | 'model_corrupt' | 'invalid_model' | 'file_missing' | 'engine_crashed' | 'internal';

export class DefocusError extends Error {
  readonly code: DefocusErrorCode;
  constructor(code: DefocusErrorCode, message: string);
}

export type ByteInput = ArrayBuffer | ArrayBufferView;

export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

export interface DecodedImage {
  width: number;
  height: number;
  data: Uint8Array;
  /** 'jpeg', 'png', 'gif', 'bmp', ... */
  format: string;
  /** EXIF orientation found in the file (1..8). */
  orientation: number;
}

export type BlurStyle = 'lens' | 'gaussian' | 'motion' | 'radial';

// Each option's comment gives its range and default as the engine declares them
// (engine/src/render/option_schema.cpp); tests/js/options-schema.test.mjs holds them to it.
export interface BlurOptions {
  /** lens (bokeh discs), gaussian (soft), motion (streaks) or radial (zoom); default 'lens'. */
  style?: BlurStyle;
  /** 1..100: radius = strength / 100 * 4.21% of the image diagonal (same look at any size); strength 100 = an 85 mm f/1.4 portrait, strength = 140 / f-number. Default 30. */
  strength?: number;
  /** Lens: an integer 0..16: 0 = circular aperture, 3..16 straight blades. Default 0. */
  blades?: number;
  /** Lens: polygon rotation in degrees (any finite number). Default 0. */
  rotation?: number;
  /** Lens: 0..1, 0 = straight blades .. 1 = round. Default 0. */
  curvature?: number;
  /** Lens: linear luminance 0..1 (exclusive) above which highlights are boosted. Default 0.75. */
  highlightThreshold?: number;
  /** Lens: 0..100, how much brighter the brightest highlights get before blurring (0 = off). Default 0. */
  highlightBoost?: number;
  /** Motion: direction in degrees, counter-clockwise from horizontal (any finite number). Default 0. */
  angle?: number;
  /** Radial: zoom centre, 0..1 of the width. Default 0.5. */
  centerX?: number;
  /** Radial: zoom centre, 0..1 of the height. Default 0.5. */
  centerY?: number;
}

export const blurDefaults: Readonly<Required<BlurOptions>>;

/** One render option as the engine declares it: name, group (top level or `depth`), type,
 *  the style it applies to, range (absent: any finite value), choices, default, one line of help. */
export interface OptionSpec extends Omit<RawOptionSpec, 'style'> {
  style?: BlurStyle;
}

export interface BrushStroke {
  /** true: paint subject in; false: paint it out. */
  restore: boolean;
  /** Fraction of the image diagonal. */
  radius: number;
  /** 0 = soft .. 1 = hard edge. */
  hardness: number;
  /** Fractions of width and height. */
  points: { x: number; y: number }[];
}

export interface DepthOptions {
  /** How blur grows with distance: the scene's geometry, flat, a linear or radial gradient, or a depth map. Default 'auto'. */
  mode?: 'auto' | 'flat' | 'linear' | 'radial' | 'map';
  /** Focal plane at this point, -1..1 of the width; negative: the subject. Default -1. */
  focusX?: number;
  /** Focal plane at this point, -1..1 of the height; negative: the subject. Default -1. */
  focusY?: number;
  /** Gradient: where it is near, a fraction of the width. Default 0.5. */
  startX?: number;
  /** Gradient: where it is near, a fraction of the height. Default 1. */
  startY?: number;
  /** Gradient: where it is far, a fraction of the width. Default 0.5. */
  endX?: number;
  /** Gradient: where it is far, a fraction of the height. Default 0. */
  endY?: number;
  /** Linear gradient: a sharp band halfway that blurs towards both ends. Default false. */
  tiltShift?: boolean;
  /** auto: read the photo's own focus: what is as sharp as the subject stays
   *  sharp near it, what is already soft blurs more; photos all in focus keep the geometry. Default true. */
  readFocus?: boolean;
}

/**
 * What goes behind the subject: its own background blurred ('blur', the portrait), nothing
 * ('transparent': the subject's decontaminated colours with alpha = the matte), one colour
 * ('#rrggbb') or an image, scaled to cover the photo. Engine.render takes the image as RGBA
 * pixels; createDefocus's calls also take an encoded file (Blob, File, bytes).
 */
export type Background = 'blur' | 'transparent' | `#${string}` | RgbaImage | Blob | ArrayBuffer | ArrayBufferView;

export interface RenderOptions extends BlurOptions {
  /** Default 'blur'. */
  background?: Background;
  /** A replacement background is blurred by the depth at the strength, like the photo's own. Default true. */
  blurBackground?: boolean;
  depth?: DepthOptions;
  /** Grain matched to the photo's own noise where the background was blurred. Default false. */
  grain?: boolean;
  /** An integer 0..4294967295: same seed, same grain. Default 1. */
  grainSeed?: number;
  strokes?: BrushStroke[];
  /** Fill the background behind the subject before blurring (false: the naive blur). Default true. */
  fillBackground?: boolean;
  /** Take the old background's colour out of edge pixels (hair, fur). Default true. */
  decontaminate?: boolean;
}

export const renderDefaults: Readonly<Required<RenderOptions>>;

/** One plane of floats, e.g. a probability map or an alpha matte (values 0..1). */
export type Plane = RawPlane;
export type ModelInputSpec = RawModelInputSpec;
export type ModelOutputSpec = RawModelOutputSpec;

export interface Engine {
  decode(bytes: ByteInput, options?: { maxPixels?: number; applyOrientation?: boolean }): DecodedImage;
  probe(bytes: ByteInput): ImageInfo;
  /** Every check decode() makes before decoding a pixel (header, maxPixels, a complete
   *  file, PNG checksums), without decoding: for handing the pixels to another decoder. */
  inspect(bytes: ByteInput, options?: { maxPixels?: number }): InspectedImage;
  encode(image: RgbaImage, options?: { format?: 'png' | 'jpeg'; quality?: number }): Uint8Array;
  resize(image: RgbaImage, width: number, height: number): { width: number; height: number; data: Uint8Array };
  /** output: receives the pixels (width * height * 4 bytes) and is returned as data. */
  blur<O extends Uint8Array | Uint8ClampedArray = Uint8Array>(image: RgbaImage, options?: BlurOptions, output?: O | null):
    { width: number; height: number; data: O };
  /** The engine's verdict on render options without rendering: the options with defaults
   *  filled in, or a DefocusError 'invalid_argument' whose one-line reason names the option. */
  checkOptions(options?: RenderOptions): Required<RenderOptions>;
  /** The engine's render options: name, range, default, help (engine/src/render/option_schema.cpp). */
  optionSchema(): OptionSpec[];
  prepareModelInput(image: RgbaImage, spec: ModelInputSpec): { tensor: Float32Array; placement: InputPlacement };
  probabilityFromOutput(data: Float32Array, spec: ModelOutputSpec, placement: InputPlacement): Plane;
  depthFromOutput(data: Float32Array, spec: ModelOutputSpec, placement: InputPlacement, nearIsLarge?: boolean): Plane;
  render(image: RgbaImage, matte: Plane, options?: RenderOptions, depthMap?: Plane | null): { width: number; height: number; data: Uint8Array };
  /** The blur radius (pixels) the render gives each background pixel, and the subject's
   *  radius: the depth (with the photo's focus read, unless depth.readFocus is false) at the
   *  options' strength. For tools and tests. */
  blurRadii(image: RgbaImage, matte: Plane, options?: RenderOptions, depthMap?: Plane | null): Plane & { subject: number };
  applyStrokes(matte: Plane, strokes: BrushStroke[]): Plane;
  preparePortrait(image: RgbaImage, matte: Plane, strokes?: BrushStroke[]): {
    render(options?: RenderOptions, depthMap?: Plane | null): { width: number; height: number; data: Uint8Array };
    dispose(): void;
  };
  refineMatte(image: RgbaImage, probability: Plane,
              options?: { workingSize?: number; radius?: number; epsilon?: number; band?: boolean }): Plane;
  upsampleMatte(probability: Plane, width: number, height: number): Plane;
  /** Video: `state` (null at the first frame) moved towards `current`, jitter damped, motion followed. */
  stabilizeMatte(state: Plane | null, current: Plane, options?: { minFollow?: number; noise?: number; span?: number }): Plane;
  scoreMatte(matte: Plane, truth: Plane, tolerance?: number): { iou: number; boundaryF: number; meanAbsError: number };
  /** The automatic subject finder's rule: a person map and an object map (either may be null)
   *  to one map of the subject; aspect is the photo's width / height. photo (RGBA pixels or
   *  an engine photo): big object regions touching the people are then decided by colour. */
  findSubject(person: Plane | null, object: Plane | null, aspect: number, options?: SubjectFinderOptions,
              photo?: RgbaImage | { resize(width: number, height: number): RgbaImage } | null): FoundSubjectMap;
  /** Whether a zoomed second pass pays for `found`, and its crop (photo pixels). */
  planZoom(found: FoundSubjectMap, width: number, height: number, modelWidth: number, modelHeight: number,
           options?: ZoomOptions): ZoomPlan;
  crop(image: RgbaImage, rect: { left: number; top: number; width: number; height: number }): RgbaImage;
  /** The first pass's map with the zoomed pass's map (over plan's crop) blended in. */
  mergeZoom(full: Plane, crop: Plane, plan: ZoomPlan, width: number, height: number, options?: ZoomOptions): Plane;
  srgbToLinear(encoded: ByteInput): Float32Array;
  /** A small photo through the full-size pipeline, so the first real photo runs in
   *  optimised WebAssembly code (createDefocus calls it once). */
  warmUp(): void;
  linearToSrgb(linear: Float32Array): Uint8Array;
  /** Threads a full-size render's strips and a photo's matte refinement use: 2 in the
   *  threaded build, else 1 (the same pixels). */
  readonly threads: number;
  /** Linear memory size and the bytes malloc has handed out (exact up to 4 GB). */
  heapStats(): { heapSize: number; allocated: number; peak: number };
  /** Writes `bytes` more of the heap's pages once, so a first full-size photo's work finds
   *  them touched: on the threaded build's worker thread, in the one-thread build in
   *  stepHeapWarming's steps (pages not stepped stay pending until the next warmHeap,
   *  render or setMatte). Holds nothing afterwards, and the next render or a photo's setMatte
   *  stops it. False where there is
   *  less than a page to warm, the memory cannot grow, or a thread's warming is under way. */
  warmHeap(bytes: number): boolean;
  /** The one-thread build: writes up to `bytes` more of warmHeap's pages now; true while some are left. */
  stepHeapWarming(bytes: number): boolean;
  /** Whether the last warmHeap has pages left to write, and the bytes of pages it has written. */
  heapWarming(): { running: boolean; writtenBytes: number };
  /** For tests, not production: make one engine allocation fail (the call then answers out_of_memory). */
  testing: EngineTestHooks;
}

export interface EngineTestHooks {
  /** The engine's (n+1)-th allocation from now fails, once; later ones succeed. */
  failAllocationAfter(n: number): void;
  cancelAllocationFailure(): void;
  /** True while an armed failure has yet to happen. */
  allocationFailurePending(): boolean;
  /** Allocations the engine has made so far (to aim a failure inside an operation). */
  allocationCount(): number;
}

export function toBytes(input: ByteInput, name?: string): Uint8Array;
/** baseUrl: the folder holding defocus_engine.wasm; or wasm: the binary's URL or bytes.
 *  Default: the package's own file, wherever a bundler put it. threads > 1: in a cross-origin
 *  isolated browser thread, the threaded build (defocus_engine_threads.*, from baseUrl or
 *  threadedFiles) renders full-size strips on 2 threads; elsewhere one thread. */
export function loadEngine(options?: {
  baseUrl?: string | URL; wasm?: ArrayBuffer | ArrayBufferView | URL; threads?: number;
  threadedFiles?: { glue: URL; wasm: URL; worker: URL };
}): Promise<Engine>;

/** engine/include/defocus/subject_fusion.h explains each (fractions 0..1). */
export interface SubjectFinderOptions {
  minPersonArea?: number; personSureness?: number; personAgreement?: number; groupSize?: number;
  personWeight?: number; heldSize?: number; minConfidence?: number;
}
export interface FoundSubjectMap {
  probability: Plane;
  kind: 'people' | 'object' | 'none';
  people: number;
  confidence: number;
  /** The kept subject's bounding box, fractions of the frame. */
  box: { left: number; top: number; right: number; bottom: number };
}
/** engine/include/defocus/subject_zoom.h explains each. */
export interface ZoomOptions { margin?: number; minGain?: number; maxScale?: number }
export interface ZoomPlan { zoom: boolean; left: number; top: number; width: number; height: number; gain: number }
