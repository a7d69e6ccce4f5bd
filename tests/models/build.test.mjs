// models/build.js: deterministic rebuilds, up-to-date skipping, and a manifest
// (models/models.json) that is complete and matches the built files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModels, readManifest, MANIFEST_PATH, RECIPES } from '../../models/build.js';
import { readModel, valueInfoShape } from '../../models/tools/onnx-proto.js';
import { MODELS_DIR } from '../../models/tools/upstream.js';

const sha256 = (b) => createHash('sha256').update(b).digest('hex');
const dirs = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'defocus-models-')); dirs.push(d); return d; };
process.on('exit', () => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

let first;
let firstDir;

test('a clean build matches the committed sha256 of every model', async () => {
  firstDir = tempDir();
  const t0 = performance.now();
  first = await buildModels({ outDir: firstDir, log: (s) => console.log(`  ${s}`) });
  console.log(`  build time ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const manifest = readManifest();
  for (const r of first) {
    const entry = manifest.models.find((e) => e.id === r.id);
    assert.ok(r.built, `${r.id} should be built in a fresh directory`);
    assert.equal(sha256(readFileSync(r.path)), entry.sha256, `${r.id}: sha256 of ${r.path}`);
    assert.equal(readFileSync(r.path).length, entry.bytes, `${r.id}: size`);
  }
});

test('rebuilding into another directory gives byte-identical files', async () => {
  const second = await buildModels({ outDir: tempDir(), force: true });
  for (const r of first) {
    const s = second.find((x) => x.id === r.id);
    const a = readFileSync(r.path); const b = readFileSync(s.path);
    assert.equal(a.length, b.length, `${r.id}: sizes differ`);
    assert.ok(a.equals(b), `${r.id}: rebuild is not byte-identical`);
  }
});

test('an up-to-date output is not rebuilt; a damaged one is', async () => {
  const again = await buildModels({ outDir: firstDir });
  for (const r of again) assert.equal(r.built, false, `${r.id} was rebuilt although nothing changed`);
  const victim = first.find((r) => r.id === 'portrait');
  writeFileSync(victim.path, 'damaged');
  const repaired = await buildModels({ outDir: firstDir });
  assert.equal(repaired.find((r) => r.id === 'portrait').built, true);
  assert.equal(repaired.find((r) => r.id === 'subject').built, false);
  assert.equal(sha256(readFileSync(victim.path)), victim.sha256);
});

test('the build fails loudly when a built file does not match the manifest', async () => {
  const dir = tempDir();
  const manifest = readManifest();
  manifest.models.find((e) => e.id === 'subject').sha256 = '0'.repeat(64);
  const path = join(dir, 'models.json');
  writeFileSync(path, JSON.stringify(manifest));
  await assert.rejects(buildModels({ outDir: join(dir, 'out'), manifestPath: path }), (e) => {
    assert.match(e.message, /do not match the committed manifest/);
    assert.match(e.message, /subject: built u2netp_int8\.onnx has sha256 [0-9a-f]{64}/);
    assert.match(e.message, /--update-manifest/);
    return true;
  });
});

test('models.json entries are complete and describe the built files', () => {
  const manifest = readManifest(MANIFEST_PATH);
  assert.deepEqual(manifest.models.map((e) => e.id).sort(), ['portrait', 'portrait-landscape', 'subject']);
  assert.deepEqual(RECIPES.map((r) => r.id).sort(), ['portrait', 'portrait-landscape', 'subject']);
  for (const e of manifest.models) {
    const where = `models.json ${e.id}`;
    for (const k of ['id', 'title', 'task', 'file', 'license', 'authors', 'conversion', 'card']) assert.ok(typeof e[k] === 'string' && e[k], `${where}: ${k}`);
    assert.equal(e.license, 'Apache-2.0', where);
    assert.match(e.sha256, /^[0-9a-f]{64}$/, `${where}: sha256`);
    assert.ok(Number.isInteger(e.bytes) && e.bytes > 0, `${where}: bytes`);
    assert.ok(existsSync(join(MODELS_DIR, e.card)), `${where}: card ${e.card} missing`);
    const card = readFileSync(join(MODELS_DIR, e.card), 'utf8');
    assert.match(card, /Apache-2\.0/, `${e.card}: licence`);
    assert.match(card, new RegExp(e.upstream.package.replace(/[/@.-]/g, '\\$&')), `${e.card}: upstream package`);
    // upstream provenance
    for (const k of ['package', 'version', 'path']) assert.ok(e.upstream?.[k], `${where}: upstream.${k}`);
    assert.match(e.upstream.sha256, /^[0-9a-f]{64}$/, `${where}: upstream.sha256`);
    // input
    const inp = e.input;
    assert.ok(inp.name, `${where}: input.name`);
    assert.ok(['NCHW', 'NHWC'].includes(inp.layout), `${where}: input.layout`);
    assert.equal(inp.type, 'float32');
    assert.equal(inp.shape.length, 4);
    const n = inp.normalization;
    assert.ok((Array.isArray(n.range) && n.range.length === 2) || (n.mean?.length === 3 && n.std?.length === 3), `${where}: normalization`);
    // output
    assert.ok(e.output.name && Number.isInteger(e.output.index) && e.output.meaning, `${where}: output`);
    assert.match(e.output.meaning, /0\.\.1/);
    // the built file agrees with the manifest's description
    const built = first.find((r) => r.id === e.id);
    const model = readModel(built.path);
    const gi = model.graph.input.find((vi) => vi.name === inp.name);
    assert.ok(gi, `${where}: the model has no input ${inp.name}`);
    assert.deepEqual(valueInfoShape(gi), inp.shape, `${where}: input shape`);
    assert.equal(model.graph.output[e.output.index].name, e.output.name, `${where}: output ${e.output.index} name`);
    assert.deepEqual(valueInfoShape(model.graph.output[e.output.index]), e.output.shape, `${where}: output shape`);
  }
});
