// Strength <-> the f-number of a real lens, for the page's "~ f/2.8" and the CLI's
// --aperture. Strength 100 is an 85 mm f/1.4 portrait at 1.5 m (engine/include/defocus/blur.h:
// the background disc's radius is 4.21% of the diagonal) and the disc scales with 1/N, so
// strength = 140 / N: f/2.8 = 50, f/5.6 = 25, f/11 ~ 13.

const fullStrengthF = 1.4;  // the f-number of strength 100
const minStrength = 1, maxStrength = 100;

/** The f-number that gives this strength (1..100 -> f/140 .. f/1.4). */
export function apertureForStrength(strength) {
  return (100 * fullStrengthF) / strength;
}

/** The strength of an f-number, clamped to 1..100 (faster than f/1.4 is strength 100). */
export function strengthForAperture(fNumber) {
  return Math.min(maxStrength, Math.max(minStrength, (100 * fullStrengthF) / fNumber));
}

/** "f/2.8": one decimal below f/10, whole numbers above (how lenses are labelled). */
export function formatAperture(fNumber) {
  const shown = fNumber < 9.95 ? Math.round(fNumber * 10) / 10 : Math.round(fNumber);
  return `f/${shown}`;
}

/** "f/2", "F2.8", "2.8" -> the f-number; throws a one-line reason for anything else. */
export function parseAperture(text) {
  const match = /^\s*(?:f\s*\/?\s*)?(\d+(?:\.\d+)?)\s*$/i.exec(String(text));
  const n = match ? Number(match[1]) : NaN;
  if (!(n >= 0.5 && n <= 200)) throw new RangeError(`aperture '${text}' is not an f-number like f/2.8 (f/0.5 .. f/200)`);
  return n;
}

/** Named looks, by strength: Subtle ~ f/11, Medium ~ f/5.6, Strong ~ f/2.8, Maximum f/1.4. */
export const strengthPresets = Object.freeze({ subtle: 13, medium: 25, strong: 50, maximum: 100 });
