// The render's `background` option: 'blur' (the portrait, default), 'transparent' (the
// subject alone, alpha = the matte), '#rrggbb' (one colour) or an image to put behind the
// subject (engine/include/defocus/cutout.h). The engine takes RGBA pixels; the module also
// takes encoded images (Blob, File, bytes): background-input.js decodes them.
import { DefocusError } from './errors.js';

const colour = /^#[0-9a-f]{6}$/i;

function isPixels(value) {
  return value !== null && typeof value === 'object' && (value.data instanceof Uint8Array || value.data instanceof Uint8ClampedArray) &&
    Number.isInteger(value.width) && Number.isInteger(value.height) && value.width > 0 && value.height > 0 &&
    value.data.length === value.width * value.height * 4;
}

/** Engine level: the value as the bindings take it; throws a one-line reason otherwise. */
export function checkBackground(value) {
  if (value === 'blur' || value === 'transparent') return value;
  if (typeof value === 'string' && colour.test(value)) return value.toLowerCase();
  if (isPixels(value)) return value;
  throw new DefocusError('invalid_argument',
    `background must be 'blur', 'transparent', a colour '#rrggbb' or an image, got ${typeof value === 'string' ? `'${value}'` : typeof value}`);
}

/** JPEG has no alpha: a transparent export must be PNG or WebP. */
export function checkBackgroundFormat(background, format) {
  if (background === 'transparent' && format === 'jpeg') {
    throw new DefocusError('invalid_argument', "a transparent background needs format 'png' or 'webp' (JPEG has no alpha)");
  }
}
