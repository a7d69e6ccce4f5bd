// Heap warming in Chromium (bindings/heap_warmer.h, web/lib/heap-warming.js): the threaded
// build writes the heap's next pages on its worker thread, the one-thread build in steps
// its caller takes while it waits, so that what is allocated there next costs the process
// no new memory (the pages are resident already); it allocates nothing; a render started
// meanwhile stops it and renders the same bytes; blur() warms before a photo's first decode
// and not again when the heap has room, and the one-thread build's steps end with the decode.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { testdataRoot } from '../wasm/fixtures.mjs';
import { sha256HexSource, softDiscMatteSource, startEmbeddingSite } from './browser.mjs';

const engines = `
import { loadEngine } from '/defocus/lib/load-engine.js';
${softDiscMatteSource}
window.softDiscMatte = softDiscMatte;
window.engines = { one: await loadEngine({ threads: 1 }), two: await loadEngine({ threads: 2 }) };
window.untilWarmed = async (engine) => {
  while (engine.heapWarming().running) await new Promise((resolve) => setTimeout(resolve, 20));
};
${sha256HexSource}
window.hex = hex;
`;

// The model's input is made on 2 threads once no warming runs (render_options.h
// idleThreads), which joins a warming's finished thread first: without that join the
// module's worker sometimes hung in blur()'s segment stage (2 of 3 first photos, /tmp
// script). This worker does not reproduce that hang; it checks that a photo's tensor made
// on 2 threads right after a warming is the one-thread tensor, in a module Worker.
const modelInputWorker = `
import { loadEngine } from '/defocus/lib/load-engine.js';
onmessage = async ({ data: { png } }) => {
  const one = await loadEngine({ threads: 1 }), two = await loadEngine({ threads: 2 });
  const spec = { width: 256, height: 256, channelsFirst: true, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], letterbox: false };
  const image = one.decode(new Uint8Array(png));  // 3008 x 2008: blocks of 5, their rows on 2 threads
  const input = (engine) => {
    const photo = engine.openPhoto(image);
    const { tensor } = photo.modelInput(spec);
    photo.dispose();
    return tensor;
  };
  const expected = input(one);
  const started = two.warmHeap(16 << 20);
  while (two.heapWarming().running);  // no turn of the event loop: the thread is done, not joined
  const got = input(two);
  let differing = 0;
  for (let i = 0; i < expected.length; i++) differing += expected[i] !== got[i];
  postMessage({ started, length: got.length, differing, threads: two.threads });
};
`;

let site;
before(async () => {
  site = await startEmbeddingSite({
    'index.html': '<!doctype html><title>heap warming</title><script type="module" src="/engines.js"></script>',
    'engines.js': engines,
    'model-input-worker.js': modelInputWorker,
  });
});
after(() => site?.close());

async function pageWithEngines() {
  const page = await site.browser.newPage();
  await page.goto(site.baseUrl);
  await page.waitForFunction(() => window.engines !== undefined);
  return page;
}

// Resident memory of this test's Chromium (every process under this one).
function chromiumResidentBytes() {
  const parents = new Map();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parents.set(pid, stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {}  // ended meanwhile
  }
  const ours = new Set([String(process.pid)]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (ours.has(parent) && !ours.has(pid)) ours.add(pid), grew = true;
    }
  }
  ours.delete(String(process.pid));
  let bytes = 0;
  for (const pid of ours) {
    try {
      bytes += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {}
  }
  return bytes;
}

test('warmHeap: the pages ahead are written (a photo written there adds no resident memory), allocating nothing: by a thread, or in steps', async () => {
  const side = 8192;  // a 268 MB photo
  const bytes = 320e6;
  for (const build of ['two', 'one']) {
    const page = await pageWithEngines();
    const start = await page.evaluate(async (build) => {
      window.pixels = new Uint8Array(8192 * 8192 * 4).fill(90);  // resident before the measure
      return window.engines[build].heapStats();
    }, build);
    const warmed = await page.evaluate(async ([build, bytes]) => {
      const engine = window.engines[build];
      const started = engine.warmHeap(bytes);
      const first = engine.heapWarming();
      const again = engine.warmHeap(bytes);  // refused while a thread warms; a warming in steps starts afresh
      const steps = [];  // bytes written after each step
      while (engine.stepHeapWarming(8 << 20)) steps.push(engine.heapWarming().writtenBytes);
      await window.untilWarmed(engine);
      return { started, first, again, steps, progress: engine.heapWarming(), after: engine.heapStats() };
    }, [build, bytes]);
    assert.equal(warmed.started, true, build);
    if (build === 'two') {
      assert.equal(warmed.again, false, 'one warming at a time');
      assert.deepEqual(warmed.steps, [], 'the thread needs no steps');
    } else {
      assert.deepEqual(warmed.first, { running: true, writtenBytes: 0 }, 'nothing is written until a step');
      assert.equal(warmed.again, true);
      assert.deepEqual(warmed.steps, Array.from({ length: Math.floor(bytes / (8 << 20)) }, (_, i) => (i + 1) * (8 << 20)), '8 MB a step');
    }
    assert.equal(warmed.progress.running, false);
    assert.ok(Math.abs(warmed.progress.writtenBytes - bytes) <= 8192, `${build}: ${warmed.progress.writtenBytes} bytes of pages written`);
    assert.ok(warmed.after.heapSize >= start.peak + bytes, `${build}: the memory grew to hold the warmed pages: ${warmed.after.heapSize}`);
    // The thread's stack (2 MB, Emscripten's default) is all malloc gives it.
    assert.ok(warmed.after.peak - start.peak <= 4e6, `${build}: malloc's footprint grew by ${warmed.after.peak - start.peak} bytes`);

    const residentBefore = chromiumResidentBytes();
    const photo = await page.evaluate(([build, side]) => {
      const engine = window.engines[build];
      window.photo = engine.openPhoto({ width: side, height: side, data: window.pixels });
      return { width: window.photo.width, stats: engine.heapStats() };
    }, [build, side]);
    const grown = chromiumResidentBytes() - residentBefore;
    const photoBytes = side * side * 4;
    console.log(`${build === 'two' ? 'threaded' : 'one-thread'} build: a ${(photoBytes / 1e6).toFixed(0)} MB photo written into warmed pages: resident memory +${(grown / 1e6).toFixed(0)} MB`);
    assert.equal(photo.width, side);
    assert.ok(photo.stats.peak - start.peak >= photoBytes, 'the photo is in the heap');
    // Unwarmed pages would add the photo's size; a third of it leaves room for the rest of
    // the browser's doings meanwhile.
    assert.ok(grown < photoBytes / 3, `${build}: resident memory grew by ${(grown / 1e6).toFixed(0)} MB for a ${(photoBytes / 1e6).toFixed(0)} MB photo`);
    await page.close();
  }
});

test("stepWhileWaiting: the one-thread build's steps run as idle tasks until the warming is done, and none after the stop", async () => {
  const page = await pageWithEngines();
  const out = await page.evaluate(async () => {
    const { stepWhileWaiting } = await import('/defocus/lib/heap-warming.js');
    const { one, two } = window.engines;
    const turns = async (n) => {
      for (let i = 0; i < n; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    one.warmHeap(40e6);
    stepWhileWaiting(one);
    const beforeAnyTask = one.heapWarming();  // the first step waits for a task of its own
    await window.untilWarmed(one);
    const done = one.heapWarming();

    // Stopped from within its first step: that step's pages, and no step after.
    one.warmHeap(1e9);
    let stop;
    const stopsAtOnce = { stepHeapWarming: (bytes) => { const left = one.stepHeapWarming(bytes); stop(); return left; } };
    stop = stepWhileWaiting(stopsAtOnce);
    while (one.heapWarming().writtenBytes === 0) await turns(1);
    const atStop = one.heapWarming();
    await turns(5);
    const later = one.heapWarming();
    one.render({ width: 64, height: 64, data: new Uint8Array(64 * 64 * 4) }, window.softDiscMatte(64, 64), { style: 'lens', strength: 10 });
    return { beforeAnyTask, done, atStop, later, afterRender: one.heapWarming(), twoSteps: two.stepHeapWarming(1e6) };
  });
  assert.deepEqual(out.beforeAnyTask, { running: true, writtenBytes: 0 }, 'no step before a task of its own');
  assert.equal(out.done.running, false);
  assert.ok(Math.abs(out.done.writtenBytes - 40e6) <= 8192, `${out.done.writtenBytes} bytes written`);
  assert.deepEqual(out.atStop, { running: true, writtenBytes: 8 << 20 }, 'one step, then stopped');
  assert.deepEqual(out.later, out.atStop, 'no step after the stop');
  assert.equal(out.afterRender.running, false, 'a render ends a warming left part way');
  assert.equal(out.twoSteps, false);
  await page.close();
});

test("toImage calls what beforeDecode returns once, when the decode is over: the browser's decode, and the engine's", async () => {
  const page = await pageWithEngines();
  const out = await page.evaluate(async () => {
    const { toImage } = await import('/defocus/lib/image-input.js');
    const { one } = window.engines;
    const canvas = new OffscreenCanvas(64, 48);
    const context = canvas.getContext('2d');
    context.fillStyle = '#c85';
    context.fillRect(0, 0, 40, 48);  // the rest transparent: an RGBA PNG, which the engine decodes
    const files = {
      jpeg: await canvas.convertToBlob({ type: 'image/jpeg' }),
      png: await canvas.convertToBlob({ type: 'image/png' }),
    };
    const events = {};
    for (const [name, blob] of Object.entries(files)) {
      const seen = events[name] = [];
      const image = await toImage(one, blob, {
        beforeDecode: ({ width, height }) => (seen.push(`before ${width}x${height}`), () => seen.push('over')),
      });
      seen.push(`decoded by ${image.decoder}`);
    }
    return events;
  });
  assert.deepEqual(out.jpeg, ['before 64x48', 'over', 'decoded by browser']);
  assert.deepEqual(out.png, ['before 64x48', 'over', 'decoded by engine']);
  await page.close();
});

const png = readFileSync(`${testdataRoot}/photos/astronaut_eileen_collins.png`);

test('a render while the heap warms stops the warming and renders the one-thread bytes', async () => {
  const page = await pageWithEngines();
  const out = await page.evaluate(async ({ png, width, height }) => {
    const { one, two } = window.engines;
    const image = one.resize(one.decode(new Uint8Array(png)), width, height);  // above the strip threshold: 2 threads
    const matte = window.softDiscMatte(width, height);
    const options = { style: 'lens', strength: 60 };
    const expected = await window.hex(one.render(image, matte, options).data);
    const before = two.heapStats();
    const bytes = 1.5e9;  // far more than the render leaves it time for (~0.6 s a GB written, faulted here)
    const started = two.warmHeap(bytes);
    const got = await window.hex(two.render(image, matte, options).data);
    return { started, bytes, warming: two.heapWarming(), expected, got, before, after: two.heapStats() };
  }, { png: [...png], width: 3008, height: 2008 });
  assert.equal(out.started, true);
  assert.equal(out.warming.running, false);
  assert.ok(out.warming.writtenBytes < out.bytes / 2, `the render stopped the warming after ${out.warming.writtenBytes} bytes`);
  assert.equal(out.got, out.expected, 'the same bytes as the one-thread build');
  // A few bytes of the threads' own bookkeeping at most; the warmed pages are not held.
  assert.ok(out.after.allocated - out.before.allocated < 65536, `${out.after.allocated - out.before.allocated} bytes held afterwards`);
  await page.close();
});

test("the model's input on 2 threads right after a warming's thread is done: the one-thread tensor", async () => {
  const page = await pageWithEngines();
  const out = await page.evaluate((png) => new Promise((resolve) => {
    const worker = new Worker('/model-input-worker.js', { type: 'module' });
    worker.onmessage = ({ data }) => {
      worker.terminate();
      resolve(data);
    };
    worker.onerror = (e) => resolve({ error: e.message });
    worker.postMessage({ png });
  }), [...png]);
  assert.equal(out.error, undefined, out.error);
  assert.equal(out.started, true);
  assert.equal(out.threads, 2);
  assert.equal(out.length, 3 * 256 * 256);
  assert.equal(out.differing, 0);
  await page.close();
});

test("blur() warms the heap before a photo's first decode, and not again when the heap has room; one thread steps only while the browser decodes", async () => {
  for (const renderThreads of [2, 1]) {
    const page = await site.browser.newPage();
    await page.goto(site.baseUrl);
    const out = await page.evaluate(async (renderThreads) => {
      const { createDefocus } = await import('/defocus/lib/defocus.js');
      const { bytesToWarm } = await import('/defocus/lib/heap-warming.js');
      const events = [];  // 'step' and 'decoded', in order
      const defocus = await createDefocus({ model: 'portrait', worker: false, renderThreads,
        onProgress: ({ stage, fraction }) => stage === 'decode' && fraction === 1 && events.push('decoded') });
      const { engine } = defocus;
      const asked = [];
      const warmHeap = engine.warmHeap;
      engine.warmHeap = (bytes) => (asked.push(bytes), warmHeap(bytes));
      const step = engine.stepHeapWarming;
      engine.stepHeapWarming = (bytes) => (events.push('step'), step(bytes));
      const canvas = new OffscreenCanvas(2400, 1600);
      const context = canvas.getContext('2d');
      context.fillStyle = '#4a7'; context.fillRect(0, 0, 2400, 1600);
      context.fillStyle = '#c85'; context.beginPath(); context.ellipse(1200, 800, 400, 600, 0, 0, 7); context.fill();
      const file = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
      const expected = bytesToWarm(engine.heapStats(), 2400, 1600, engine.threads);
      const calls = [];
      for (let i = 0; i < 2; i++) {
        // A new Blob each time: the same input object again would reuse the decoded photo.
        const result = await defocus.blur(new Blob([file], { type: 'image/jpeg' }), { format: 'jpeg' });
        calls.push({ width: result.width, asked: asked.splice(0) });
      }
      await defocus.dispose();
      return { renderThreads: defocus.renderThreads, expected, calls, events, warming: engine.heapWarming() };
    }, renderThreads);
    assert.equal(out.renderThreads, renderThreads);
    assert.ok(out.expected > 100e6, `a 3.8 MP photo on a fresh engine warms ${out.expected} bytes`);
    assert.deepEqual(out.calls[0], { width: 2400, asked: [out.expected] }, 'the first photo warmed what bytesToWarm said');
    assert.deepEqual(out.calls[1], { width: 2400, asked: [] }, 'the second found the heap warm');
    // Steps (a threaded build's one, which finds nothing to do) come before the first
    // photo's decode is over, never after: the models and the render never wait for them.
    const decoded = out.events.indexOf('decoded');
    assert.ok(decoded >= 0 && !out.events.slice(decoded).includes('step'), out.events.join(' '));
    assert.equal(out.warming.running, false);
    console.log(`${renderThreads} render thread(s): ${out.events.filter((e) => e === 'step').length} step(s) while the first photo decoded`);
    await page.close();
  }
});
