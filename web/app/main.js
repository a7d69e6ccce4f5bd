// The page: open / drop / paste photos (or pick a sample), tune the portrait on a
// screen-size preview that re-renders on every change (segmentation runs once per photo),
// export at full size, batch many files into a zip. The engine and the model run in a Web
// Worker. Before any photo is open the stage shows a sample's before/after, rendered at
// build time, so the page shows what it does before its engine has even loaded.
import { apertureForStrength, formatAperture } from '../lib/aperture.js';
import { createDefocus } from '../lib/defocus.js';
import { describeSubject } from '../lib/subject-words.js';
import { runBatch } from './batch.js';
import { createBrush } from './brush.js';
import { createBusy } from './busy.js';
import { download, outputName } from './download.js';
import { exportOptions, renderOptions, showRelevantControls } from './options.js';
import { registerServiceWorker } from './pwa.js';
import { creditsLine, loadSample, renderSamples, samples } from './samples.js';
import { sampleLook } from '../samples/samples.js';
import { createView } from './view.js';
import { startLive } from './live.js';

const $ = (id) => document.getElementById(id);
const form = $('controls');
const canvas = $('view');
const view = createView(canvas);
const busy = createBusy($('busy'), $('busy-label'), $('progress'));

// What the tests and curious users can read: the latest render latency and state.
// sample: the sample on show while no photo is open (its before/after from the build).
const state = { photo: null, file: null, focus: null, strokes: [], backgroundImage: null, queue: [], lastRenderMs: null, renders: 0, sample: null };
window.defocusPage = state;

function say(text, kind = 'info') {
  $('status').textContent = text;
  $('status').classList.toggle('error', kind === 'error');
}

// The page starts with the look the samples' "after" images were rendered with.
for (const [name, value] of Object.entries(sampleLook)) form.elements[name].value = String(value);

const isolationNote = crossOriginIsolated ? '' : ' Threads are unavailable here (no cross-origin isolation): the model and the full-size render run on one thread.';
const threadCount = (n) => `${n} thread${n > 1 ? 's' : ''}`;
const enginePromise = createDefocus({ model: 'auto', onProgress: (p) => busy.progress(p) }).then(
  (engine) => {
    say(`Ready (model on ${threadCount(engine.threads)}, full-size render on ${threadCount(engine.renderThreads)}). ` +
      `Open a photo or pick a sample.${isolationNote}`);
    return engine;
  },
  (err) => {
    busy.hide();
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

const exportButtons = [$('export'), $('export-matte')];
function enableExport(on) {
  for (const button of exportButtons) {
    button.disabled = !on;
    button.title = on ? '' : 'Open a photo or pick a sample first';
  }
}

// A sample's before/after from the build, shown at once (no engine needed), unless a photo
// of the user's is open or opening by then.
const sampleStrip = renderSamples($('sample-list'), (sample) => openSample(sample));
async function showSample(sample) {
  const ticket = opening;
  const { before, after, file } = await loadSample(sample);
  if (state.photo || opening !== ticket) return file;
  state.sample = sample;
  sampleStrip.mark(sample);
  view.setPhoto(before);
  view.setRendered(after);
  draw();
  $('caption').textContent = `Sample: ${sample.title} (${sample.credit}). Drag the line to compare.`;
  return file;
}

// Opens a sample for real: its comparison stays on show while the engine works.
async function openSample(sample) {
  if (state.photo) {
    await state.photo.close();
    state.photo = null;
  }
  const file = await showSample(sample);
  sampleStrip.mark(sample);
  await openPhoto(file, sample);
}

// The user's photo on the stage at once, decoded by the browser at preview size, while the
// engine decodes and segments it in the worker (a file the browser cannot read waits).
async function showInstantly(file, ticket) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return;
  }
  const scale = Math.min(1, previewSize() / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const context = new OffscreenCanvas(width, height).getContext('2d');
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  if (ticket !== opening) return;
  view.setPhoto({ width, height, data: new Uint8Array(context.getImageData(0, 0, width, height).data.buffer) });
  draw();
  $('caption').textContent = '';
}

let opening = 0;  // the latest openPhoto call; an older one that finishes late is dropped
async function openPhoto(file, sample = null) {
  const ticket = ++opening;
  const name = sample?.title ?? (file.name || 'the pasted photo');
  busy.show(`Finding the subject in ${name}…`);
  say(`Finding the subject in ${name}…`);
  enableExport(false);
  if (!sample) showInstantly(file, ticket);
  const started = performance.now();
  let photo;
  try {
    const engine = await enginePromise;
    photo = await engine.open(file, { previewSize: previewSize() });
  } catch (err) {
    if (ticket === opening) {
      busy.hide();
      say(`${file.name || 'This file'}: ${err.message}`, 'error');
      restoreStage();
    }
    return;
  }
  if (ticket !== opening) return photo.close();
  await state.photo?.close();
  Object.assign(state, { photo, file, focus: null, strokes: [], sample });
  if (!sample) sampleStrip.mark(null);
  $('undo').disabled = true;
  view.setPhoto(photo.preview);
  view.setMatte(photo.previewMatte);
  matteStrokes = state.strokes;
  draw();
  $('busy-label').textContent = 'Rendering the blur…';
  document.body.classList.add('editing');
  say(`${sample ? sample.title : file.name || 'Photo'}: ${describeSubject(photo.subject)} in ` +
    `${((performance.now() - started) / 1000).toFixed(1)} s (${Math.round(photo.coverage * 100)}% of the photo).`);
  await rerender();
  busy.hide();
  enableExport(true);
}

// After a photo failed to open: back to what was on show (the open photo, or the sample).
function restoreStage() {
  enableExport(Boolean(state.photo));
  if (state.photo) {
    view.setPhoto(state.photo.preview);
    rerender();
  } else if (state.sample) {
    showSample(state.sample);
  }
}

// Preview as large as the stage can show it, in device pixels.
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

// Opening photos: file picker, drop anywhere on the page, paste, and Enter/Space on the button.
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
  document.addEventListener(type, (e) => {
    if (![...(e.dataTransfer?.types ?? [])].includes('Files')) return;
    e.preventDefault();
    drop.classList.add('over');
  });
}
document.addEventListener('dragleave', (e) => { if (!e.relatedTarget) drop.classList.remove('over'); });
document.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  takeFiles(e.dataTransfer.files);
});
document.addEventListener('paste', (e) => {
  const files = [...e.clipboardData.files].filter((f) => f.type.startsWith('image/'));
  if (files.length) takeFiles(files);
});

// Controls: any change re-renders the preview (or changes the live camera's rendering).
// While only a sample's comparison is on show, the first change opens that sample for real.
// The number and the f-number of a real 85 mm lens with the same background blur.
function showStrength() {
  const strength = Number(form.elements.strength.value);
  $('strength-value').value = String(strength);
  const f = apertureForStrength(strength);
  $('strength-aperture').textContent = `${f >= 1.45 ? '~ ' : ''}${formatAperture(f)}`;
}
function markPreset() {
  for (const button of form.querySelectorAll('[data-strength]')) {
    button.classList.toggle('active', button.dataset.strength === form.elements.strength.value);
  }
}
// The view switch and the split slider sit on the stage (form="controls"): events are taken
// from the document for every control of the form.
document.addEventListener('input', (e) => {
  if (e.target.form !== form) return;
  if (e.target.id === 'background-image') {  // a new background image: kept as the file, decoded by the engine once
    const [file] = e.target.files;
    if (!file) return;
    state.backgroundImage = file;
    $('background-image-name').textContent = file.name;
  }
  showStrength();
  markPreset();
  showRelevantControls(form);
  if (state.live) return state.live.setOptions(renderOptions(form));
  if (e.target.id === 'split') return draw();
  if (e.target.name === 'view') return showView();
  if (['format', 'quality', 'brush-size', 'brush-hardness'].includes(e.target.id) || e.target.name === 'brush') return;
  if (!state.photo && state.sample && !busy.active) return openSample(state.sample);
  rerender();
});
form.addEventListener('submit', (e) => e.preventDefault());
for (const button of form.querySelectorAll('[data-strength]')) {
  button.addEventListener('click', () => {
    form.elements.strength.value = button.dataset.strength;
    form.elements.strength.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
$('focus-subject').addEventListener('click', () => {
  state.focus = null;
  rerender();
});

// On the compare line, a drag moves the line; elsewhere a click (or arrow keys + Enter)
// picks the focal plane, and with the brush on, a drag paints.
let draggingSplit = false;
let splitDragged = false;
canvas.addEventListener('pointerdown', (e) => {
  if (form.elements.view.value !== 'compare' || brush.active() || !view.onSplit(e, Number($('split').value) / 100)) return;
  draggingSplit = true;
  splitDragged = false;
  canvas.setPointerCapture(e.pointerId);
});
canvas.addEventListener('pointermove', (e) => {
  if (!draggingSplit) return;
  splitDragged = true;
  $('split').value = String(Math.round(view.pointAt(e).x * 100));
  draw();
});
canvas.addEventListener('pointerup', () => { draggingSplit = false; });
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
  if (splitDragged) {
    splitDragged = false;
    return;
  }
  if (brush.active()) return;
  if (!state.photo) {
    if (state.sample && !busy.active) openSample(state.sample);
    return;
  }
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
  busy.show(isMatte ? 'Saving the matte…' : 'Rendering the full size…');
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
    busy.hide();
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
  const options = { ...renderOptions(form, { backgroundImage: state.backgroundImage }), ...exportOptions(form) };
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
  document.querySelector('.stage-column').classList.toggle('live', on);
  document.body.classList.toggle('editing', on || Boolean(state.photo));
  document.querySelector('.stage-toolbar').hidden = on;
  $('live-toggle').setAttribute('aria-pressed', String(on));
  $('live-toggle').querySelector('span').textContent = on ? 'Stop live camera' : 'Live camera';
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

$('credits').textContent = creditsLine;
showStrength();
markPreset();
showRelevantControls(form);
enableExport(false);
showSample(samples[0]).catch((err) => console.warn(`sample unavailable: ${err.message}`));
registerServiceWorker({ canReload: () => !state.photo }).catch((err) => console.warn(`offline support unavailable: ${err.message}`));
