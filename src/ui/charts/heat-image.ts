/** A heatmap image kept between frames. */
import { paintHeat, VIRIDIS } from './colormap';

/**
 * The pixels of a heatmap, one per grid cell, kept in an ImageData and a small canvas between
 * frames. `update` rewrites them only when the values (a new array: values are never changed in
 * place), their colour range or the colour map change; `draw` then only scales the kept image
 * into place, so a frame that moves particles over a still heatmap allocates nothing for it.
 */
export class HeatImage {
  #image: ImageData | null = null;
  #surface: HTMLCanvasElement | null = null;
  #values: ArrayLike<number> | null = null;
  #lo = NaN;
  #hi = NaN;
  #lut: Uint8ClampedArray | null = null;

  /** Shows the row-major nx × ny `values` coloured on [lo, hi] by `lut`; a no-op when nothing changed. */
  update(values: ArrayLike<number>, nx: number, ny: number, lo: number, hi: number, lut: Uint8ClampedArray = VIRIDIS): void {
    const image = this.#image;
    const sized = image !== null && image.width === nx && image.height === ny;
    if (sized && values === this.#values && Object.is(lo, this.#lo) && Object.is(hi, this.#hi) && lut === this.#lut) return;
    const img = sized ? image : new ImageData(nx, ny);
    paintHeat(img.data, values, nx, ny, lo, hi, lut);
    this.#surface ??= document.createElement('canvas');
    if (!sized) [this.#surface.width, this.#surface.height] = [nx, ny];
    this.#surface.getContext('2d')?.putImageData(img, 0, 0);
    [this.#image, this.#values, this.#lo, this.#hi, this.#lut] = [img, values, lo, hi, lut];
  }

  /** Draws the kept image stretched over the rectangle at (left, top), smoothed between cell centres. */
  draw(ctx: CanvasRenderingContext2D, left: number, top: number, width: number, height: number): void {
    if (!this.#surface) return;
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.#surface, left, top, width, height);
  }
}
