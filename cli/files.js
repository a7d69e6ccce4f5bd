// File I/O of a batch. Outputs are written to a temporary name beside the target and
// renamed into place, so an interrupted run never leaves a half-written file that a
// re-run would take for a finished one.
import { mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { unlinkSync } from 'node:fs';
import path from 'node:path';

/** Inputs larger than this are refused before reading (the decoder has its own pixel limit). */
const maxInputBytes = 1 << 30;

class InputError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const inFlight = new Set();  // temporary files being written, removed on interrupt
let counter = 0;

/** 'dir', 'file', or null when nothing is there (or it cannot be read). */
export async function kindOf(p) {
  try {
    return (await stat(p)).isDirectory() ? 'dir' : 'file';
  } catch {
    return null;
  }
}

export const exists = async (p) => (await kindOf(p)) !== null;
export const isDirectory = async (p) => (await kindOf(p)) === 'dir';

/** The file's bytes in an ArrayBuffer of their own (so they can move to a worker). */
export async function readInput(p) {
  let size;
  try {
    const s = await stat(p);
    if (s.isDirectory()) throw new InputError('not_an_image', 'is a folder');
    size = s.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError('not_found', e.code === 'ENOENT' ? 'no such file' : e.message);
  }
  if (size > maxInputBytes) throw new InputError('too_large', `file is ${size} bytes, more than the ${maxInputBytes} byte limit`);
  return ownBuffer(await readFile(p));
}

/** The bytes as a Uint8Array over a whole ArrayBuffer of their own, which can be moved to
 *  another thread: a copy only when they are part of a larger (or shared) buffer. */
export function ownBuffer(bytes) {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return whole ? new Uint8Array(bytes.buffer) : new Uint8Array(bytes);
}

/** Writes bytes to `target` through a temporary file and a rename. */
export async function writeAtomic(target, bytes) {
  const dir = path.dirname(target);
  await mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}-${counter++}.part`);
  inFlight.add(temp);
  try {
    await writeFile(temp, bytes, { flag: 'wx' });
    const handle = await open(temp, 'r');  // flushed to disk before it takes the real name
    await handle.sync().finally(() => handle.close());
    await rename(temp, target);
  } catch (e) {
    await unlink(temp).catch(() => {});
    throw e;
  } finally {
    inFlight.delete(temp);
  }
}

/** Removes temporary files still being written (on Ctrl-C). */
export function removeTemporaryFiles() {
  for (const temp of inFlight) {
    try {
      unlinkSync(temp);
    } catch {}
  }
}
