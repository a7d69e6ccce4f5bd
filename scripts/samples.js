// Renders the "after" image of each sample photo into web/samples/after/ with the page's
// starting look (web/samples/samples.js), so the page opens on a before/after comparison
// before its engine has even loaded. Redone only when a sample, the engine, the module, the
// models or the look changed (one pass: 5-11 s a photo with the subject model on this
// shared 2-core machine).
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createDefocus } from '../web/lib/node.js';
import { sampleLook, samples } from '../web/samples/samples.js';

const web = new URL('../web/', import.meta.url);
const after = new URL('samples/after/', web);
const module = readdirSync(new URL('lib/', web)).filter((f) => f.endsWith('.js')).map((f) => `lib/${f}`);
const inputs = ['wasm/defocus_engine.wasm', 'models/models.json', 'samples/samples.js', ...module].map((p) => new URL(p, web));
const mtime = (url) => statSync(url).mtimeMs;

const stale = samples.filter(({ file }) => {
  const out = new URL(file, after);
  if (!existsSync(out)) return true;
  return [new URL(`samples/${file}`, web), ...inputs].some((input) => mtime(input) > mtime(out));
});
if (stale.length) {
  mkdirSync(after, { recursive: true });
  const defocus = await createDefocus();
  for (const { file } of stale) {
    const t = performance.now();
    const result = await defocus.blur(readFileSync(new URL(`samples/${file}`, web)), { ...sampleLook, format: 'jpeg', quality: 85 });
    writeFileSync(new URL(file, after), result.data);
    console.log(`samples/after/${file}: ${result.width} x ${result.height} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  await defocus.dispose();
}
console.log(`samples: ${samples.length} (${stale.length} rendered)`);
