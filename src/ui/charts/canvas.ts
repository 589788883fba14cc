/** Canvas setup shared by the canvas layers. */

/**
 * The 2D context of `canvas`, drawn at `width` × `height` CSS pixels on a backing store of
 * devicePixelRatio times that, scaled so the caller draws in CSS pixels, and cleared. The
 * backing store is resized only when its size changes: a resize reallocates it.
 */
export function prepareCanvas(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D | null {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(width * dpr),
    h = Math.round(height * dpr);
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return ctx;
}
