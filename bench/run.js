// `npm run bench [PHOTO]`: every benchmark table in one process.
//   BENCH_RUNS=N   best of N (default 3)
//   BENCH_ONLY=codecs|blur|segmentation|render|page|live|responsiveness|exceptions   one table
//   BENCH_NO_OPENCV=1   skip OpenCV.js (its large-sigma runs take tens of seconds)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadEngine } from '../web/lib/node.js';
import { benchCodecs } from './codecs.js';
import { benchBlur } from './blur.js';
import { benchSegmentation } from './segmentation.js';
import { benchRender } from './render.js';
import { benchPage } from './page.js';
import { benchLive } from './live.js';
import { benchResponsiveness } from './responsiveness.js';
import { benchExceptions } from './exceptions.js';
import { resizeTo } from './enlarge.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const photoPath = process.argv[2] ?? `${root}../shared/testdata/photos/dandelions_backlit.jpg`;
const runs = Number(process.env.BENCH_RUNS ?? 3);
const only = process.env.BENCH_ONLY;
const nativeBench = `${root}build/native/bench/engine_bench`;

const engine = await loadEngine();
const bytes = new Uint8Array(readFileSync(photoPath));
const image = engine.decode(bytes);
console.log(`photo: ${photoPath.split('/').pop()} ${image.width}x${image.height}\n`);

if (!only || only === 'codecs') benchCodecs({ engine, bytes, image, nativeBench, photoPath, runs });
// 12 MP at the photo's aspect ratio.
const image12 = resizeTo(engine, image, 12);
if (!only || only === 'blur') {
  await benchBlur({ engine, image: image12, nativeBench, photoPath, runs, skipOpenCv: Boolean(process.env.BENCH_NO_OPENCV) });
}
if (!only || only === 'segmentation') benchSegmentation({ engine, image: image12, runs });
if (!only || only === 'render') benchRender({ engine, image: image12, runs });
if (!only || only === 'page') await benchPage({ engine, image: image12, runs });
if (!only || only === 'live') await benchLive({ runs });
if (!only || only === 'responsiveness') await benchResponsiveness({ runs });
if (!only || only === 'exceptions') await benchExceptions({ engine, image, runs });
