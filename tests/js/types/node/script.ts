// Compiled (not run) by types.test.mjs here and by the tarball test in a fresh install: the
// Node API (moduleResolution "nodenext": the "node" export condition).
import { createDefocus, DefocusError, loadEngine, type InThreadDefocus } from 'defocus';

export async function blurFile(bytes: Uint8Array, signal: AbortSignal): Promise<Uint8Array> {
  const defocus: InThreadDefocus<Uint8Array> = await createDefocus({ model: 'subject', baseUrl: './web' });
  try {
    const result = await defocus.blur(bytes, { strength: 30, format: 'png', signal });
    // @ts-expect-error Node results are bytes, not Blobs
    const blob: Blob = result.data;
    void blob;
    // @ts-expect-error live video from a camera is for pages (startLive); Node has createLive
    void defocus.startLive;
    const engine = await loadEngine();
    console.log(engine.probe(result.data).width, result.coverage);
    return result.data;
  } catch (err) {
    if (err instanceof DefocusError) console.error(`${err.code}: ${err.message}`);
    throw err;
  } finally {
    await defocus.dispose();
  }
}
