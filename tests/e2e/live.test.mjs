// Live camera mode in real Chromium with a fake camera playing a clip built here from the
// test photos (a person moving over a scene, with sensor noise): frames are produced, the
// background is blurred and the subject is not, snapshots come at camera resolution, stop
// stops, and nothing leaves the origin. Speed (fps, main-thread gaps): bench/responsiveness.js.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDefocus } from '../../web/lib/node.js';
import { makeClip } from '../wasm/live-clip.mjs';
import { detailEnergy } from '../wasm/fixtures.mjs';
import { foreignRequests, openReadyPage, personContext, startBrowserAndServer } from './browser.mjs';
import { toY4m } from './y4m.mjs';

const artifacts = fileURLToPath(new URL('../../build/test-artifacts/live/', import.meta.url));
mkdirSync(artifacts, { recursive: true });
let env;
let frames;
let engine;

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

test('live mode blurs the background of the camera, not the subject', async () => {
  const requests = [];
  const context = await personContext(env, requests);
  await context.grantPermissions(['camera'], { origin: env.baseUrl });
  const page = await openReadyPage(context, env);
  // Frame rate and main-thread gaps are measured by the benchmark (bench/responsiveness.js),
  // not asserted here: they depend on the machine's load.
  await page.click('#live-toggle');
  await page.waitForFunction(() => (window.defocusPage.liveStats?.frames ?? 0) >= 40);
  const stats = await page.evaluate(() => window.defocusPage.liveStats);
  console.log(`live ${stats.width}x${stats.height} (camera ${stats.cameraWidth}x${stats.cameraHeight}), ${stats.frames} frames; ` +
    `matte change per frame: model ${stats.change.raw.toFixed(5)}, stabilised ${stats.change.stabilised.toFixed(5)}`);
  assert.equal(stats.error, undefined);
  assert.deepEqual([stats.width, stats.height], [640, 480]);

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
