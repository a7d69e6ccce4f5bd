// Compiled (not run) by types.test.mjs here and by the tarball test in a fresh install: the
// browser API as a bundled app uses it (moduleResolution "bundler": the "default" export
// condition). The @ts-expect-error lines fail the build when the types get looser.
import { createDefocus, DefocusError, loadEngine, renderDefaults, type LiveStats, type Photo, type Progress } from 'defocus';

export async function portrait(file: File, img: HTMLImageElement, bar: HTMLProgressElement, signal: AbortSignal): Promise<void> {
  const defocus = await createDefocus({ model: 'auto', onProgress: ({ overall }: Progress) => { bar.value = overall; } });
  try {
    const result = await defocus.blur(file, { strength: 40, style: 'lens', format: 'jpeg', quality: 90, signal });
    img.src = URL.createObjectURL(result.data);  // a Blob in browsers
    // @ts-expect-error browser results are Blobs, not bytes
    const bytes: Uint8Array = result.data;
    void bytes;
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') return;
    if (err instanceof DefocusError && err.code === 'file_missing') throw new Error(err.message);
    throw err;
  }
  // @ts-expect-error not a model id
  await createDefocus({ model: 'portrait-square' });
  await createDefocus({ model: { id: 'mine', file: 'mine.onnx', url: '/models/mine.onnx',
    input: { shape: [1, 3, 256, 256], layout: 'NCHW', normalization: { range: [0, 1] } },
    output: { shape: [1, 1, 256, 256], layout: 'NCHW' } } });

  const photo: Photo<Blob> = await defocus.open(file, { previewSize: 1024, signal });
  const preview = await photo.render({ ...renderDefaults, strength: 60, depth: { mode: 'auto', focusX: 0.4, focusY: 0.5 } });
  const matte: Float32Array = await photo.previewMatteWith([{ restore: false, radius: 0.02, hardness: 0.5, points: [{ x: 0.5, y: 0.5 }] }]);
  const full = await photo.export({ strength: 60, format: 'webp', quality: 85, grain: true, signal });
  const blob: Blob = full.data;
  const matteFile: Blob = await photo.exportMatte({ format: 'png' });
  await photo.close();
  const image = { width: preview.width, height: preview.height, data: preview.data };
  // @ts-expect-error render returns a promise everywhere
  const rendered: { width: number } = defocus.render(image, { width: image.width, height: image.height, data: matte });
  void rendered;
  await defocus.render(image, { width: image.width, height: image.height, data: matte }, { strength: 20 });

  const canvas = document.createElement('canvas').transferControlToOffscreen();
  const live = await defocus.startLive({ canvas, options: { strength: 30 }, onStats: (stats: LiveStats) => console.log(stats.fps) });
  await live.setOptions({ style: 'gaussian' });
  const shot = await live.snapshot({ format: 'jpeg' });
  await live.stop();
  console.log(blob.size + matteFile.size + shot.data.size + defocus.threads);
  await defocus.dispose();

  // In the calling thread: the engine itself and a live pipeline are there.
  const here = await createDefocus({ worker: false, baseUrl: '/static/defocus' });
  const engine = here.engine;
  const decoded = engine.decode(new Uint8Array(await file.arrayBuffer()));
  const pipeline = here.createLive({ workingSize: 192 });
  const frame = await pipeline.process(decoded, { strength: 30 });
  console.log(frame.timings.segment, (await loadEngine()).heapStats().heapSize);
  await here.dispose();
}
