/** Exports: a view as PNG or SVG, samples as CSV or JSON, and file downloads. */

/** Particles n × d as CSV with a header row (x or x,y). */
export function samplesToCSV(x: ArrayLike<number>, dim: 1 | 2): string {
  const rows = [dim === 1 ? 'x' : 'x,y'];
  for (let i = 0; i + dim - 1 < x.length; i += dim) rows.push(dim === 1 ? `${x[i]}` : `${x[i]},${x[i + 1]}`);
  return rows.join('\n') + '\n';
}

/** Particles as JSON: {"dim":d,"points":[[x,y],…]}. */
export function samplesToJSON(x: ArrayLike<number>, dim: 1 | 2): string {
  const points: number[][] = [];
  for (let i = 0; i + dim - 1 < x.length; i += dim) points.push(Array.from({ length: dim }, (_, a) => x[i + a]));
  return JSON.stringify({ dim, points });
}

export function download(name: string, data: Blob | string, type = 'application/octet-stream'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * A figure made of a canvas (dense marks) under an SVG (axes, contours) as one standalone SVG:
 * the canvas becomes an embedded PNG image, the SVG's own elements are kept as vectors.
 */
export function figureToSVG(figure: HTMLElement): string {
  const canvas = figure.querySelector('canvas');
  const svg = figure.querySelector('svg');
  if (!svg) throw new Error('nothing to export: this view has no SVG');
  const w = Number(svg.getAttribute('width')) || svg.clientWidth;
  const h = Number(svg.getAttribute('height')) || svg.clientHeight;
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('viewBox', `0 0 ${w} ${h}`);
  // Inline the computed styles the SVG depends on (its CSS lives in the page, not the file).
  const src = svg.querySelectorAll('*');
  copy.querySelectorAll('*').forEach((el, i) => {
    const cs = getComputedStyle(src[i]);
    for (const p of ['fill', 'stroke', 'font-size', 'font-family']) (el as SVGElement).style.setProperty(p, cs.getPropertyValue(p));
  });
  if (canvas && canvas.width > 0) {
    const img = document.createElementNS('http://www.w3.org/2000/svg', 'image');
    img.setAttribute('href', canvas.toDataURL('image/png'));
    img.setAttribute('width', String(w));
    img.setAttribute('height', String(h));
    copy.insertBefore(img, copy.firstChild);
  }
  return new XMLSerializer().serializeToString(copy);
}

/** The same figure rasterised to a PNG at the device pixel ratio. */
export async function figureToPNG(figure: HTMLElement): Promise<Blob> {
  const svgText = figureToSVG(figure);
  const svg = figure.querySelector('svg')!;
  const w = Number(svg.getAttribute('width')) || svg.clientWidth;
  const h = Number(svg.getAttribute('height')) || svg.clientHeight;
  const scale = Math.max(1, window.devicePixelRatio || 1);
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = Math.round(w * scale);
    c.height = Math.round(h * scale);
    const ctx = c.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, c.width, c.height);
    ctx.drawImage(img, 0, 0, c.width, c.height);
    return await new Promise<Blob>((res, rej) => c.toBlob((b) => (b ? res(b) : rej(new Error('PNG encoding failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}
