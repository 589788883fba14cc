/**
 * A chart's frame: its size and its data→pixel scales, shared by the layers drawn in it.
 * The owner hands over scales with their domains set; the frame sets their ranges from the
 * measured width, so every layer (axes, canvas, SVG marks) maps data to the same pixels.
 */
import { createContext } from 'svelte';
import type { ScaleLinear, ScaleLogarithmic } from 'd3';

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** The scales a frame can range: linear or logarithmic, number → pixel. */
export type ChartScale = ScaleLinear<number, number> | ScaleLogarithmic<number, number>;

export interface FrameSpec<X extends ChartScale, Y extends ChartScale> {
  margin: Margin;
  /** Scales with their domains (and any `nice`, `clamp`) set; the frame sets their ranges. */
  x: X;
  y: Y;
  /** A fixed height, px. Without it, `aspect` sets the height from the width. */
  height?: number;
  /** Plot-area height over width (equal data units on both axes when the view's ratio is given). */
  aspect?: number;
  /** Tallest the chart may be, px; with `aspect`, a tall view then gets a narrower chart. */
  maxHeight?: number;
  /** A fixed width, px, instead of the container's. */
  width?: number;
}

/** The plot area, px: inside the margins. */
export interface PlotArea {
  left: number;
  top: number;
  width: number;
  height: number;
}

export class ChartFrame<X extends ChartScale = ScaleLinear<number, number>, Y extends ChartScale = ScaleLinear<number, number>> {
  /** The container's width, px, measured by the `Chart` the frame is drawn in. */
  available = $state(360);
  readonly #read: () => FrameSpec<X, Y>;
  /** The spec, read once per change of what it depends on (it builds scales). */
  readonly #spec = $derived.by(() => this.#read());

  /** `spec` is read reactively: the frame follows the domains and sizes it returns. */
  constructor(spec: () => FrameSpec<X, Y>) {
    this.#read = spec;
  }

  get margin(): Margin {
    return this.#spec.margin;
  }

  /** The chart's width: the container's, narrowed when `maxHeight` would be passed at this aspect. */
  readonly width = $derived.by(() => {
    const { margin: m, aspect, maxHeight, width } = this.#spec;
    if (width !== undefined) return width;
    if (aspect === undefined || maxHeight === undefined) return this.available;
    return Math.min(this.available, Math.round((maxHeight - m.top - m.bottom) / aspect) + m.left + m.right);
  });

  readonly height = $derived.by(() => {
    const { margin: m, aspect, height } = this.#spec;
    if (height !== undefined || aspect === undefined) return height ?? 200;
    // Before the container is measured its width can be below the margins: never a negative plot.
    return Math.round(Math.max(0, this.width - m.left - m.right) * aspect) + m.top + m.bottom;
  });

  /** Data x → pixel: the domain across the plot area, left to right. */
  readonly x: X = $derived.by(() => {
    const { x, margin: m } = this.#spec;
    return x.copy().range([m.left, this.width - m.right]) as X;
  });

  /** Data y → pixel: the domain up the plot area (pixel y grows downwards). */
  readonly y: Y = $derived.by(() => {
    const { y, margin: m } = this.#spec;
    return y.copy().range([this.height - m.bottom, m.top]) as Y;
  });

  readonly area: PlotArea = $derived.by(() => {
    const m = this.margin;
    return { left: m.left, top: m.top, width: this.width - m.left - m.right, height: this.height - m.top - m.bottom };
  });
}

/** The frame of the chart a layer is drawn in (set by `Chart`). */
export const [getChartFrame, setChartFrame] = createContext<ChartFrame<ChartScale, ChartScale>>();
