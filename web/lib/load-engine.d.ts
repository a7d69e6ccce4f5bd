import type { ErrorCodeName, ImageInfo } from '../wasm/defocus_engine.js';

export type { ErrorCodeName, ImageInfo };

export class DefocusError extends Error {
  readonly code: ErrorCodeName;
  constructor(code: ErrorCodeName, message: string);
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

export interface Engine {
  decode(bytes: ByteInput, options?: { maxPixels?: number; applyOrientation?: boolean }): DecodedImage;
  probe(bytes: ByteInput): ImageInfo;
  encode(image: RgbaImage, options?: { format?: 'png' | 'jpeg'; quality?: number }): Uint8Array;
  resize(image: RgbaImage, width: number, height: number): { width: number; height: number; data: Uint8Array };
  srgbToLinear(encoded: ByteInput): Float32Array;
  linearToSrgb(linear: Float32Array): Uint8Array;
  heapStats(): { heapSize: number; allocated: number };
}

export function toBytes(input: ByteInput, name?: string): Uint8Array;
export function loadEngine(options?: { baseUrl?: string | URL }): Promise<Engine>;
