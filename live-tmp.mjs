import { createDefocus } from './web/lib/defocus.js';
import { createSegmenter } from './web/lib/segmenter.js';
import { readFileSync } from 'node:fs';
for (const model of ['portrait', 'portrait-landscape']) {
const d = await createDefocus({ model });
const e = d.engine;
const img0 = e.decode(readFileSync('../shared/testdata/photos/astronaut_eileen_collins.png'));
const img = model === 'portrait' ? e.resize(img0, 640, 480) : e.resize(img0, 640, 360);
const t = (f) => { const a = performance.now(); const r = f(); return [r, performance.now() - a]; };
for (let k = 0; k < 3; k++) {
  const a = performance.now();
  const seg = await d.segment({ ...img, data: img.data.slice() });
  const [m1, refineMs] = t(() => e.refineMatte(img, seg.probability, d.refine));
  const [m2, upMs] = t(() => e.upsampleMatte(seg.probability, img.width, img.height));
  const matte = { width: img.width, height: img.height, data: m1.data };
  const r = {};
  for (const style of ['lens', 'gaussian']) for (const mode of ['flat', 'auto']) r[style + '/' + mode] = t(() => e.render(img, matte, { style, strength: 50, depth: { mode } }))[1].toFixed(1);
  console.log(model, img.width, img.height, 'segment', seg.timings.segment.toFixed(1), 'refine', refineMs.toFixed(1), 'upsample', upMs.toFixed(1), JSON.stringify(r));
}
await d.dispose();
}
