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
  return (await decoder)(bytes);
}
