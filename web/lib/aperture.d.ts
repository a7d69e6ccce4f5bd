// Strength <-> a real lens's f-number (strength 100 = an 85 mm f/1.4 portrait; strength = 140 / N).

/** The f-number that gives this strength (1..100 -> f/140 .. f/1.4). */
export function apertureForStrength(strength: number): number;
/** The strength of an f-number, clamped to 1..100. */
export function strengthForAperture(fNumber: number): number;
/** "f/2.8": one decimal below f/10, whole numbers above. */
export function formatAperture(fNumber: number): string;
/** "f/2", "F2.8", "2.8" -> 2.8; throws RangeError for anything else. */
export function parseAperture(text: string): number;
/** Named looks by strength: subtle 13 (~f/11), medium 25 (~f/5.6), strong 50 (f/2.8), maximum 100 (f/1.4). */
export const strengthPresets: Readonly<{ subtle: number; medium: number; strong: number; maximum: number }>;
