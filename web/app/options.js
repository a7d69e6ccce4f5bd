// The page's controls -> the engine's render options. The focus point and the brush
// strokes are page state (set on the photo), the rest comes from the form; what the form
// does not set is the engine's default (defaults.js; tests/js/options-schema.test.mjs holds
// index.html's controls to the engine's ranges and defaults).
import { blurDefaults, renderDefaults } from '../lib/defaults.js';

// The engine's default gradient: near at the bottom of the frame, far at the top.
const { startX, startY, endX, endY } = renderDefaults.depth;
const gradient = { startX, startY, endX, endY };

/** Depth options for the picker's choice; `focus` is {x, y} in fractions or null (the subject). */
function depthFor(choice, focus) {
  const at = focus ? { focusX: focus.x, focusY: focus.y } : {};
  switch (choice) {
    case 'flat': return { mode: 'flat', ...at };
    case 'linear': return { mode: 'linear', ...gradient, ...at };
    case 'tilt': return { mode: 'linear', ...gradient, tiltShift: true, ...at };
    case 'radial': {
      const c = focus ?? { x: 0.5, y: 0.5 };  // the frame's centre
      // Near at the focus point, far at the farthest corner.
      return { mode: 'radial', startX: c.x, startY: c.y, endX: c.x < 0.5 ? 1 : 0, endY: c.y < 0.5 ? 1 : 0, ...at };
    }
    default: return { mode: 'auto', ...at };
  }
}

/** The background option for the picker's choice; `image` is the chosen file (a Blob) or null. */
function backgroundFor(form, image) {
  switch (form.elements.background.value) {
    case 'transparent': return { background: 'transparent' };
    case 'colour': return { background: form.elements['background-colour'].value };
    case 'image': return image ? { background: image, blurBackground: form.elements['blur-background'].checked } : {};
    default: return {};
  }
}

/** Render options from the form's current values. */
export function renderOptions(form, { focus = null, strokes = [], backgroundImage = null } = {}) {
  const value = (name) => form.elements[name].value;
  const number = (name) => Number(value(name));
  const style = value('style');
  const options = { style, strength: number('strength'), grain: form.elements.grain.checked, strokes };
  if (style === 'lens') Object.assign(options, { blades: number('blades'), rotation: number('rotation'), highlightBoost: number('highlightBoost') });
  if (style === 'motion') options.angle = number('angle');
  if (style === 'radial') Object.assign(options, { centerX: focus?.x ?? blurDefaults.centerX, centerY: focus?.y ?? blurDefaults.centerY });
  options.depth = { ...depthFor(value('depth'), focus), readFocus: form.elements['read-focus'].checked };
  return Object.assign(options, backgroundFor(form, backgroundImage));
}

/** Export format and quality from the form; a transparent background is never JPEG (no alpha). */
export function exportOptions(form) {
  const format = form.elements.format.value;
  const transparent = form.elements.background.value === 'transparent';
  return { format: transparent && format === 'jpeg' ? 'png' : format, quality: Number(form.elements.quality.value) };
}

/** Shows only the controls (and stage labels) that belong to the chosen style and view. */
export function showRelevantControls(form) {
  const style = form.elements.style.value;
  for (const el of form.querySelectorAll('[data-for-style]')) el.hidden = el.dataset.forStyle !== style;
  const background = form.elements.background.value;
  for (const el of form.querySelectorAll('[data-for-background]')) el.hidden = el.dataset.forBackground !== background;
  // A transparent preview shows a checkerboard where nothing is.
  form.ownerDocument.querySelector('#view')?.classList.toggle('see-through', background === 'transparent');
  const view = form.elements.view.value;
  for (const el of form.ownerDocument.querySelectorAll('[data-for-view]')) el.hidden = el.dataset.forView !== view;
}
