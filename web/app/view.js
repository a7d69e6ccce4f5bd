// Draws the preview canvas: the rendered portrait, a before/after split, or the matte;
// plus the focus marker. Pixels arrive as RGBA arrays at preview size.
import { matteToImage, toImageData } from '../lib/encode.js';

export function createView(canvas) {
  const context = canvas.getContext('2d');
  let original = null;
  let rendered = null;
  let matte = null;

  function drawFocus(focus) {
    if (!focus) return;
    const x = focus.x * canvas.width;
    const y = focus.y * canvas.height;
    const r = Math.max(6, canvas.width / 80);
    context.lineWidth = Math.max(1.5, r / 4);
    for (const [colour, grow] of [['rgba(0,0,0,0.6)', 1], ['#fbbf24', 0]]) {
      context.strokeStyle = colour;
      context.beginPath();
      context.arc(x, y, r + grow, 0, 2 * Math.PI);
      context.stroke();
    }
  }

  return {
    /** A new photo: its preview pixels (shown until the first render arrives). */
    setPhoto(preview) {
      canvas.width = preview.width;
      canvas.height = preview.height;
      original = toImageData(preview);
      rendered = null;
      matte = null;
    },
    setRendered(pixels) { rendered = toImageData(pixels); },
    setMatte(values) { matte = toImageData(matteToImage(values, canvas.width, canvas.height)); },
    /** mode: 'result' | 'compare' | 'matte'; split 0..1 (compare: left of it is the photo);
     *  focus: the focus point in fractions of the photo, or null. */
    draw(mode, split = 0.5, focus = null) {
      if (!original) return;
      if (mode === 'matte' && matte) {
        context.putImageData(matte, 0, 0);
        return;
      }
      context.putImageData(rendered ?? original, 0, 0);
      if (mode === 'compare' && rendered) {
        const cut = Math.round(split * canvas.width);
        context.putImageData(original, 0, 0, 0, 0, cut, canvas.height);
        context.fillStyle = '#fbbf24';
        context.fillRect(cut - 1, 0, 2, canvas.height);
      }
      drawFocus(focus);
    },
    /** Canvas-relative position of a pointer event, in fractions of the photo. */
    pointAt(event) {
      const box = canvas.getBoundingClientRect();
      return {
        x: Math.min(1, Math.max(0, (event.clientX - box.left) / box.width)),
        y: Math.min(1, Math.max(0, (event.clientY - box.top) / box.height)),
      };
    },
  };
}
