// The .d.ts files describe what the JS actually has: TypeScript consumers compile (with
// @ts-expect-error lines that fail when a type gets looser), and the declared exports,
// members and model ids are compared with the running module, so either side drifting fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { declaredMembers, declaredUnion, declaredValueExports } from './declared-api.mjs';
import { testdata } from '../wasm/fixtures.mjs';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const source = (path) => readFileSync(new URL(`../../web/lib/${path}`, import.meta.url), 'utf8');

function typeCheck(project) {
  try {
    execFileSync(process.execPath, [tsc, '-p', fileURLToPath(new URL(`./types/${project}`, import.meta.url))], { encoding: 'utf8' });
  } catch (err) {
    assert.fail(`tsc reported errors:\n${err.stdout}${err.stderr}`);
  }
}

test('a TypeScript consumer of the loader and raw module type-checks', () => typeCheck('tsconfig.json'));
test('a bundled browser app type-checks: Blob results, model ids, promises, live API', () => typeCheck('browser/tsconfig.json'));
test('a Node script type-checks: Uint8Array results, no DOM types needed', () => typeCheck('node/tsconfig.json'));

test('each entry exports at run time exactly what its .d.ts declares', async () => {
  const runtime = async (file) => Object.keys(await import(`../../web/lib/${file}`)).sort();
  assert.deepEqual(await runtime('node.js'), declaredValueExports('node.d.ts'));
  assert.deepEqual(await runtime('defocus.js'), declaredValueExports('defocus.d.ts'));
  // The worker script exports nothing (it cannot be imported in Node: it is a worker).
  assert.deepEqual(declaredValueExports('worker.d.ts'), []);
  assert.doesNotMatch(source('worker.js'), /^export /m);
});

test('an engine and an opened photo have exactly the declared members', async () => {
  const { createDefocus } = await import('../../web/lib/node.js');
  const defocus = await createDefocus({ model: 'portrait' });
  const photo = await defocus.open(testdata('photos/cat_chelsea.png'), { previewSize: 200 });
  assert.deepEqual(Object.keys(defocus).sort(), declaredMembers('node.d.ts', 'InThreadDefocus'));
  assert.deepEqual(Object.keys(photo).sort(), declaredMembers('api.d.ts', 'Photo'));
  // "Promises everywhere a call is async": every method returns a promise (the live pipeline is made at once).
  const image = { width: 4, height: 4, data: new Uint8Array(64) };
  const plane = { width: 4, height: 4, data: new Float32Array(16) };
  assert.ok(defocus.render(image, plane) instanceof Promise);
  assert.ok(photo.previewMatteWith() instanceof Promise);
  assert.ok(photo.close() instanceof Promise);
  await defocus.dispose();
});

test('the model ids in the types are the manifest ids plus auto', () => {
  const manifest = JSON.parse(readFileSync(new URL('../../models/models.json', import.meta.url), 'utf8'));
  const ids = manifest.models.filter((m) => (m.kind ?? 'segmentation') === 'segmentation').map((m) => m.id);
  assert.deepEqual(declaredUnion('api.d.ts', 'ModelId'), [...new Set(['auto', ...ids])].sort());
});
