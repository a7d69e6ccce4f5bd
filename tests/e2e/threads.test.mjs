// The threaded engine build in Chromium: under COOP/COEP the module renders full-size strips
// and refines a photo's matte on 2 threads, with the one-thread build's bytes, and answers a failed allocation inside a
// render with out_of_memory; without isolation it loads the one-thread build and still works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { testdataRoot } from '../wasm/fixtures.mjs';
import { sha256HexSource, softDiscMatteSource, startEmbeddingSite } from './browser.mjs';

// Both builds side by side on the same photo, just above the strip threshold (6 MP), so the
// strips take 2 threads: the module's engine runs so in a module Worker; a page may also
// load the engine on its own thread, where it cannot block on the pool thread
// (Atomics.wait is refused there) and the threaded build waits by spinning.
const compareSource = `
import { loadEngine } from '/defocus/lib/load-engine.js';
${softDiscMatteSource}
${sha256HexSource}
export async function compareBuilds({ png, width, height }) {
  try {
    const one = await loadEngine({ threads: 1 });
    const two = await loadEngine({ threads: 2 });
    const photo = one.resize(one.decode(new Uint8Array(png)), width, height);
    const matte = softDiscMatte(width, height);
    const cases = [
      { style: 'lens', strength: 60, depth: { mode: 'auto' } },
      { style: 'gaussian', strength: 50 },
      { style: 'motion', strength: 40, angle: 30 },
      { style: 'radial', strength: 45, centerX: 0.4, centerY: 0.6 },
    ];
    const renders = [];
    for (const options of cases) {
      const a = one.render(photo, matte, options).data;
      const b = two.render(photo, matte, options).data;
      let differing = 0;
      for (let i = 0; i < a.length; i++) differing += a[i] !== b[i];
      renders.push({ style: options.style, one: await hex(a), two: await hex(b), differing });
    }
    // A photo's matte refined from a model-sized map (a soft disc), with and without the edge
    // stage (the subject and the portrait model's options): the threaded build shares the
    // refinement's rows among its 2 threads.
    const size = 256;
    const map = { width: size, height: size, data: new Float32Array(size * size) };
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) map.data[y * size + x] = Math.min(1, Math.max(0, (1 - Math.hypot(x - 128, y - 140) / 80) * 8));
    }
    const mattes = [];
    for (const refine of [{ radius: 1, band: true }, { radius: 4 }]) {
      const [a, b] = [one, two].map((engine) => {
        const opened = engine.openPhoto(photo);
        const coverage = opened.setMatte(map, refine).coverage;
        const { data } = opened.matte();
        opened.dispose();
        return { data, coverage };
      });
      let differing = 0;
      for (let i = 0; i < a.data.length; i++) differing += a.data[i] !== b.data[i];
      mattes.push({ band: Boolean(refine.band), differing, samples: a.data.length, coverage: [a.coverage, b.coverage] });
    }
    // A failed allocation inside a threaded render, about halfway through its allocations.
    const options = cases[1];
    const hooks = two.testing;
    const before = hooks.allocationCount();
    const clean = await hex(two.render(photo, matte, options).data);
    const count = hooks.allocationCount() - before;
    hooks.failAllocationAfter(Math.floor(count / 2));
    let failure = null;
    try {
      two.render(photo, matte, options);
    } catch (err) {
      failure = { code: err.code, message: err.message };
    }
    const pending = hooks.allocationFailurePending();
    const after = await hex(two.render(photo, matte, options).data);
    return { threads: [one.threads, two.threads], cores: navigator.hardwareConcurrency, isolated: crossOriginIsolated,
      renders, mattes, oom: { count, failure, pending, sameAfter: after === clean } };
  } catch (err) {
    return { error: String(err && err.stack || err) };
  }
}
`;
const workerSource = `
import { compareBuilds } from '/threads-compare.js';
onmessage = async ({ data }) => postMessage(await compareBuilds(data));
`;

let site;
before(async () => {
  site = await startEmbeddingSite({
    'index.html': '<!doctype html><title>threads</title>', 'threads-compare.js': compareSource, 'threads-worker.js': workerSource,
  });
});
after(() => site?.close());

/** The module (its own worker, the page's default options) blurs a small photo: what it reports. */
function moduleBlur(page) {
  return page.evaluate(async () => {
    const { createDefocus } = await import('/defocus/lib/defocus.js');
    const defocus = await createDefocus({ model: 'portrait' });
    const image = { width: 640, height: 480, data: new Uint8Array(640 * 480 * 4).map((_, i) => (i * 7) % 251) };
    const result = await defocus.blur(image, { format: 'png' });
    await defocus.dispose();
    return { isolated: crossOriginIsolated, renderThreads: defocus.renderThreads, width: result.width, bytes: result.data.size };
  });
}

/** What compareBuilds answered: both builds loaded, the same bytes and mattes, out_of_memory then a clean render. */
function checkBuilds(out, requests) {
  assert.equal(out.error, undefined, out.error);
  assert.equal(out.isolated, true);
  assert.ok(out.cores >= 2, `Chromium reports ${out.cores} core(s)`);
  assert.deepEqual(out.threads, [1, 2], 'one-thread build, threaded build');
  for (const name of ['defocus_engine_threads.js', 'defocus_engine_threads.wasm', 'defocus_engine_threads.worker.js']) {
    assert.ok(requests.includes(`/defocus/wasm/${name}`), `${name} was loaded`);
  }
  for (const r of out.renders) {
    console.log(`${r.style}: one thread ${r.one.slice(0, 16)}, two threads ${r.two.slice(0, 16)}, ${r.differing} bytes differ`);
    assert.equal(r.differing, 0, `${r.style}: bytes differ`);
    assert.equal(r.two, r.one, r.style);
  }
  for (const m of out.mattes) {
    console.log(`matte, band ${m.band}: ${m.differing} of ${m.samples} values differ, coverage ${m.coverage.join(' / ')}`);
    assert.equal(m.samples, 3008 * 2008);
    assert.ok(m.coverage[0] > 0.05 && m.coverage[0] < 0.5, `coverage ${m.coverage[0]}`);
    assert.equal(m.differing, 0, `matte (band ${m.band}): values differ between the builds`);
    assert.equal(m.coverage[1], m.coverage[0]);
  }
  console.log(`out of memory: allocation ${Math.floor(out.oom.count / 2)} of ${out.oom.count} failed: ${JSON.stringify(out.oom.failure)}`);
  assert.equal(out.oom.failure?.code, 'out_of_memory');
  assert.equal(out.oom.pending, false, 'the armed failure happened');
  assert.ok(out.oom.sameAfter, 'the next render gives the same bytes');
}

const photo = readFileSync(`${testdataRoot}/photos/astronaut_eileen_collins.png`);

test('isolated: the threaded build renders strips and refines mattes on 2 threads with the one-thread bytes, and answers out_of_memory', async () => {
  const page = await site.browser.newPage();
  const requests = [];
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  await page.goto(site.baseUrl);
  const out = await page.evaluate(({ png, width, height }) => new Promise((resolve) => {
    const worker = new Worker('/threads-worker.js', { type: 'module' });
    worker.onmessage = ({ data }) => {
      worker.terminate();  // its two engines' memory goes before the module's loads
      resolve(data);
    };
    worker.onerror = (e) => resolve({ error: e.message });
    worker.postMessage({ png, width, height });
  }), { png: [...photo], width: 3008, height: 2008 });
  checkBuilds(out, requests);
  // The module's own engine (in its worker) picks the threaded build.
  const module = await moduleBlur(page);
  assert.deepEqual([module.isolated, module.renderThreads, module.width], [true, 2, 640]);
});

test("isolated, on the page's own thread: the threaded build renders with the one-thread bytes, and answers out_of_memory", async () => {
  const page = await site.browser.newPage();
  const requests = [];
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  await page.goto(site.baseUrl);
  const out = await page.evaluate(async (data) => (await import('/threads-compare.js')).compareBuilds(data),
    { png: [...photo], width: 3008, height: 2008 });
  await page.close();  // its two engines' memory goes before the next test's page
  checkBuilds(out, requests);
});

test('not isolated: the module loads the one-thread build and blurs', async () => {
  const page = await site.browser.newPage();
  const requests = [];
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  // The same site through a server without COOP/COEP.
  const { createServer, listen } = await import('../../scripts/serve.js');
  const server = createServer(site.root, { isolation: false });
  const url = await listen(server, { port: 0, host: '127.0.0.1' });
  try {
    await page.goto(url);
    const out = await moduleBlur(page);
    assert.equal(out.isolated, false);
    assert.equal(out.renderThreads, 1);
    assert.equal(out.width, 640);
    assert.ok(out.bytes > 0);
    assert.deepEqual(requests.filter((p) => p.includes('defocus_engine_threads')), [], 'the threaded build is not fetched');
  } finally {
    server.close();
  }
});
