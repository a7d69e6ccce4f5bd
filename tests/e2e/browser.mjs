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

/**
 * Starts the dev server on a free port and Chromium; returns {baseUrl, browser, close}.
 * root: the folder served (default web/); extraArgs: more Chromium flags (e.g. a fake camera).
 */
export async function startBrowserAndServer({ root, extraArgs = [] } = {}) {
  const server = createServer(root);
  const baseUrl = await listen(server, { port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...chromiumFlags, ...extraArgs],
  });
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
  return page.waitForFunction(() => /^Ready/.test(document.getElementById('status').textContent), null, { timeout: 60_000 });
}

/**
 * A site of someone embedding defocus: the built web/ folder under /defocus/ plus `files`
 * ({name: contents}) at the root; returns what startBrowserAndServer does.
 */
export function startEmbeddingSite(files) {
  const site = mkdtempSync(`${tmpdir()}/defocus-site-`);
  symlinkSync(fileURLToPath(new URL('../../web/', import.meta.url)), `${site}/defocus`);
  for (const [name, contents] of Object.entries(files)) writeFileSync(`${site}/${name}`, contents);
  return startBrowserAndServer({ root: site });
}
