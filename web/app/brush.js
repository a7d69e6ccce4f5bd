// The refine brush on the preview canvas: a drag becomes one stroke {restore, radius,
// hardness, points} in fractions of the photo, so it applies at any resolution.
export function createBrush(canvas, view, { mode, size, hardness, onStroke }) {
  let points = null;
  const active = () => mode() !== 'off';

  canvas.addEventListener('pointerdown', (event) => {
    if (!active()) return;
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    points = [view.pointAt(event)];
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!points) return;
    const p = view.pointAt(event);
    const q = points.at(-1);
    if (Math.hypot(p.x - q.x, p.y - q.y) > 0.004) points.push(p);  // thin the path; the engine interpolates
  });
  const finish = () => {
    if (!points) return;
    onStroke({ restore: mode() === 'restore', radius: size(), hardness: hardness(), points });
    points = null;
  };
  canvas.addEventListener('pointerup', finish);
  canvas.addEventListener('pointercancel', () => { points = null; });
  return { active };
}
