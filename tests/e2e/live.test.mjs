// Live camera mode in real Chromium with a fake camera playing a clip built here from the
// test photos (a person moving over a scene, with sensor noise): frames are produced, the
// background is blurred and the subject is not, snapshots come at camera resolution, stop
// stops, and nothing leaves the origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDefocus } from '../../web/lib/node.js';
import { makeClip } from '../wasm/live-clip.mjs';
import { detailEnergy } from '../wasm/fixtures.mjs';
import { foreignRequests, openReadyPage, personContext, startBrowserAndServer } from './browser.mjs';

const artifacts = fileURLToPath(new URL('../../build/test-artifacts/live/', import.meta.url));
mkdirSync(artifacts, { recursive: true });
let env;
let frames;
let engine;

// YUV4MPEG2 4:2:0 (BT.601, full range as Chromium's reader expects), the fake camera's format.
function toY4m(clip) {
  const { width, height } = clip[0];
  const parts = [Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`)];
  for (const { data } of clip) {
    const y = Buffer.alloc(width * height);
    const u = Buffer.alloc((width / 2) * (height / 2));
    const v = Buffer.alloc((width / 2) * (height / 2));
    for (let i = 0; i < width * height; i++) {
      const [r, g, b] = [data[i * 4], data[i * 4 + 1], data[i * 4 + 2]];
      y[i] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    }
    for (let cy = 0; cy < height / 2; cy++) {
      for (let cx = 0; cx < width / 2; cx++) {
        let r = 0, g = 0, b = 0;
        for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
          const i = ((cy * 2 + dy) * width + cx * 2 + dx) * 4;
          r += data[i] / 4; g += data[i + 1] / 4; b += data[i + 2] / 4;
        }
        const j = cy * (width / 2) + cx;
        u[j] = Math.max(0, Math.min(255, Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b)));
        v[j] = Math.max(0, Math.min(255, Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)));
      }
    }
    parts.push(Buffer.from('FRAME\n'), y, u, v);
  }
  return Buffer.concat(parts);
}

before(async () => {
  const maker = await createDefocus({ model: 'portrait' });
  engine = maker.engine;
  frames = await makeClip(engine, maker, { frames: 60, speed: 2, noise: 2 });
  await maker.dispose();
  const clip = `${artifacts}clip.y4m`;
  writeFileSync(clip, toY4m(frames));
  env = await startBrowserAndServer({
    extraArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${clip}`],
  });
});
after(() => env?.close());

test('live mode blurs the background of the camera, not the subject, off the main thread', async () => {
  const requests = [];
  const context = await personContext(env, requests);
  await context.grantPermissions(['camera'], { origin: env.baseUrl });
  const page = await openReadyPage(context, env);
  // Watch the main thread while live mode runs.
  await page.evaluate(() => {
    window.gaps = { worst: 0, last: performance.now() };
    setInterval(() => {
      const t = performance.now();
      window.gaps.worst = Math.max(window.gaps.worst, t - window.gaps.last);
      window.gaps.last = t;
    }, 10);
  });
  await page.click('#live-toggle');
  await page.waitForFunction(() => (window.defocusPage.liveStats?.frames ?? 0) >= 40, null, { timeout: 120_000 });
  const stats = await page.evaluate(() => window.defocusPage.liveStats);
  const worstGap = await page.evaluate(() => window.gaps.worst);
  const t = stats.timings;
  console.log(`live ${stats.width}x${stats.height} (camera ${stats.cameraWidth}x${stats.cameraHeight}): ${stats.fps.toFixed(1)} fps in Chromium; ` +
    `per frame ${t.total.toFixed(1)} ms = grab ${t.grab.toFixed(1)} + segment ${t.segment.toFixed(1)} + stabilise ${t.stabilize.toFixed(1)} + ` +
    `refine ${t.refine.toFixed(1)} + render ${t.render.toFixed(1)} + draw ${t.draw.toFixed(1)}; ` +
    `matte change per frame: model ${stats.change.raw.toFixed(5)}, stabilised ${stats.change.stabilised.toFixed(5)}; worst main-thread gap ${worstGap.toFixed(0)} ms`);
  assert.equal(stats.error, undefined);
  assert.deepEqual([stats.width, stats.height], [640, 480]);
  assert.ok(worstGap < 250, `main thread blocked for ${worstGap} ms`);

  // The picture: pixels that are background (or subject) in every frame of the clip.
  const shot = engine.decode(await page.locator('#live-view').screenshot());
  writeFileSync(`${artifacts}live-frame.png`, engine.encode(shot));
  assert.deepEqual([shot.width, shot.height], [640, 480]);
  const n = 640 * 480;
  const alwaysBackground = new Uint8Array(n).fill(1);
  const alwaysSubject = new Uint8Array(n).fill(1);
  for (const frame of frames) {
    for (let i = 0; i < n; i++) {
      if (frame.mask[i] > 0) alwaysBackground[i] = 0;
      if (frame.mask[i] < 1) alwaysSubject[i] = 0;
    }
  }
  const bg = (i) => alwaysBackground[i] === 1;
  const subject = (i) => alwaysSubject[i] === 1;
  const bgKept = detailEnergy(shot, bg).energy / detailEnergy(frames[0], bg).energy;
  const subjectKept = detailEnergy(shot, subject).energy / detailEnergy(frames[0], subject).energy;
  console.log(`detail kept in the live picture: background ${(bgKept * 100).toFixed(1)}%, subject ${(subjectKept * 100).toFixed(1)}%`);
  assert.ok(bgKept < 0.3, `background keeps ${bgKept}`);
  assert.ok(subjectKept > 0.6, `subject keeps ${subjectKept}`);

  // Snapshot at the camera's full resolution.
  await page.selectOption('#format', 'png');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#live-snapshot')]);
  const snapshot = engine.decode(readFileSync(await download.path()));
  assert.deepEqual([snapshot.width, snapshot.height], [stats.cameraWidth, stats.cameraHeight]);

  // Stop: no more frames, the camera track ended.
  // Counted right at the click: a frame still in flight in the worker must not be reported.
  const framesAtStop = await page.evaluate(() => {
    document.getElementById('live-stop').click();
    return window.defocusPage.liveStats.frames;
  });
  await page.waitForFunction(() => /Camera stopped/.test(document.getElementById('status').textContent));
  await page.waitForTimeout(1000);
  assert.equal(await page.evaluate(() => window.defocusPage.liveStats.frames), framesAtStop);

  assert.deepEqual(foreignRequests(requests, env.baseUrl), []);
  await context.close();
});
