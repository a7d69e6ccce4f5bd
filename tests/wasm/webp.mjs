// WebP decoding for tests in Node (libwebp's WebAssembly build), to check exported files.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

let decoder = null;

export async function decodeWebp(bytes) {
  decoder ??= (async () => {
    const require = createRequire(import.meta.url);
    const { default: decode, init } = await import('@jsquash/webp/decode.js');
    await init(await WebAssembly.compile(await readFile(require.resolve('@jsquash/webp/codec/dec/webp_dec.wasm'))));
    return decode;
  })();
  // Exactly the file's bytes (a Node Buffer may be a view into a larger pooled buffer).
  const view = new Uint8Array(bytes.buffer ?? bytes, bytes.byteOffset ?? 0, bytes.byteLength);
  return (await decoder)(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}
