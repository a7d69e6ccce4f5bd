// Draws the preview canvas: the rendered portrait, a before/after split, or the matte;
// plus the focus marker. Pixels arrive as RGBA arrays at preview size. The canvas is sized
// on screen to fit its frame (small photos are enlarged up to 2x), so its box is the photo.
import { matteToImage, toImageData } from '../lib/encode.js';

export function createView(canvas) {
  const context = canvas.getContext('2d');
  let original = null;
  let rendered = null;
  let matte = null;

  // Fits the photo in the frame: as wide as the frame allows, at most 72% of the window high
  // (62% on narrow screens). The column learns the width (--photo-width) for what sits under it.
  const frame = canvas.closest('.frame') ?? canvas.parentElement;
  function fit() {
    if (!original) return;
    const maxWidth = frame.clientWidth;
    const maxHeight = Math.max(240, Math.min(window.innerHeight * (window.innerWidth < 900 ? 0.62 : 0.72), 52 * 16));
    const scale = Math.min(maxWidth / canvas.width, maxHeight / canvas.height, 2 * (window.devicePixelRatio || 1));
    canvas.style.width = `${Math.floor(canvas.width * scale)}px`;
    canvas.style.height = `${Math.floor(canvas.height * scale)}px`;
    (canvas.closest('.stage-column') ?? frame).style.setProperty('--photo-width', canvas.style.width);
  }
  new ResizeObserver(fit).observe(frame);

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

  // The compare line and its handle (a circle with two arrows), sized for the screen.
  function drawSplitHandle(cut) {
    const px = canvas.width / canvas.getBoundingClientRect().width || 1;  // canvas pixels per CSS pixel
    context.fillStyle = 'rgba(255,255,255,0.92)';
    context.fillRect(cut - px, 0, 2 * px, canvas.height);
    const r = 18 * px;
    const y = canvas.height / 2;
    context.beginPath();
    context.arc(cut, y, r, 0, 2 * Math.PI);
    context.fillStyle = 'rgba(255,255,255,0.95)';
    context.shadowColor = 'rgba(0,0,0,0.35)';
    context.shadowBlur = 6 * px;
    context.fill();
    context.shadowBlur = 0;
    context.fillStyle = '#1d1c1a';
    for (const side of [-1, 1]) {
      context.beginPath();
      context.moveTo(cut + side * 11 * px, y);
      context.lineTo(cut + side * 4 * px, y - 6 * px);
      context.lineTo(cut + side * 4 * px, y + 6 * px);
      context.fill();
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
      fit();
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
        drawSplitHandle(cut);
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
    /** Whether a pointer event is on the compare line at `split` (within a finger's width). */
    onSplit(event, split) {
      const box = canvas.getBoundingClientRect();
      return Math.abs(event.clientX - (box.left + split * box.width)) <= 22;
    },
  };
}
