/**
 * Windowing for a scrolling list of fixed-height rows of a few kinds (here: group headers and
 * contacts), in place of a general virtualizer. The host renders a spacer as tall as all rows
 * (the last entry of {@link RowWindow.tops}) and, absolutely positioned at their tops, only the
 * rows of {@link RowWindow.range}: those in view plus an overscan. Scrolling is read once per
 * frame. A ResizeObserver on the viewport gives its height and, in the same callback (layout
 * is clean there), one rendered row of each kind is measured: CSS fixes their heights.
 * @module
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Rows rendered beyond each edge of the viewport. */
const OVERSCAN = 8;

/**
 * @example
 * ```ts
 * private readonly rowWindow = new RowWindow<Row>(this, () => this.listEl, ['.group', '.buddy'], [26, 46],
 *   (row) => (row.kind === 'header' ? 0 : 1));
 * // render(): const tops = this.rowWindow.tops(rows); const [start, end] = this.rowWindow.range();
 * ```
 */
export class RowWindow<R> implements ReactiveController {
  /** Height in px of each row kind; estimates until measured. */
  readonly #heights: number[];
  #scroll = 0;
  /** Viewport height in px; the window's height until the first measurement. */
  #height = globalThis.innerHeight ?? 800;
  #viewport: HTMLElement | null = null;
  #frame = 0;
  #rows: readonly R[] | undefined;
  #offsets = new Float64Array(1);
  #last = '';
  readonly #resizes = new ResizeObserver(() => this.#read(true));
  readonly #onScroll = (): void => {
    this.#frame ||= requestAnimationFrame(() => {
      this.#frame = 0;
      this.#read(false);
    });
  };

  /**
   * @param find - The scrolling viewport, once rendered.
   * @param kinds - One selector per row kind, to measure a rendered row of that kind.
   * @param estimates - Heights in px used until a row of each kind has been measured.
   * @param kindOf - The kind (index into `kinds`) of a row.
   */
  readonly #host: ReactiveControllerHost;
  readonly #find: () => HTMLElement | null;
  readonly #kinds: readonly string[];
  readonly #kindOf: (row: R) => number;

  constructor(
    host: ReactiveControllerHost,
    find: () => HTMLElement | null,
    kinds: readonly string[],
    estimates: readonly number[],
    kindOf: (row: R) => number,
  ) {
    this.#host = host;
    this.#find = find;
    this.#kinds = kinds;
    this.#kindOf = kindOf;
    this.#heights = [...estimates];
    host.addController(this);
  }

  /** Top edge in px of each row of `rows`, and the total height at index `rows.length`. */
  tops(rows: readonly R[]): Float64Array {
    if (rows !== this.#rows) {
      const tops = new Float64Array(rows.length + 1);
      for (let i = 0; i < rows.length; i++) tops[i + 1] = tops[i]! + this.#heights[this.#kindOf(rows[i]!)]!;
      this.#rows = rows;
      this.#offsets = tops;
    }
    return this.#offsets;
  }

  /** Indexes `[start, end)` of the rows to render, for the rows last passed to `tops`. */
  range(): [number, number] {
    const tops = this.#offsets;
    const n = tops.length - 1;
    const top = Math.max(0, Math.min(this.#scroll, tops[n]! - this.#height));
    const start = Math.max(0, indexAt(tops, top) - OVERSCAN);
    const end = Math.min(n, indexAt(tops, top + this.#height) + 1 + OVERSCAN);
    this.#last = `${start} ${end}`;
    return [start, end];
  }

  /** Rows that fit in the viewport (for PageUp/PageDown). */
  get perPage(): number {
    return Math.max(1, Math.floor(this.#height / Math.max(...this.#heights)));
  }

  /** Scrolls the least needed to show rows `from`..`to` (like `scrollIntoView({ block: 'nearest' })`). */
  reveal(from: number, to: number): void {
    const v = this.#viewport;
    const top = this.#offsets[from];
    const bottom = this.#offsets[to + 1];
    if (v === null || top === undefined || bottom === undefined) return;
    const scroll = top < this.#scroll ? top : bottom > this.#scroll + this.#height ? bottom - this.#height : this.#scroll;
    if (scroll === this.#scroll) return;
    v.scrollTop = this.#scroll = scroll;
    this.#host.requestUpdate();
  }

  hostConnected(): void {
    this.hostUpdated();
  }

  hostUpdated(): void {
    const v = this.#find();
    if (v === this.#viewport) return;
    this.hostDisconnected();
    this.#viewport = v;
    if (v === null) return;
    v.addEventListener('scroll', this.#onScroll, { passive: true });
    this.#resizes.observe(v);
    this.#scroll = v.scrollTop;
  }

  hostDisconnected(): void {
    this.#viewport?.removeEventListener('scroll', this.#onScroll);
    this.#resizes.disconnect();
    cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.#viewport = null;
  }

  /** Reads the scroll offset (and sizes, after a resize); re-renders when the window moved. */
  #read(resized: boolean): void {
    const v = this.#viewport;
    if (v === null) return;
    this.#scroll = v.scrollTop;
    if (resized) {
      this.#height = v.clientHeight;
      this.#kinds.forEach((selector, i) => {
        const h = v.querySelector(selector)?.getBoundingClientRect().height;
        if (h && h !== this.#heights[i]) {
          this.#heights[i] = h;
          this.#rows = undefined;
        }
      });
    }
    const before = this.#last;
    if (this.#rows !== undefined) this.range();
    if (this.#rows === undefined || this.#last !== before) this.#host.requestUpdate();
  }
}

/** The index of the row that contains offset `y` (clamped to the rows). */
function indexAt(tops: Float64Array, y: number): number {
  let lo = 0;
  let hi = tops.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tops[mid]! <= y) lo = mid;
    else hi = mid - 1;
  }
  return Math.max(0, lo);
}
