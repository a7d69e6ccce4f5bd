// Live camera pipeline, per stage, in Node on one thread: 640x480 frames of the synthetic
// clip the tests use (a person moving over a scene), portrait model; budget 33 ms a frame.
import { createDefocus } from '../web/lib/node.js';
import { makeClip } from '../tests/wasm/live-clip.mjs';
import { printTable } from './table.js';

export async function benchLive({ runs }) {
  const rows = [['style', 'segment', 'stabilise', 'refine', 'render', 'total ms', 'fps']];
  for (const model of ['portrait', 'portrait-landscape']) {
    const defocus = await createDefocus({ model });
    const height = model === 'portrait' ? 480 : 360;
    const frames = await makeClip(defocus.engine, defocus, { frames: 10 + 10 * runs, width: 640, height, speed: 4, noise: 2 });
    for (const style of ['lens', 'gaussian', 'motion', 'radial']) {
      const live = defocus.createLive();
      const sums = { segment: 0, stabilize: 0, refine: 0, render: 0 };
      let counted = 0;
      let wall = 0;
      for (const [i, frame] of frames.entries()) {
        const t0 = performance.now();
        const out = await live.process(frame, { style, strength: 50 });
        if (i < 5) continue;  // warm-up
        wall += performance.now() - t0;
        for (const k of Object.keys(sums)) sums[k] += out.timings[k];
        counted++;
      }
      const ms = (k) => (sums[k] / counted).toFixed(1);
      rows.push([`${model} 640x${height} ${style}`, ms('segment'), ms('stabilize'), ms('refine'), ms('render'),
        (wall / counted).toFixed(1), (1000 / (wall / counted)).toFixed(1)]);
    }
    await defocus.dispose();
  }
  console.log('live: per-frame stages (Node, one thread, mean over the clip after 5 warm-up frames; goal 30 fps)');
  printTable(rows);
}
