// WebP encoding for Node, where there is no canvas: libwebp compiled to WebAssembly
// (@jsquash/webp, squoosh's codec). Browsers use their own encoder instead.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

let ready = null;

async function encoder() {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    const { default: encode, init } = await import('@jsquash/webp/encode.js');
    // The package fetches its .wasm by URL, which Node's fetch cannot do for file: URLs.
    const wasmPath = require.resolve('@jsquash/webp/codec/enc/webp_enc.wasm');
    await init(await WebAssembly.compile(await readFile(wasmPath)));
    return encode;
  })();
  return ready;
}

/** RGBA pixels -> WebP bytes at quality 1..100. */
export async function encodeWebp(image, quality) {
  const encode = await encoder();
  const data = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length);
  const out = await encode({ width: image.width, height: image.height, data, colorSpace: 'srgb' }, { quality });
  return new Uint8Array(out);
}
