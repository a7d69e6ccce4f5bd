// The live pipeline in Node on a synthetic clip: the matte does not flicker on a still
// subject, follows a moving one without a trail, and the background blurs, not the subject.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDefocus } from '../../web/lib/node.js';
import { makeClip } from './live-clip.mjs';
import { detailEnergy } from './fixtures.mjs';

let defocus;
before(async () => {
  defocus = await createDefocus({ model: 'portrait' });
});
after(() => defocus?.dispose());

async function run(frames, stabilize) {
  const live = defocus.createLive({ stabilize });
  const results = [];
  for (const frame of frames) results.push(await live.process(frame, { style: 'lens', strength: 60 }));
  return results;
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

test('a still subject: the stabilised matte changes far less from frame to frame', async () => {
  const frames = await makeClip(defocus.engine, defocus, { frames: 24, speed: 0, noise: 3 });
  const raw = await run(frames, false);
  const stable = await run(frames, {});
  const rawChange = mean(raw.slice(8).map((r) => r.change.raw));
  const stableChange = mean(stable.slice(8).map((r) => r.change.stabilised));
  console.log(`still subject, mean frame-to-frame change of the subject map: model ${rawChange.toFixed(5)}, stabilised ${stableChange.toFixed(5)}`);
  assert.ok(rawChange > 0, 'the noisy clip makes the model jitter');
  assert.ok(stableChange < rawChange / 2, `${stableChange} vs ${rawChange}`);

  // Background blurred, subject kept (in the true mask, away from its edge).
  const last = frames.at(-1);
  const out = stable.at(-1).image;
  const background = (i) => last.mask[i] === 0;
  const subject = (i) => last.mask[i] === 1;
  const bgKept = detailEnergy(out, background).energy / detailEnergy(last, background).energy;
  const subjectKept = detailEnergy(out, subject).energy / detailEnergy(last, subject).energy;
  console.log(`detail kept: background ${(bgKept * 100).toFixed(1)}%, subject ${(subjectKept * 100).toFixed(1)}%`);
  assert.ok(bgKept < 0.3, `background keeps ${bgKept}`);
  assert.ok(subjectKept > 0.8, `subject keeps ${subjectKept}`);
  const t = stable.slice(8).map((r) => r.timings);
  console.log(`640x480 frame, ms (Node, one thread): ${['segment', 'stabilize', 'refine', 'render']
    .map((k) => `${k} ${mean(t.map((x) => x[k])).toFixed(1)}`).join(', ')}`);
});

test('a moving subject: the stabilised matte follows it without a trail', async () => {
  const frames = await makeClip(defocus.engine, defocus, { frames: 16, speed: 8, noise: 3 });
  const raw = await run(frames, false);
  const stable = await run(frames, {});
  const plane = (frame, data) => ({ width: frame.width, height: frame.height, data });
  const iouRaw = [];
  const iouStable = [];
  const agreement = [];
  for (let f = 4; f < frames.length; f++) {
    const truth = plane(frames[f], frames[f].mask);
    const model = plane(frames[f], raw[f].matte.data);
    const stabilised = plane(frames[f], stable[f].matte.data);
    iouRaw.push(defocus.engine.scoreMatte(model, truth).iou);
    iouStable.push(defocus.engine.scoreMatte(stabilised, truth).iou);
    agreement.push(defocus.engine.scoreMatte(stabilised, model).iou);
  }
  console.log(`moving subject (8 px a frame), IoU with the true mask: model ${mean(iouRaw).toFixed(4)}, stabilised ` +
    `${mean(iouStable).toFixed(4)}; stabilised against the model's own matte: worst ${Math.min(...agreement).toFixed(4)}`);
  assert.ok(mean(iouStable) > mean(iouRaw) - 0.01, 'stabilising does not smear the moving subject');
  assert.ok(Math.min(...agreement) > 0.95, 'no frame trails behind the model by much');
});
