// The page in Chromium: what a first visit downloads (every file, raw and gzip), time to
// the first result for a 12 MP photo, and the slider's re-render latency at preview size.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { startBrowserAndServer } from '../tests/e2e/browser.mjs';
import { printTable } from './table.js';

const web = fileURLToPath(new URL('../web/', import.meta.url));
const mb = (bytes) => (bytes / 1e6).toFixed(2);

async function waitReady(page) {
  await page.waitForFunction(() => /^Ready/.test(document.getElementById('status').textContent), null, { timeout: 120_000 });
}

// Every file the first visit fetches (the page, its worker, the engine, ONNX Runtime and the
// model), sized from the files the server sends.
async function firstLoad(env) {
  const context = await env.browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const paths = new Set();
  page.on('request', (request) => paths.add(new URL(request.url()).pathname));
  const t0 = performance.now();
  await page.goto(env.baseUrl);
  await waitReady(page);
  const readyMs = performance.now() - t0;
  await context.close();
  const rows = [...paths].map((path) => {
    const file = path.endsWith('/') ? `${path}index.html` : path;
    const bytes = readFileSync(`${web}${file.slice(1)}`);
    return { file: file.slice(1), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  }).sort((a, b) => b.gzip - a.gzip);
  return { rows, readyMs };
}

async function photoTimes(env, photoPath, runs) {
  const context = await env.browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(env.baseUrl);
  await waitReady(page);
  const t0 = performance.now();
  await page.setInputFiles('#file', photoPath);
  await page.waitForFunction(() => window.defocusPage.renders > 0, null, { timeout: 300_000 });
  const firstResultMs = performance.now() - t0;
  const preview = await page.evaluate(() => {
    const canvas = document.getElementById('view');
    return `${canvas.width}x${canvas.height}`;
  });
  const latency = {};
  // Style is a switch in view; depth sits in the "Focus and depth" fold.
  const choose = async (style, depth) => {
    await page.check(`input[name=style][value=${style}]`);
    await page.selectOption('#depth', depth);
  };
  await page.click('summary:has-text("Focus and depth")');
  for (const [style, depth] of [['lens', 'auto'], ['lens', 'flat'], ['gaussian', 'auto'], ['motion', 'flat'], ['radial', 'flat']]) {
    await choose(style, depth);
    const samples = [];
    for (let i = 0; i < runs * 2; i++) {
      const before = await page.evaluate(() => window.defocusPage.renders);
      await page.fill('#strength', String(20 + ((i * 37) % 80)));
      await page.waitForFunction((n) => window.defocusPage.renders > n, before, { timeout: 60_000 });
      samples.push(await page.evaluate(() => window.defocusPage.lastRenderMs));
    }
    samples.sort((a, b) => a - b);
    latency[`${style} / ${depth}`] = { median: samples[samples.length >> 1], worst: samples.at(-1) };
  }
  const e0 = performance.now();
  await choose('lens', 'auto');
  await Promise.all([page.waitForEvent('download', { timeout: 600_000 }), page.click('#export')]);
  const exportMs = performance.now() - e0;
  await context.close();
  return { firstResultMs, preview, latency, exportMs };
}

export async function benchPage({ engine, image, runs }) {
  const env = await startBrowserAndServer();
  try {
    const { rows, readyMs } = await firstLoad(env);
    const total = rows.reduce((s, r) => ({ raw: s.raw + r.raw, gzip: s.gzip + r.gzip }), { raw: 0, gzip: 0 });
    console.log(`page: first visit, every file fetched until "Ready" (${readyMs.toFixed(0)} ms on localhost; goal: under 6 MB gzip)`);
    printTable([
      ['file', 'raw MB', 'gzip MB'],
      ...rows.map((r) => [r.file, mb(r.raw), mb(r.gzip)]),
      ['total', mb(total.raw), mb(total.gzip)],
    ]);

    // The 12 MP photo as a file, as a person would drop it.
    const dir = mkdtempSync(`${tmpdir()}/defocus-bench-`);
    const photoPath = `${dir}/photo-12mp.jpg`;
    writeFileSync(photoPath, engine.encode(image, { format: 'jpeg', quality: 92 }));
    const t = await photoTimes(env, photoPath, runs);
    console.log(`page: ${image.width}x${image.height} photo, subject model, preview ${t.preview}`);
    printTable([
      ['measure', 'ms'],
      ['open to first preview (decode + segment + refine + render)', t.firstResultMs.toFixed(0)],
      ...Object.entries(t.latency).flatMap(([name, l]) => [
        [`slider re-render, ${name}, median`, l.median.toFixed(0)],
        [`slider re-render, ${name}, worst`, l.worst.toFixed(0)],
      ]),
      ['full-size export (lens, auto depth, JPEG) to download', t.exportMs.toFixed(0)],
    ]);
  } finally {
    await env.close();
  }
}
