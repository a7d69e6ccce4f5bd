// The dev server `npm start` runs: cross-origin isolation headers and the wasm MIME type.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, listen } from '../../scripts/serve.js';

const server = createServer();
const base = await listen(server, { port: 0, host: '127.0.0.1' });
after(() => server.close());

test('the page is served with COOP/COEP so threads can be used', async () => {
  const res = await fetch(base);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/html/);
  assert.equal(res.headers.get('cross-origin-opener-policy'), 'same-origin');
  assert.equal(res.headers.get('cross-origin-embedder-policy'), 'require-corp');
  assert.match(await res.text(), /defocus/);
});

test('the engine is served as application/wasm, missing files as 404 with the headers', async () => {
  const wasm = await fetch(new URL('wasm/defocus_engine.wasm', base));
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  const bytes = new Uint8Array(await wasm.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 4)], [0, 0x61, 0x73, 0x6d]); // "\0asm"
  const missing = await fetch(new URL('no-such-file.js', base));
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get('cross-origin-embedder-policy'), 'require-corp');
});
