// What Node does differently from a browser, handed to the shared code by node.js: files
// are read from disk (fetch cannot read file: URLs) and WebP is encoded by libwebp's
// WebAssembly build (there is no canvas). Browser bundles never import this file.
import { readFile } from 'node:fs/promises';
import { encodeWebp } from './node-webp.js';

/** The bytes of a file: URL, or null when there is no such file. */
export async function readFileUrl(url) {
  try {
    return new Uint8Array(await readFile(url));
  } catch (err) {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return null;
    throw err;
  }
}

export const nodeHost = {
  read: readFileUrl,
  encodeWebp,
  // ONNX Runtime's threads in Node would be worker_threads running a second copy of its
  // runtime; one thread per engine, and the CLI's --jobs for parallel photos.
  threads: 1,
};
