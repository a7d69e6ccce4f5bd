// Types of the raw Embind module (web/wasm/defocus_engine.js). Applications use the
// wrapper in web/lib/load-engine.js, which turns {error, code} results into exceptions.

export type ErrorCodeName =
  | 'empty_input' | 'not_an_image' | 'unsupported' | 'truncated' | 'corrupt'
  | 'too_large' | 'out_of_memory' | 'invalid_argument';

export interface EngineFailure { error: string; code: ErrorCodeName; }

export interface RawImage { width: number; height: number; data: Uint8Array; }
export interface DecodedImage extends RawImage { format: string; orientation: number; }
export interface ImageInfo { width: number; height: number; format: string; }
/** inspect(): the header's stored size (before orientation), channels in the file, EXIF orientation. */
export interface InspectedImage extends ImageInfo { channels: number; orientation: number; }

/** Every field required: the wrapper in web/lib/load-engine.js fills defaults. */
export interface RawBlurOptions {
  style: string;
  strength: number;
  blades: number;
  rotation: number;
  curvature: number;
  highlightThreshold: number;
  highlightBoost: number;
  angle: number;
  centerX: number;
  centerY: number;
}

/** One render option as the engine declares it (engine/include/defocus/option_schema.h);
 *  unbounded ranges leave min and max out. */
export interface RawOptionSpec {
  name: string;
  group: 'blur' | 'render' | 'depth';
  type: 'number' | 'integer' | 'boolean' | 'choice';
  style?: string;
  min?: number;
  max?: number;
  maxExclusive?: boolean;
  choices?: string[];
  default: number | boolean | string;
  help: string;
}

export interface RawPlane { width: number; height: number; data: Float32Array; }
export interface InputPlacement {
  tensorWidth: number; tensorHeight: number; left: number; top: number; width: number; height: number;
}
export interface RawModelInputSpec {
  width: number; height: number; channelsFirst: boolean; mean: number[]; std: number[]; letterbox: boolean;
}
export interface RawModelOutputSpec {
  width: number; height: number; channels: number; channelsFirst: boolean; channel: number; logits: boolean;
}
export interface RawMatteOptions { workingSize: number; radius: number; epsilon: number; band: boolean; }

export interface PortraitSession {
  render(options: unknown, depthMap: RawPlane | null): RawImage | EngineFailure;
  delete(): void;
}

export interface DefocusModule {
  decode(bytes: Uint8Array, maxPixels: number, applyOrientation: boolean): DecodedImage | EngineFailure;
  probe(bytes: Uint8Array): ImageInfo | EngineFailure;
  inspect(bytes: Uint8Array, maxPixels: number): InspectedImage | EngineFailure;
  encode(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number,
         format: 'png' | 'jpeg', quality: number): { bytes: Uint8Array } | EngineFailure;
  resize(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number,
         newWidth: number, newHeight: number): RawImage | EngineFailure;
  blur(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number,
       options: RawBlurOptions, output: Uint8Array | Uint8ClampedArray | null): RawImage | EngineFailure;
  /** Every render option: name, group, type, range, choices, default, help. */
  optionSchema(): RawOptionSpec[];
  /** The engine's verdict on full render options (defaults filled): null, or the failure naming the option. */
  checkOptions(options: unknown): null | EngineFailure;
  prepareModelInput(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number,
                    spec: RawModelInputSpec): { tensor: Float32Array; placement: InputPlacement } | EngineFailure;
  probabilityFromOutput(data: Float32Array, spec: RawModelOutputSpec, placement: InputPlacement): RawPlane | EngineFailure;
  depthFromOutput(data: Float32Array, spec: RawModelOutputSpec, placement: InputPlacement,
                  nearIsLarge: boolean): RawPlane | EngineFailure;
  refineMatte(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, probability: RawPlane,
              options: RawMatteOptions): RawPlane | EngineFailure;
  upsampleMatte(probability: RawPlane, width: number, height: number): RawPlane | EngineFailure;
  stabilizeMatte(state: RawPlane | null, current: RawPlane, options: { minFollow: number; noise: number; span: number }):
    RawPlane | EngineFailure;
  scoreMatte(matte: RawPlane, truth: RawPlane, tolerance: number):
    { iou: number; boundaryF: number; meanAbsError: number } | EngineFailure;
  /** A photo + matte prepared once (free with .delete()); render(options, depthMap) per change. */
  preparePortrait(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number, matte: RawPlane,
                  strokes: unknown[]): PortraitSession | EngineFailure;
  srgbToLinear(encoded: Uint8Array): Float32Array | EngineFailure;
  warmUp(): object | EngineFailure;
  linearToSrgb(linear: Float32Array): Uint8Array | EngineFailure;
  /** Threads for full-size strip renders, clamped to what this build has (1, or 2 with -pthread); returns the count set. */
  setRenderThreads(threads: number): number;
  heapStats(): { heapSize: number; allocated: number; peak: number };
  /** bindings/heap_warmer.h. */
  warmHeap(bytes: number): boolean;
  stepHeapWarming(bytes: number): boolean;
  heapWarming(): { running: boolean; writtenBytes: number };
  /** Test hook (engine/include/defocus/allocation_failure.h): the (n+1)-th allocation from now fails, once. */
  failAllocationAfter(n: number): void;
  cancelAllocationFailure(): void;
  allocationFailurePending(): boolean;
  allocationCount(): number;
}

export interface ModuleOptions {
  wasmBinary?: ArrayBuffer | Uint8Array;
  locateFile?: (path: string, prefix: string) => string;
}

export default function createDefocusModule(options?: ModuleOptions): Promise<DefocusModule>;
