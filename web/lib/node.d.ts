// Types of the Node entry (`import { createDefocus } from 'defocus'` in Node: the package's
// "node" export condition). Encoded results are bytes.
import type { Engine } from './load-engine.js';
import type { DefocusOptions, InThreadDefocus } from './api.js';

export type * from './api.js';
export type { Engine, RenderOptions, Background, BlurOptions, BrushStroke, DepthOptions, RgbaImage, Plane, DefocusErrorCode } from './load-engine.js';
export { DefocusError, blurDefaults, renderDefaults } from './load-engine.js';
export { apertureForStrength, formatAperture, parseAperture, strengthForAperture, strengthPresets } from './aperture.js';

export function createDefocus(options?: DefocusOptions): Promise<InThreadDefocus<Uint8Array>>;
/** The engine alone; baseUrl: a folder (URL or path) holding defocus_engine.wasm. */
export function loadEngine(options?: { baseUrl?: string | URL }): Promise<Engine>;
