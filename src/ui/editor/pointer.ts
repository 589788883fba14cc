/** Pointer plumbing shared by the 1D and 2D editors (mouse, pen and touch alike). */

/** Route the rest of this pointer's events to the element that got pointerdown. */
export function capture(e: PointerEvent): void {
  const el = e.currentTarget;
  if (el instanceof Element) el.setPointerCapture(e.pointerId);
}

/** The event's position in the SVG's pixel frame (the SVG is drawn at 1:1, no viewBox). */
export function svgPoint(e: PointerEvent, svg: SVGSVGElement | undefined): [number, number] {
  const r = svg?.getBoundingClientRect();
  return r ? [e.clientX - r.left, e.clientY - r.top] : [NaN, NaN];
}
