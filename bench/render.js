// Portrait rendering with a cached matte (preparePortrait: fill and depth are prepared by
// a first render, as when a photo is opened): a 2 MP preview, what a slider move costs,
// and the 12 MP export, for every blur style and depth mode.
//   BENCH_ONLY=render node bench/run.js [PHOTO]      BENCH_RENDER_EXPORT=0 skips 12 MP
import { bestOf, printTable } from './table.js';

function ellipseMatte(width, height) {
  const data = new Float32Array(width * height);
  const cx = width / 2, cy = height * 0.55, rx = width * 0.18, ry = height * 0.35;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data[y * width + x] = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 < 1 ? 1 : 0;
  }
  return { width, height, data };
}

const styles = {
  lens: { style: 'lens' },
  'lens+hl+6 blades': { style: 'lens', blades: 6, rotation: 15, highlightBoost: 8 },
  gaussian: { style: 'gaussian' },
  motion: { style: 'motion', angle: 20 },
  radial: { style: 'radial' },
};

const depths = {
  flat: { mode: 'flat' },
  auto: { mode: 'auto' },  // the photo's focus read (the default)
  'auto, geometry': { mode: 'auto', readFocus: false },  // A/B: the same without reading the focus
  'auto, focus bg': { mode: 'auto', focusX: 0.1, focusY: 0.15 },  // the subject blurs too
  linear: { mode: 'linear' },
  radial: { mode: 'radial', startX: 0.5, startY: 0.55, endX: 0, endY: 0 },
};

function table(engine, picture, strengths, runs) {
  const matte = ellipseMatte(picture.width, picture.height);
  const session = engine.preparePortrait(picture, matte);
  const rows = [['depth', 'style', ...strengths.map((s) => `s${s} ms`)]];
  try {
    for (const [depthName, depth] of Object.entries(depths)) {
      session.render({ strength: 30, depth });  // prepares this depth geometry (cached)
      for (const [styleName, style] of Object.entries(styles)) {
        const times = strengths.map((strength) =>
          bestOf(runs, () => session.render({ ...style, strength, depth })).toFixed(0));
        rows.push([depthName, styleName, ...times]);
      }
    }
  } finally {
    session.dispose();
  }
  return rows;
}

export function benchRender({ engine, image, runs }) {
  const scale = Math.sqrt(2e6 / (image.width * image.height));
  const preview = engine.resize(image, Math.round(image.width * scale), Math.round(image.height * scale));
  console.log(`Portrait render, ${preview.width}x${preview.height} preview with a cached matte (WASM, Node, one thread; best of ${runs})`);
  printTable(table(engine, preview, [20, 60, 100], runs));
  if (process.env.BENCH_RENDER_EXPORT === '0') return;
  console.log(`Portrait render, ${image.width}x${image.height} export with a cached matte (WASM, Node, one thread; one run)`);
  printTable(table(engine, image, [60], 1));
}
