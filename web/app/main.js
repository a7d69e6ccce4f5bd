// The page: open / drop / paste photos, tune the portrait on a screen-size preview that
// re-renders on every change (segmentation runs once per photo), export at full size,
// batch many files into a zip. The engine and the model run in a Web Worker.
import { createDefocus } from '../lib/defocus.js';
import { runBatch } from './batch.js';
import { createBrush } from './brush.js';
import { download, outputName } from './download.js';
import { exportOptions, renderOptions, showRelevantControls } from './options.js';
import { registerServiceWorker } from './pwa.js';
import { createView } from './view.js';
import { startLive } from './live.js';

const $ = (id) => document.getElementById(id);
const form = $('controls');
const canvas = $('view');
const view = createView(canvas);

// What the tests and curious users can read: the latest render latency and state.
const state = { photo: null, file: null, focus: null, strokes: [], queue: [], lastRenderMs: null, renders: 0 };
window.defocusPage = state;

function say(text, kind = 'info') {
  $('status').textContent = text;
  $('status').classList.toggle('error', kind === 'error');
}

// The bar is shown by whoever starts a long job (open, export) and hidden when it ends.
function showProgress({ stage, fraction }) {
  $('progress').value = fraction;
  $('progress').title = stage;
}

const isolationNote = crossOriginIsolated ? '' : ' Threads are unavailable here (no cross-origin isolation): the model runs on one thread.';
const enginePromise = createDefocus({ model: 'subject', onProgress: showProgress }).then(
  (engine) => {
    $('progress').hidden = true;
    say(`Ready (${engine.threads} thread${engine.threads > 1 ? 's' : ''}). Open a photo.${isolationNote}`);
    return engine;
  },
  (err) => {
    say(`The engine failed to load: ${err.message}`, 'error');
    throw err;
  },
);

// The matte view shows the preview's matte with the strokes so far: it changes only when
// they do (strokes are replaced, never changed in place), not on every render.
let matteStrokes = null;  // the strokes the view's matte was made with
async function syncMatte() {
  if (!state.photo || form.elements.view.value !== 'matte' || matteStrokes === state.strokes) return;
  matteStrokes = state.strokes;
  view.setMatte(await state.photo.previewMatteWith(state.strokes));
}

// A view change needs no new render, only the matte when that is what is shown.
async function showView() {
  await syncMatte();
  draw();
}

// Renders are coalesced: while one is running, later changes only mark the preview stale.
let rendering = false;
let stale = false;
async function rerender() {
  if (!state.photo) return;
  if (rendering) {
    stale = true;
    return;
  }
  rendering = true;
  const asked = performance.now();
  try {
    const out = await state.photo.render(renderOptions(form, state));
    state.lastRenderMs = performance.now() - asked;
    state.renders++;
    view.setRendered(out);
    await syncMatte();
    draw();
    $('caption').textContent = `${state.photo.width} × ${state.photo.height}, preview ${out.width} × ${out.height}, ` +
      `rendered in ${state.lastRenderMs.toFixed(0)} ms`;
  } catch (err) {
    say(`Rendering failed: ${err.message}`, 'error');
  } finally {
    rendering = false;
    if (stale) {
      stale = false;
      rerender();
    }
  }
}

function draw() {
  view.draw(form.elements.view.value, Number($('split').value) / 100, state.focus);
}

async function openPhoto(file) {
  const engine = await enginePromise;
  say(`Finding the subject in ${file.name || 'the pasted photo'}…`);
  $('progress').hidden = false;
  const started = performance.now();
  let photo;
  try {
    photo = await engine.open(file, { previewSize: previewSize() });
  } catch (err) {
    $('progress').hidden = true;
    say(`${file.name || 'This file'}: ${err.message}`, 'error');
    return;
  }
  $('progress').hidden = true;
  await state.photo?.close();
  Object.assign(state, { photo, file, focus: null, strokes: [] });
  $('undo').disabled = true;
  $('workspace').hidden = false;
  view.setPhoto(photo.preview);
  view.setMatte(photo.previewMatte);
  matteStrokes = state.strokes;
  draw();
  say(`${file.name || 'Photo'}: subject found in ${((performance.now() - started) / 1000).toFixed(1)} s ` +
    `(${Math.round(photo.coverage * 100)}% of the photo). Move the slider; click the photo to focus.`);
  await rerender();
}

// Preview as large as the canvas can show it, in device pixels.
function previewSize() {
  const cssWidth = Math.min(document.documentElement.clientWidth, 1400);
  return Math.round(Math.min(1600, Math.max(480, cssWidth * (devicePixelRatio || 1))));
}

function takeFiles(files) {
  const images = [...files];
  if (!images.length) return;
  stopLive();
  if (images.length > 1) {
    state.queue = images;
    $('batch').hidden = false;
    $('batch-summary').textContent = `${images.length} files queued. Tune the first one, then process all with the same settings.`;
    $('batch-errors').replaceChildren();
    $('batch-download').hidden = true;
  }
  openPhoto(images[0]);
}

// Opening photos: file picker, drop, paste, and Enter/Space on the drop zone.
const input = $('file');
input.addEventListener('change', () => takeFiles(input.files));
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
  takeFiles(e.dataTransfer.files);
});
document.addEventListener('paste', (e) => {
  const files = [...e.clipboardData.files].filter((f) => f.type.startsWith('image/'));
  if (files.length) takeFiles(files);
});

// Controls: any change re-renders the preview (or changes the live camera's rendering).
form.addEventListener('input', (e) => {
  $('strength-value').value = form.elements.strength.value;
  showRelevantControls(form);
  if (state.live) return state.live.setOptions(renderOptions(form));
  if (e.target.id === 'split') return draw();
  if (e.target.name === 'view') return showView();
  if (['format', 'quality', 'brush-size', 'brush-hardness'].includes(e.target.id) || e.target.name === 'brush') return;
  rerender();
});
form.addEventListener('submit', (e) => e.preventDefault());
for (const button of form.querySelectorAll('[data-strength]')) {
  button.addEventListener('click', () => {
    form.elements.strength.value = button.dataset.strength;
    form.dispatchEvent(new Event('input'));
  });
}
$('focus-subject').addEventListener('click', () => {
  state.focus = null;
  rerender();
});

// Click (or arrow keys + Enter) picks the focal plane; not while brushing.
const brush = createBrush(canvas, view, {
  mode: () => form.elements.brush.value,
  size: () => Number($('brush-size').value) / 100,
  hardness: () => Number($('brush-hardness').value) / 100,
  onStroke(stroke) {
    state.strokes = [...state.strokes, stroke];
    $('undo').disabled = false;
    rerender();
  },
});
canvas.addEventListener('click', (e) => {
  if (brush.active() || !state.photo) return;
  state.focus = view.pointAt(e);
  rerender();
});
canvas.addEventListener('keydown', (e) => {
  const steps = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  if (!state.photo || !(e.key in steps || e.key === 'Enter')) return;
  e.preventDefault();
  state.focus ??= { x: 0.5, y: 0.5 };
  if (e.key in steps) {
    const [dx, dy] = steps[e.key];
    state.focus = { x: Math.min(1, Math.max(0, state.focus.x + dx * 0.05)), y: Math.min(1, Math.max(0, state.focus.y + dy * 0.05)) };
    draw();
  } else {
    rerender();
  }
});
$('undo').addEventListener('click', () => {
  state.strokes = state.strokes.slice(0, -1);
  $('undo').disabled = state.strokes.length === 0;
  rerender();
});

// Export at full resolution with the preview's settings.
async function exportWith(what) {
  if (!state.photo) return;
  const { format, quality } = exportOptions(form);
  const isMatte = what === 'matte';
  const fileFormat = isMatte && format === 'jpeg' ? 'png' : format;  // a matte is kept lossless
  say(`Rendering ${state.photo.width} × ${state.photo.height} ${what}…`);
  $('progress').hidden = false;
  try {
    const started = performance.now();
    const blob = isMatte
      ? await state.photo.exportMatte({ format: fileFormat, strokes: state.strokes })
      : (await state.photo.export({ ...renderOptions(form, state), format, quality })).data;
    const name = outputName(state.file.name, fileFormat, isMatte ? 'matte' : 'defocus');
    download(blob, name);
    say(`Saved ${name} (${(blob.size / 1e6).toFixed(1)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  } catch (err) {
    say(`Export failed: ${err.message}`, 'error');
  } finally {
    $('progress').hidden = true;
  }
}
$('export').addEventListener('click', () => exportWith('portrait'));
$('export-matte').addEventListener('click', () => exportWith('matte'));

// Batch: the queued files, the current settings (without this photo's focus and strokes).
let batchAbort = null;
$('batch-run').addEventListener('click', async () => {
  const engine = await enginePromise;
  const bar = $('batch-progress');
  const errors = $('batch-errors');
  errors.replaceChildren();
  bar.hidden = false;
  bar.value = 0;
  $('batch-run').disabled = true;
  $('batch-cancel').hidden = false;
  $('batch-download').hidden = true;
  batchAbort = new AbortController();
  const options = { ...renderOptions(form), ...exportOptions(form) };
  try {
    const result = await runBatch(engine, state.queue, options, {
      signal: batchAbort.signal,
      onFile(done, total, failed) {
        bar.value = done / total;
        $('batch-summary').textContent = `${done} of ${total} processed${failed.length ? `, ${failed.length} failed` : ''}.`;
        errors.replaceChildren(...failed.map((f) => Object.assign(document.createElement('li'), { textContent: `${f.name}: ${f.reason}` })));
      },
    });
    const link = $('batch-download');
    link.href = URL.createObjectURL(result.blob);
    link.download = 'defocus-batch.zip';
    link.hidden = false;
    link.textContent = `Download zip (${result.done} photos, ${(result.blob.size / 1e6).toFixed(1)} MB)`;
    $('batch-summary').textContent = `Done: ${result.done} of ${state.queue.length} photos` +
      (result.failed.length ? `; ${result.failed.length} could not be processed (listed below and in errors.txt).` : '.');
  } catch (err) {
    $('batch-summary').textContent = err.name === 'AbortError' ? 'Batch cancelled.' : `Batch failed: ${err.message}`;
  } finally {
    $('batch-run').disabled = false;
    $('batch-cancel').hidden = true;
  }
});
$('batch-cancel').addEventListener('click', () => batchAbort?.abort());

// Live camera: the same style and strength controls (depth is flat there); focus, brush
// and export are for photos.
function showLive(on) {
  $('live-stage').hidden = !on;
  $('photo-stage').hidden = on;
  form.classList.toggle('live-mode', on);
  $('live-toggle').setAttribute('aria-pressed', String(on));
  $('live-toggle').textContent = on ? 'Stop live camera' : 'Live camera';
  if (on) $('workspace').hidden = false;
  else $('workspace').hidden = !state.photo;
}
async function stopLive() {
  const live = state.live;
  if (!live) return;
  state.live = null;
  showLive(false);
  await live.stop();
  say('Camera stopped.');
}
$('live-toggle').addEventListener('click', async () => {
  if (state.live) return stopLive();
  showLive(true);
  say('Starting the camera…');
  try {
    state.live = await startLive({
      canvasSlot: $('live-view'),
      options: renderOptions(form),
      onStats(stats) {
        state.liveStats = stats;
        if (stats.error) return say(`Live camera stopped: ${stats.error}`, 'error');
        const t = stats.timings;
        $('live-caption').textContent = `${stats.width} × ${stats.height} at ${stats.fps.toFixed(1)} fps; per frame ` +
          `${t.total.toFixed(0)} ms (segment ${t.segment.toFixed(0)}, refine ${t.refine.toFixed(0)}, render ${t.render.toFixed(0)})`;
      },
    });
    say(`Live camera on (${state.live.model} model). Nothing leaves this device.`);
  } catch (err) {
    showLive(false);
    say(`The camera could not start: ${err.message}`, 'error');
  }
});
$('live-stop').addEventListener('click', stopLive);
$('live-snapshot').addEventListener('click', async () => {
  if (!state.live) return;
  try {
    const { format, quality } = exportOptions(form);
    const shot = await state.live.snapshot({ format, quality });
    download(shot.data, outputName(`camera-${new Date().toISOString().replace(/[:.]/g, '-')}`, format));
    say(`Snapshot saved (${shot.width} × ${shot.height}).`);
  } catch (err) {
    say(`Snapshot failed: ${err.message}`, 'error');
  }
});
// Leaving the page releases the camera.
addEventListener('pagehide', () => stopLive());

showRelevantControls(form);
registerServiceWorker({ canReload: () => !state.photo }).catch((err) => console.warn(`offline support unavailable: ${err.message}`));
