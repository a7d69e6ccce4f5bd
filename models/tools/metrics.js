// Mask comparison metrics used by the model tools and tests.

/** Intersection over union of the two masks binarised at `threshold` (1 when both are empty). */
export function iou(a, b, threshold = 0.5) {
  if (a.length !== b.length) throw new Error(`iou: ${a.length} vs ${b.length} values`);
  let inter = 0; let union = 0;
  for (let i = 0; i < a.length; i++) {
    const A = a[i] >= threshold; const B = b[i] >= threshold;
    if (A && B) inter++;
    if (A || B) union++;
  }
  return union ? inter / union : 1;
}

/** Mean absolute difference. */
export function meanAbsDiff(a, b) {
  if (a.length !== b.length) throw new Error(`meanAbsDiff: ${a.length} vs ${b.length} values`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

/** Fraction of values >= threshold. */
export function coverage(a, threshold = 0.5) {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] >= threshold) n++;
  return n / a.length;
}
