// The npm tarball is the product: packed from this checkout, installed into a fresh folder
// (its dependencies from the npm cache when there), and used there as the README says: the
// Node example, `npx defocus`, TypeScript with --strict, and zero-config Vite and webpack 5
// builds of the README's bundler example whose pages blur a photo in Chromium, with and
// without cross-origin isolation, fetching nothing from any other origin; and Vite's dev
// server on the same app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as viteBuild, createLogger, createServer as createViteServer } from 'vite';
import webpack from 'webpack';
import { createDefocus, loadEngine } from '../../web/lib/node.js';
import { decodeWebp } from '../wasm/webp.mjs';
import { detailEnergy, psnr, testdataRoot } from '../wasm/fixtures.mjs';
import { foreignRequests, launchChromium } from '../e2e/browser.mjs';
import { createServer, listen } from '../../scripts/serve.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(repo, 'README.md'), 'utf8');
const photo = join(testdataRoot, 'photos/astronaut_eileen_collins.png');  // a detailed background
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const typesNodeVersion = JSON.parse(readFileSync(join(repo, 'node_modules/@types/node/package.json'), 'utf8')).version;

let work;      // temporary folder: the tarball and the consumer project
let app;       // the consumer project with the tarball installed
let packed;    // npm pack's report
let engine;
let reference; // this checkout's module on the photo with the README's options (PNG): {data, image, matte}
let expectedWebp; // the same as WebP, as the README's Node example writes it
let browser;

// The outer `npm test` exports npm_* settings; the consumer's npm must not inherit them.
const npmEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) || /^npm_config_(cache|registry)$/i.test(k)));
const run = (command, args, cwd) => execFileSync(command, args, { cwd, env: npmEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const runAsync = (command, args, cwd) => promisify(execFile)(command, args, { cwd, env: npmEnv });

/** The first ```LANG block after `heading` in the README. */
function readmeBlock(heading, lang) {
  const section = readme.slice(readme.indexOf(heading));
  const match = section.match(new RegExp('```' + lang + '\\n([\\s\\S]*?)```'));
  assert.ok(match, `the README has a ${lang} block under "${heading}"`);
  return match[1];
}

function folderBytes(dir) {
  let sum = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sum += folderBytes(path);
    else if (entry.isFile()) sum += statSync(path).size;
  }
  return sum;
}
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
// The engine's threaded build, known by its binary's bytes: bundlers rename the files,
// webpack minifies the glue and Vite inlines the 2 KB worker script.
const threadedBuild = [{ name: 'defocus_engine_threads.wasm', hash: sha256(readFileSync(join(repo, 'web/wasm/defocus_engine_threads.wasm'))) }];

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'defocus-package-'));
  [packed] = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], repo));
  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', join(work, packed.filename), `@types/node@${typesNodeVersion}`,
    '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock'], app);
  engine = await loadEngine();
  const defocus = await createDefocus();
  reference = await defocus.blur(readFileSync(photo), { strength: 40, style: 'lens', format: 'png', matte: true });
  reference.image = engine.decode(reference.data);
  expectedWebp = await decodeWebp((await defocus.blur(readFileSync(photo), { strength: 40, format: 'webp' })).data);
  await defocus.dispose();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the tarball holds the module, engine, models, ONNX Runtime, CLI and cards, and nothing else', () => {
  const files = packed.files.map((f) => f.path);
  console.log(`npm pack: ${files.length} files, ${mb(packed.size)} packed, ${mb(packed.unpackedSize)} unpacked`);
  for (const path of ['web/lib/defocus.js', 'web/lib/defocus.d.ts', 'web/lib/node.js', 'web/lib/node.d.ts', 'web/lib/worker.js',
    'web/lib/worker.d.ts', 'web/wasm/defocus_engine.js', 'web/wasm/defocus_engine.wasm', 'web/wasm/defocus_engine.d.ts',
    'web/wasm/defocus_engine_threads.js', 'web/wasm/defocus_engine_threads.wasm', 'web/wasm/defocus_engine_threads.worker.js', 'web/wasm/option-schema.js',
    'web/models/models.json', 'web/models/files.js', 'web/vendor/ort/ort.wasm.min.mjs', 'web/vendor/ort/ort-wasm-simd-threaded.mjs',
    'web/vendor/ort/ort-wasm-simd-threaded.wasm', 'cli/defocus.js', 'models/cards/subject.md', 'README.md', 'LICENSE',
    'THIRD_PARTY_NOTICES.md', 'package.json']) {
    assert.ok(files.includes(path), `${path} is in the tarball`);
  }
  const manifest = JSON.parse(readFileSync(join(repo, 'web/models/models.json'), 'utf8'));
  for (const { file } of manifest.models) assert.ok(files.includes(`web/models/${file}`), file);
  const strays = files.filter((f) => /^(engine|bindings|tests|bench|scripts|web\/app)\/|\.(cpp|h|map)$|jsep|jspi|asyncify/.test(f));
  assert.deepEqual(strays, []);
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  assert.equal(pkg.private, undefined, 'publishable');
  assert.equal(pkg.license, 'Apache-2.0');
});

test('a fresh install is lean: no dev-only packages, ONNX Runtime only as the files the package uses', () => {
  const modules = join(app, 'node_modules');
  const installed = readdirSync(modules).filter((name) => !name.startsWith('.'));
  const total = folderBytes(modules) - folderBytes(join(modules, '@types'));
  console.log(`node_modules of a fresh install (without @types/node, added for the type check): ${mb(total)}, ` +
    `of which defocus ${mb(folderBytes(join(modules, 'defocus')))}; packages: ${installed.join(', ')}`);
  for (const name of ['onnxruntime-web', 'sirv', 'vite', 'webpack', 'playwright-core', 'typescript']) {
    assert.ok(!installed.includes(name), `${name} is installed`);
  }
  assert.ok(total < 30e6, `node_modules is ${mb(total)}`);
});

test("the README's Node example runs in the fresh install and gives this checkout's pixels", async () => {
  cpSync(photo, join(app, 'portrait.jpg'));  // the engine reads the content, whatever the name
  writeFileSync(join(app, 'example.mjs'), readmeBlock('### In Node', 'js'));
  run(process.execPath, ['example.mjs'], app);
  const out = await decodeWebp(readFileSync(join(app, 'portrait.webp')));
  assert.deepEqual([out.width, out.height], [512, 512]);
  assert.equal(psnr(out.data, expectedWebp.data), Infinity, 'the installed package renders what this checkout renders');
});

test('npx defocus runs the command line from the fresh install', () => {
  const report = JSON.parse(run('npx', ['--no-install', 'defocus', 'portrait.jpg', '-o', 'soft.png', '--strength', '40', '--json'], app));
  assert.equal(report.status, 'written');
  const out = engine.decode(readFileSync(join(app, 'soft.png')));
  const agreement = psnr(out.data, reference.image.data);
  console.log(`npx defocus: ${out.width} x ${out.height}, PSNR against the module's lens blur ${agreement} dB`);
  assert.equal(agreement, Infinity);
});

test('the documented API type-checks with tsc --strict against the installed types', async () => {
  // Both projects at once (each compiles @types/node or the DOM's types: seconds apiece).
  await Promise.all(['browser', 'node'].map(async (kind) => {
    const dir = join(app, 'types', kind);
    cpSync(join(repo, 'tests/js/types', kind), dir, { recursive: true });
    try {
      await runAsync(process.execPath, [tsc, '-p', dir, '--strict'], app);
    } catch (err) {
      assert.fail(`${kind}: tsc reported errors:\n${err.stdout}${err.stderr}`);
    }
  }));
});

/** The README's bundler example as an app: index.html and main.js in `dir`. */
function writeBundlerApp(dir, scriptSrc) {
  mkdirSync(dir, { recursive: true });
  const html = readmeBlock('### With a bundler', 'html').replace('./main.js', scriptSrc);
  writeFileSync(join(dir, 'index.html'), `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>app</title></head>\n<body>\n${html}</body></html>\n`);
  return readmeBlock('### With a bundler', 'js');
}

/** Size of a built app, and how many of its scripts hold Node-only modules: the WebP
 *  encoder, or an import of a node: module (bundlers stub those out with a warning). ONNX
 *  Runtime's own files keep their dead Node branches (require shims), which load nothing. */
function inspectDist(dist) {
  const files = readdirSync(dist, { recursive: true }).filter((f) => statSync(join(dist, f)).isFile());
  const scripts = files.filter((f) => /\.m?js$/.test(f)).map((f) => readFileSync(join(dist, f), 'utf8'));
  const nodeOnly = scripts.filter((s) => /@jsquash|webp_enc|browser-external|from\s*["']node:|import\(\s*["']node:/.test(s)).length;
  return { files, bytes: folderBytes(dist), nodeOnly, jsep: files.filter((f) => /jsep|jspi|asyncify/.test(f)) };
}

/** Serves `dist`, picks the photo in the built page, returns what the page shows. */
async function blurInBuiltPage(dist, isolation) {
  const server = createServer(dist, { isolation });
  try {
    return await blurInPage(await listen(server, { port: 0, host: '127.0.0.1' }));
  } finally {
    server.close();
  }
}

/** Picks the photo in the app at `url`, returns what the page shows. */
async function blurInPage(url) {
  const context = await browser.newContext();
  const requests = [];
  const failures = [];
  context.on('request', (request) => requests.push(request.url()));
  context.on('response', (response) => response.status() >= 400 && !response.url().endsWith('/favicon.ico') && failures.push(`${response.status()} ${response.url()}`));
  const bodies = [];
  context.on('response', (response) => response.ok() && bodies.push(response.body().then(sha256, () => null)));
  try {
    const page = await context.newPage();
    page.on('pageerror', (err) => failures.push(err.message));
    await page.goto(url);
    await page.setInputFiles('#photo', photo);
    // The portrait shows, or the page said why not (then it set no src).
    await page.waitForFunction(() => {
      const img = document.getElementById('portrait');
      return img.naturalWidth > 0 || (document.getElementById('status').textContent && !img.getAttribute('src'));
    });
    const shown = await page.evaluate(() => {
      const img = document.getElementById('portrait');
      const canvas = Object.assign(document.createElement('canvas'), { width: img.naturalWidth, height: img.naturalHeight });
      canvas.getContext('2d').drawImage(img, 0, 0);
      return { png: canvas.toDataURL('image/png'), status: document.getElementById('status').textContent,
        progress: document.getElementById('progress').value, isolated: crossOriginIsolated };
    });
    // Whether the page loaded the engine's threaded build.
    const loaded = new Set(await Promise.all(bodies));
    const threaded = threadedBuild.filter((f) => loaded.has(f.hash)).map((f) => f.name);
    return { ...shown, image: engine.decode(Buffer.from(shown.png.split(',')[1], 'base64')), foreign: foreignRequests(requests, url), failures, threaded };
  } finally {
    await context.close();
  }
}

function checkBlurredPage(shown, isolated, what) {
  const original = engine.decode(readFileSync(photo));
  const agreement = psnr(shown.image.data, reference.image.data);
  const unblurred = psnr(original.data, reference.image.data);
  const background = (i) => reference.matte[i] < 0.01;
  const kept = detailEnergy(shown.image, background).energy / detailEnergy(original, background).energy;
  console.log(`${what}: "${shown.status}", isolated ${shown.isolated}; PSNR against Node's render ${agreement.toFixed(1)} dB ` +
    `(the unblurred photo: ${unblurred.toFixed(1)} dB); background detail kept ${(kept * 100).toFixed(1)}%`);
  assert.deepEqual(shown.failures, []);
  assert.deepEqual(shown.foreign, [], 'every request stays on the page origin');
  assert.equal(shown.isolated, isolated);
  assert.match(shown.status, isolated ? /^512 × 512, [2-4] thread\(s\)$/ : /^512 × 512, 1 thread\(s\)$/);
  assert.deepEqual(shown.threaded, isolated ? threadedBuild.map((f) => f.name) : [], 'the threaded build loads where isolated, only there');
  assert.equal(shown.progress, 1);
  // The page's JPEG of the portrait matches Node's render of it, far closer than the photo does.
  assert.ok(agreement > 33 && agreement > unblurred + 8, `PSNR ${agreement} dB (unblurred ${unblurred} dB)`);
  assert.ok(kept < 0.2, `the background keeps ${kept} of its detail`);
}

test('a zero-config Vite build: no Node code, no jsep, at most 25 MB; its page blurs with and without COOP/COEP', async () => {
  const root = join(app, 'vite-app');
  writeFileSync(join(root, 'main.js'), writeBundlerApp(root, './main.js'));
  const warnings = [];
  const logger = createLogger('warn', { allowClearScreen: false });
  logger.warn = (message) => warnings.push(message);
  await viteBuild({ root, configFile: false, logLevel: 'warn', customLogger: logger });
  const dist = inspectDist(join(root, 'dist'));
  console.log(`vite build: ${dist.files.length} files, ${mb(dist.bytes)}; warnings: ${warnings.length}`);
  assert.deepEqual(warnings, []);
  assert.equal(dist.nodeOnly, 0, 'no script of the build holds Node-only code');
  assert.deepEqual(dist.jsep, []);
  assert.ok(dist.bytes <= 25e6, `dist is ${mb(dist.bytes)}`);
  checkBlurredPage(await blurInBuiltPage(join(root, 'dist'), true), true, 'vite, COOP/COEP');
  checkBlurredPage(await blurInBuiltPage(join(root, 'dist'), false), false, 'vite, no isolation');
});

test("Vite's dev server serves the same example as it is", async () => {
  const root = join(app, 'vite-app');  // written by the build test above
  const server = await createViteServer({ root, configFile: false, logLevel: 'silent', server: { host: '127.0.0.1', port: 0 } });
  await server.listen();
  try {
    checkBlurredPage(await blurInPage(server.resolvedUrls.local[0]), false, 'vite dev server');
  } finally {
    await server.close();
  }
});

test("a zero-config webpack 5 build (mode only) of the same example blurs in Chromium", async () => {
  const root = join(app, 'webpack-app');
  mkdirSync(join(root, 'src'), { recursive: true });
  writeFileSync(join(root, 'src/index.js'), writeBundlerApp(join(root, 'dist'), 'main.js'));
  // context and output.path are what webpack's CLI takes from the folder it runs in.
  const stats = await new Promise((resolve, reject) => webpack({ mode: 'production', context: root, output: { path: join(root, 'dist') } },
    (err, result) => (err ? reject(err) : resolve(result))));
  const info = stats.toJson({ all: false, errors: true, warnings: true });
  // webpack's size hints (performance warnings) are advice about a 14 MB runtime, not faults.
  const warnings = info.warnings.filter((w) => !/size limit/.test(w.message));
  assert.deepEqual(info.errors, []);
  assert.deepEqual(warnings, []);
  const dist = inspectDist(join(root, 'dist'));
  console.log(`webpack build: ${dist.files.length} files, ${mb(dist.bytes)}`);
  assert.equal(dist.nodeOnly, 0, 'no script of the build holds Node-only code');
  assert.deepEqual(dist.jsep, []);
  assert.ok(dist.bytes <= 25e6, `dist is ${mb(dist.bytes)}`);
  checkBlurredPage(await blurInBuiltPage(join(root, 'dist'), true), true, 'webpack, COOP/COEP');
});
