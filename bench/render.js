// Portrait rendering with a cached matte: a 2 MP preview (what a slider move costs) and
// the 12 MP export, uniform (flat) and depth-aware (auto) background blur.
import { bestOf, printTable } from './table.js';

function ellipseMatte(width, height) {
  const data = new Float32Array(width * height);
  const cx = width / 2, cy = height * 0.55, rx = width * 0.18, ry = height * 0.35;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data[y * width + x] = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 < 1 ? 1 : 0;
  }
  return { width, height, data };
}

export function benchRender({ engine, image, runs }) {
  const preview = engine.resize(image, Math.round(image.width * Math.sqrt(2e6 / (image.width * image.height))),
    Math.round(image.height * Math.sqrt(2e6 / (image.width * image.height))));
  const rows = [['image', 'depth', 'style', 's20 ms', 's60 ms', 's100 ms']];
  for (const picture of [preview, image]) {
    const matte = ellipseMatte(picture.width, picture.height);
    for (const mode of ['flat', 'auto']) {
      for (const style of ['lens', 'gaussian', 'radial']) {
        const times = [20, 60, 100].map((strength) =>
          bestOf(runs, () => engine.render(picture, matte, { style, strength, depth: { mode } })).toFixed(0));
        rows.push([`${picture.width}x${picture.height}`, mode, style, ...times]);
      }
    }
  }
  console.log('Portrait render with a cached matte (WASM, Node, one thread; best of runs)');
  printTable(rows);
}
