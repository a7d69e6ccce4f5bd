// The progress shown over the photo while the engine works: what it is doing, in words,
// and one bar for the whole job (the module's `overall` fraction).
const labels = {
  'fetch model': 'Loading the engine and model…',
  decode: 'Reading the photo…',
  segment: 'Finding the subject…',
  render: 'Rendering the blur…',
  encode: 'Saving the file…',
};

export function createBusy(box, label, bar) {
  let active = false;
  return {
    /** Shows the box with `text` (until the engine reports a stage). */
    show(text) {
      active = true;
      box.hidden = false;
      label.textContent = text;
      bar.value = 0;
    },
    hide() {
      active = false;
      box.hidden = true;
    },
    /** The engine's onProgress: words for the stage, the overall fraction on the bar. */
    progress({ stage, overall }) {
      if (!active) return;
      label.textContent = labels[stage] ?? label.textContent;
      bar.value = overall;
    },
    get active() { return active; },
  };
}
