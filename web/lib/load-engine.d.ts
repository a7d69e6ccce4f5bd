import type { ErrorCodeName, ImageInfo, InspectedImage } from '../wasm/defocus_engine.js';

export type { ErrorCodeName, ImageInfo, InspectedImage };

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

export interface BlurOptions {
  style?: BlurStyle;
  /** 1..100: radius = strength / 100 * 4.21% of the image diagonal (same look at any size); strength 100 = an 85 mm f/1.4 portrait, strength = 140 / f-number. */
  strength?: number;
  /** Lens: 0 = circular aperture, 3..16 straight blades. */
  blades?: number;
  /** Lens: polygon rotation in degrees. */
  rotation?: number;
  /** Lens: 0 = straight blades .. 1 = round. */
  curvature?: number;
  /** Lens: linear luminance 0..1 above which highlights are boosted. */
  highlightThreshold?: number;
  /** Lens: 0 (off) .. 100, how much brighter the brightest highlights get before blurring. */
  highlightBoost?: number;
  /** Motion: direction in degrees, counter-clockwise from horizontal. */
  angle?: number;
  /** Radial: zoom centre as fractions of width and height. */
  centerX?: number;
  centerY?: number;
}

export const blurDefaults: Readonly<Required<BlurOptions>>;

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
  mode?: 'auto' | 'flat' | 'linear' | 'radial' | 'map';
  /** Focal plane at this point (fractions); negative: the subject. */
  focusX?: number;
  focusY?: number;
  startX?: number; startY?: number; endX?: number; endY?: number;
  tiltShift?: boolean;
  /** auto: read the photo's own focus (default true): what is as sharp as the subject stays
   *  sharp near it, what is already soft blurs more; photos all in focus keep the geometry. */
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
  background?: Background;
  /** A replacement background is blurred by the depth at the strength, like the photo's own (default true). */
  blurBackground?: boolean;
  depth?: DepthOptions;
  grain?: boolean;
  grainSeed?: number;
  strokes?: BrushStroke[];
  fillBackground?: boolean;
  decontaminate?: boolean;
}

export const renderDefaults: Readonly<Required<RenderOptions>>;

/** One plane of floats, e.g. a probability map or an alpha matte (values 0..1). */
export interface Plane { width: number; height: number; data: Float32Array; }

export interface ModelInputSpec {
  width: number; height: number; channelsFirst: boolean; mean: number[]; std: number[]; letterbox: boolean;
}
export interface ModelOutputSpec {
  width: number; height: number; channels: number; channelsFirst: boolean; channel: number; logits: boolean;
}
export interface InputPlacement {
  tensorWidth: number; tensorHeight: number; left: number; top: number; width: number; height: number;
}

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
   *  to one map of the subject; aspect is the photo's width / height. */
  findSubject(person: Plane | null, object: Plane | null, aspect: number, options?: SubjectFinderOptions): FoundSubjectMap;
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
  /** Linear memory size and the bytes malloc has handed out (exact up to 4 GB). */
  heapStats(): { heapSize: number; allocated: number };
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
 *  Default: the package's own file, wherever a bundler put it. */
export function loadEngine(options?: { baseUrl?: string | URL; wasm?: ArrayBuffer | ArrayBufferView | URL }): Promise<Engine>;

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
