// Debian's Chromium driven by playwright-core, and the dev server, for page tests.
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer, listen } from '../../scripts/serve.js';

const chromiumFlags = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

// Playwright's default wait of 30 s is a timing bound: with a core busy and other jobs
// on the machine, a model load or a full-size export can take longer. Waits here only
// guard against hangs.
export const hangGuardMs = 300_000;

/** Debian's Chromium, headless; extraArgs: more flags (e.g. a fake camera). Its contexts
 *  and pages wait up to hangGuardMs by default. */
export async function launchChromium(extraArgs = []) {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...chromiumFlags, ...extraArgs] });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args) => {
    const context = await newContext(...args);
    context.setDefaultTimeout(hangGuardMs);
    return context;
  };
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (...args) => {
    const page = await newPage(...args);
    page.setDefaultTimeout(hangGuardMs);
    return page;
  };
  return browser;
}

/**
 * Starts the dev server on a free port and Chromium; returns {baseUrl, browser, close}.
 * root: the folder served (default web/); extraArgs: more Chromium flags (e.g. a fake camera).
 */
export async function startBrowserAndServer({ root, extraArgs = [] } = {}) {
  const server = createServer(root);
  const baseUrl = await listen(server, { port: 0, host: '127.0.0.1' });
  const browser = await launchChromium(extraArgs);
  return {
    baseUrl,
    browser,
    async close() {
      await browser.close();
      server.close();
    },
  };
}

/** startBrowserAndServer plus one page opened on the site: {env, page}. */
export async function startWithPage(options) {
  const env = await startBrowserAndServer(options);
  const page = await env.browser.newPage();
  await page.goto(env.baseUrl);
  return { env, page };
}

/** Waits until the page says it is ready (engine and model loaded). */
export function pageReady(page) {
  return page.waitForFunction(() => /^Ready/.test(document.getElementById('status').textContent), null, { timeout: hangGuardMs });
}

/** A browser context as a person has it (downloads, a desktop window) whose every request
 *  URL is added to `requests`. */
export async function personContext(env, requests) {
  const context = await env.browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  context.on('request', (request) => requests.push(request.url()));
  return context;
}

/** A new page of `context` on the site, once it says it is ready. */
export async function openReadyPage(context, env) {
  const page = await context.newPage();
  await page.goto(env.baseUrl);
  await pageReady(page);
  return page;
}

/** The requests that left the site's origin (blob: and data: URLs never leave the page). */
export function foreignRequests(requests, baseUrl) {
  const origin = new URL(baseUrl).origin;
  return requests.filter((url) => !url.startsWith(origin) && !/^(blob|data):/.test(url));
}

/** Runs `action` and waits for the page to finish a render it started. */
export async function afterRender(page, action, { timeout } = {}) {
  const before = await page.evaluate(() => window.defocusPage.renders);
  await action();
  await page.waitForFunction((n) => window.defocusPage.renders > n, before, { timeout });
}

/** Browser-side source of `hex(bytes)`: the SHA-256 of bytes as hex, to compare renders. */
export const sha256HexSource = `
const hex = async (bytes) => [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');`;

/**
 * Browser-side source of `softDiscMatte(width, height)`: a {width, height, data} matte with
 * a soft-edged elliptic subject in the middle, for pages and workers that render full-size
 * photos without a model (tests/e2e/threads, bench/render-threads).
 */
export const softDiscMatteSource = `
function softDiscMatte(width, height) {
  const matte = { width, height, data: new Float32Array(width * height) };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const r = Math.hypot((x - width / 2) / (width * 0.25), (y - height / 2) / (height * 0.35));
      matte.data[y * width + x] = Math.min(1, Math.max(0, (1.1 - r) * 5));
    }
  }
  return matte;
}`;

/**
 * A site of someone embedding defocus: the built web/ folder under /defocus/ plus `files`
 * ({name: contents}) at the root; returns what startBrowserAndServer does, and `root`.
 */
export async function startEmbeddingSite(files) {
  const site = mkdtempSync(`${tmpdir()}/defocus-site-`);
  symlinkSync(fileURLToPath(new URL('../../web/', import.meta.url)), `${site}/defocus`);
  for (const [name, contents] of Object.entries(files)) writeFileSync(`${site}/${name}`, contents);
  return { ...(await startBrowserAndServer({ root: site })), root: site };
}
