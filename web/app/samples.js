// The sample strip: photos to try without uploading anything, each with its "before" and
// the "after" the build rendered (web/samples/). Picking one shows that comparison at once;
// the page then opens the photo for real.
import { samples } from '../samples/samples.js';

const folder = new URL('../samples/', import.meta.url);

/** RGBA pixels of an image file at `url` ({width, height, data}), decoded by the browser. */
async function pixelsAt(url) {
  const bitmap = await createImageBitmap(await (await fetch(url)).blob());
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d');
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
  return { width: canvas.width, height: canvas.height, data: new Uint8Array(data.buffer) };
}

/** {before, after} pixels of a sample, and its photo as a File for the engine. */
export async function loadSample(sample) {
  const [before, after, blob] = await Promise.all([
    pixelsAt(new URL(sample.file, folder)),
    pixelsAt(new URL(`after/${sample.file}`, folder)),
    fetch(new URL(sample.file, folder)).then((r) => r.blob()),
  ]);
  return { before, after, file: new File([blob], sample.file, { type: blob.type || 'image/jpeg' }) };
}

/** Fills `list` with one button per sample; onPick(sample) when one is chosen. */
export function renderSamples(list, onPick) {
  const buttons = samples.map((sample) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'sample';
    button.setAttribute('aria-pressed', 'false');
    const img = Object.assign(document.createElement('img'), { src: new URL(sample.file, folder).href, alt: '', decoding: 'async' });
    button.title = sample.title;
    button.append(img, sample.label);
    button.addEventListener('click', () => onPick(sample));
    list.append(button);
    return button;
  });
  return {
    /** Marks the sample on show (null: a photo of the user's). */
    mark(sample) {
      buttons.forEach((button, i) => button.setAttribute('aria-pressed', String(samples[i] === sample)));
    },
  };
}

/** "Sample photos: title (credit); ..." for the footer. */
export const creditsLine = `Sample photos: ${samples.map((s) => `${s.title} (${s.credit})`).join('; ')}.`;
export { samples };
