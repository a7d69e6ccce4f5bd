// Compiled (not run) by types.test.mjs: the public module through the package's own
// "exports" map, the way an embedding site imports it.
import { createDefocus, DefocusError, renderDefaults, type Photo } from 'defocus';

async function portrait(file: Blob, signal: AbortSignal): Promise<Blob | Uint8Array> {
  const engine = await createDefocus({ model: 'subject', onProgress: ({ stage, fraction }) => console.log(stage, fraction) });
  const result = await engine.blur(file, { strength: 30, style: 'lens', blades: 6, format: 'webp', quality: 85, signal });
  const coverage: number = result.coverage + result.matte.length + (result.timings.segment ?? 0);
  const photo: Photo = await engine.open(file, { previewSize: 1024 });
  const preview = await photo.render({ ...renderDefaults, strength: 60, depth: { mode: 'auto', focusX: 0.4, focusY: 0.5 } });
  if (preview.width * coverage < 0) throw new DefocusError('internal', 'impossible');
  const full = await photo.export({ strength: 60, format: 'jpeg', quality: 90, grain: true });
  await photo.close();
  await engine.dispose();
  return full.data;
}

export { portrait };
