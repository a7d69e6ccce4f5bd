// Compiled (not run) by types.test.mjs: uses every declared export the way an app would.
import { loadEngine, DefocusError, toBytes, type Engine, type OptionSpec, type BlurStyle, type ModelInputSpec, type InputPlacement, type RgbaImage } from '../../../web/lib/load-engine.js';
import createDefocusModule, { type DefocusModule } from '../../../web/wasm/defocus_engine.js';

async function use(): Promise<number> {
  const engine: Engine = await loadEngine({ baseUrl: '/wasm/' });
  const image = engine.decode(new Uint8Array(4), { maxPixels: 1e6 });
  const jpeg: Uint8Array = engine.encode(image, { format: 'jpeg', quality: 80 });
  const small = engine.resize(image, 10, 10);
  const blurred = engine.blur(small, { style: 'lens', strength: 40, blades: 6, highlightBoost: 4 });
  engine.blur(blurred, { style: 'motion', angle: 30 });
  const matte = { width: 10, height: 10, data: new Float32Array(100) };
  const portrait = engine.preparePortrait(small, matte, [{ restore: true, radius: 0.1, hardness: 0.5, points: [{ x: 0.5, y: 0.5 }] }]);
  portrait.render({ strength: 50, depth: { mode: 'auto', focusX: 0.5, focusY: 0.5 }, grain: true });
  portrait.dispose();
  const linear: Float32Array = engine.srgbToLinear(small.data);
  engine.linearToSrgb(linear);
  const raw: DefocusModule = await createDefocusModule({ wasmBinary: toBytes(jpeg) });
  const info = raw.probe(jpeg);
  if ('error' in info) throw new DefocusError(info.code, info.error);
  return info.width + image.orientation + engine.heapStats().heapSize;
}

export { use };

// The engine's own types re-exported by the loader: a schema row and a model-input round trip.
export function firstRangedOption(engine: Engine): string {
  const spec: OptionSpec | undefined = engine.optionSchema().find((s) => s.max !== undefined);
  const style: BlurStyle | undefined = spec?.style;
  return `${spec?.name ?? ''} ${style ?? ''}`;
}
export function modelInput(engine: Engine, image: RgbaImage): InputPlacement {
  const spec: ModelInputSpec = { width: 320, height: 320, channelsFirst: true, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], letterbox: false };
  return engine.prepareModelInput(image, spec).placement;
}
