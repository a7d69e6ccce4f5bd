// The page at this stage: open, drop or paste a photo; the engine decodes it and the
// page shows the pixels and their size, proving the WASM module loads and works.
import { loadEngine } from './lib/load-engine.js';

const $ = (id) => document.getElementById(id);
const status = $('status');

function say(text, isError = false) {
  status.textContent = text;
  status.classList.toggle('error', isError);
}

const enginePromise = loadEngine().then(
  (engine) => {
    say(`Engine ready${crossOriginIsolated ? '' : ' (not cross-origin isolated: threads unavailable)'}. Open a photo.`);
    return engine;
  },
  (err) => {
    say(`The engine failed to load: ${err.message}`, true);
    throw err;
  },
);

async function show(file) {
  const engine = await enginePromise;
  say(`Decoding ${file.name || 'pasted image'}…`);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const started = performance.now();
  let image;
  try {
    image = engine.decode(bytes);
  } catch (err) {
    say(`${file.name || 'This file'}: ${err.message}`, true);
    return;
  }
  const ms = performance.now() - started;
  const canvas = $('preview');
  canvas.width = image.width;
  canvas.height = image.height;
  const pixels = new ImageData(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length),
    image.width, image.height);
  canvas.getContext('2d').putImageData(pixels, 0, 0);
  const turned = image.orientation !== 1 ? `, EXIF orientation ${image.orientation} applied` : '';
  $('caption').textContent = `${image.width} × ${image.height} ${image.format}${turned}`;
  say(`Decoded by the engine in ${ms.toFixed(0)} ms.`);
}

const input = $('file');
input.addEventListener('change', () => input.files[0] && show(input.files[0]));

const drop = $('drop');
drop.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    input.click();
  }
});
for (const type of ['dragenter', 'dragover']) {
  drop.addEventListener(type, (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
}
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const file = e.dataTransfer.files[0];
  if (file) show(file);
});
document.addEventListener('paste', (e) => {
  const file = [...e.clipboardData.files].find((f) => f.type.startsWith('image/'));
  if (file) show(file);
});
