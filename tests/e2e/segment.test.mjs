// Segmentation in real Chromium: createDefocus() in a page runs the model in a Web Worker,
// fetches only from its own origin, and finds the subject. How long the page's main
// thread is blocked meanwhile is measured by bench/responsiveness.js, not asserted here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { testdata } from '../wasm/fixtures.mjs';
import { foreignRequests, startBrowserAndServer } from './browser.mjs';

const photo = testdata('photos/cat_chelsea.png');
let env;

before(async () => {
  env = await startBrowserAndServer();
});
after(() => env?.close());

test('the subject model runs in a worker, off the main thread, from this origin only', async () => {
  const page = await env.browser.newPage();
  const requests = [];
  const workers = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('worker', (worker) => workers.push(worker.url()));
  await page.goto(env.baseUrl);
  const result = await page.evaluate(async (bytes) => {
    const { createDefocus } = await import('/lib/defocus.js');
    const stages = [];
    const defocus = await createDefocus({ model: 'subject', onProgress: (p) => stages.push(p.stage) });
    const out = await defocus.segment(new Blob([new Uint8Array(bytes)], { type: 'image/png' }));
    await defocus.dispose();
    return { width: out.width, height: out.height, coverage: out.coverage, matteLength: out.matte.length, stages };
  }, [...photo]);
  assert.deepEqual([result.width, result.height, result.matteLength], [451, 300, 451 * 300]);
  assert.ok(result.coverage > 0.3 && result.coverage < 0.9, `coverage ${result.coverage}`);
  assert.ok(workers.some((url) => url.endsWith('/lib/worker.js')), `workers: ${workers}`);
  assert.ok(result.stages.includes('fetch model') && result.stages.includes('segment'));
  assert.deepEqual(foreignRequests(requests, env.baseUrl), [], 'every request stays on the page origin');
  await page.close();
});
