// Deterministic synthetic images for calibration statistics: no photographs are
// needed to build the models. Each image is a vertical two-colour gradient with
// 2-7 soft-edged ellipses or rectangles in random colours, plus five octaves of
// value noise (1/f-like texture). Same seed, same pixels, on every machine.

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One synthetic image: planar RGB Float32Array (3*W*H), values 0..255. */
export function syntheticImage(seed, width, height) {
  const r = mulberry32(seed);
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  const top = [r(), r(), r()].map((v) => 40 + 180 * v);
  const bottom = [r(), r(), r()].map((v) => 40 + 180 * v);
  const octaves = [];
  for (let o = 0; o < 5; o++) {
    const n = 4 << o;
    const grid = new Float32Array((n + 1) * (n + 1) * 3);
    for (let i = 0; i < grid.length; i++) grid[i] = r() * 2 - 1;
    octaves.push({ n, grid, amp: 40 / 1.6 ** o });
  }
  const shapes = [];
  const count = 2 + Math.floor(r() * 6);
  for (let k = 0; k < count; k++) {
    shapes.push({
      cx: r() * width, cy: r() * height, rx: 20 + r() * 110, ry: 20 + r() * 130,
      colour: [r(), r(), r()].map((v) => 255 * v), soft: 1 + r() * 6, rect: r() < 0.4,
    });
  }
  const px = [0, 0, 0];
  for (let y = 0; y < height; y++) {
    const t = y / Math.max(1, height - 1);
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) px[c] = top[c] * (1 - t) + bottom[c] * t;
      for (const s of shapes) {
        const dx = (x - s.cx) / s.rx; const dy = (y - s.cy) / s.ry;
        const d = s.rect ? Math.max(Math.abs(dx), Math.abs(dy)) : Math.hypot(dx, dy);
        const a = Math.min(1, Math.max(0, ((1 - d) * Math.min(s.rx, s.ry)) / s.soft));
        for (let c = 0; c < 3; c++) px[c] = px[c] * (1 - a) + s.colour[c] * a;
      }
      for (const { n, grid, amp } of octaves) {
        const fx = (x / width) * n; const fy = (y / height) * n;
        const ix = Math.floor(fx); const iy = Math.floor(fy);
        const ux = fx - ix; const uy = fy - iy;
        const sx = ux * ux * (3 - 2 * ux); const sy = uy * uy * (3 - 2 * uy);
        for (let c = 0; c < 3; c++) {
          const at = (i, j) => grid[(j * (n + 1) + i) * 3 + c];
          const v = (at(ix, iy) * (1 - sx) + at(ix + 1, iy) * sx) * (1 - sy) + (at(ix, iy + 1) * (1 - sx) + at(ix + 1, iy + 1) * sx) * sy;
          px[c] += amp * v;
        }
      }
      for (let c = 0; c < 3; c++) out[c * plane + y * width + x] = Math.min(255, Math.max(0, px[c]));
    }
  }
  return out;
}

/** Normalised model inputs (NCHW) for seeds first..first+count-1. */
export function syntheticInputs(count, width, height, norm, first = 1000) {
  const plane = width * height;
  const inputs = [];
  for (let k = 0; k < count; k++) {
    const img = syntheticImage(first + k, width, height);
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < plane; i++) img[c * plane + i] = (img[c * plane + i] / 255 - norm.mean[c]) / norm.std[c];
    }
    inputs.push(img);
  }
  return inputs;
}
