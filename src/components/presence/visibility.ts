/**
 * Whether an element is on screen, from ONE IntersectionObserver shared by every element that
 * asks (a portal with 10,000 badges has one observer, not 10,000).
 *
 * An observer's cost grows with its targets: Chromium recomputes every target on every
 * scrolled frame, about 50 ms a frame for 10,000 targets on a busy 2-core machine. So elements
 * the page scroll has carried far away (more than {@link PARK_AT} viewports) are *parked*:
 * unobserved, remembered by their document position, and observed again when the page scroll
 * brings that position within {@link UNPARK_WITHIN} viewports. Elements inside their own
 * scrolling box are never parked, and a change of the document's size (content added or
 * removed above them) observes every parked element again.
 * @module
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * How far outside the viewport an element already counts as visible, so presence is usually
 * there by the time it scrolls in. Only the viewport is extended: a scrolling ancestor still
 * clips exactly (IntersectionObserver spec, "compute the intersection").
 */
const ROOT_MARGIN = '200px 0px';
/** Park an element once it is this many viewport heights away from the viewport. */
const PARK_AT = 2;
/** Observe a parked element again once it is within this many viewport heights. */
const UNPARK_WITHIN = 1;

interface Entry {
  readonly el: Element;
  readonly notify: (visible: boolean) => void;
  /** Document-relative top when last seen off screen (observed or parked). */
  top?: number;
  parked?: boolean;
}

const entries = new Map<Element, Entry>();
/** Observed entries last reported off screen: parked once the page scroll takes them far away. */
const offScreen = new Set<Entry>();
let parked: Entry[] = [];
let parkedSorted = true;
let observer: IntersectionObserver | undefined;
let created = 0;
/** Elements that are (or are inside) a scrolling box other than the viewport. */
const scrollBoxes = new WeakMap<Element, boolean>();

function sharedObserver(): IntersectionObserver | undefined {
  if (typeof IntersectionObserver !== 'function') return undefined;
  if (observer === undefined) {
    created++;
    observer = new IntersectionObserver(onEntries, { rootMargin: ROOT_MARGIN });
    document.addEventListener('scroll', onScroll, { capture: true, passive: true });
    let height = -1;
    const resized = new ResizeObserver(() => {
      const h = document.documentElement.scrollHeight;
      if (h !== height) unparkAll(); // positions of parked elements may have moved
      height = h;
    });
    resized.observe(document.documentElement);
    if (document.body) resized.observe(document.body);
    addEventListener('resize', unparkAll, { passive: true });
  }
  return observer;
}

function onEntries(list: IntersectionObserverEntry[]): void {
  // Entries of one element arrive in order within a batch: the last one wins.
  for (const e of list) {
    const entry = entries.get(e.target);
    if (entry === undefined || entry.parked) continue;
    entry.notify(e.isIntersecting);
    if (e.isIntersecting || inScrollBox(e.target)) {
      offScreen.delete(entry);
      continue;
    }
    entry.top = e.boundingClientRect.top + scrollY;
    offScreen.add(entry);
  }
  parkFar();
}

/** Parks the off-screen entries that are now more than PARK_AT viewports away. */
function parkFar(): void {
  const h = innerHeight;
  for (const entry of offScreen) {
    const top = entry.top! - scrollY;
    if (top > (1 + PARK_AT) * h || top < -PARK_AT * h) {
      offScreen.delete(entry);
      observer!.unobserve(entry.el);
      entry.parked = true;
      parked.push(entry);
      parkedSorted = false;
    }
  }
}

/** True when an ancestor (across shadow roots) other than the root scroller can scroll. */
function inScrollBox(el: Element): boolean {
  const chain: Element[] = [];
  let answer = false;
  for (let a: Element | null = parentOf(el); a !== null && a !== document.documentElement && a !== document.body; a = parentOf(a)) {
    const known = scrollBoxes.get(a);
    if (known !== undefined) { answer = known; break; }
    chain.push(a);
    const { overflowX, overflowY } = getComputedStyle(a);
    if (/auto|scroll|hidden/.test(overflowY + overflowX)) { answer = true; break; }
  }
  chain.forEach((a) => scrollBoxes.set(a, answer));
  return answer;
}

function parentOf(el: Element): Element | null {
  return el.parentElement ?? ((el.getRootNode() as ShadowRoot).host || null);
}

let scrollQueued = false;
function onScroll(e: Event): void {
  if (e.target !== document || scrollQueued) return;
  scrollQueued = true;
  requestAnimationFrame(() => {
    scrollQueued = false;
    parkFar();
    unparkNear(scrollY - UNPARK_WITHIN * innerHeight, scrollY + (1 + UNPARK_WITHIN) * innerHeight);
  });
}

/** Observes again the parked elements whose top lies in [from, to] (document coordinates). */
function unparkNear(from: number, to: number): void {
  if (parked.length === 0) return;
  if (!parkedSorted) {
    parked.sort((a, b) => a.top! - b.top!);
    parkedSorted = true;
  }
  let lo = 0;
  let hi = parked.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (parked[mid]!.top! < from) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < parked.length && parked[end]!.top! <= to) end++;
  if (end === lo) return;
  for (const entry of parked.splice(lo, end - lo)) unpark(entry);
}

function unparkAll(): void {
  const all = parked;
  parked = [];
  parkedSorted = true;
  all.forEach(unpark);
}

function unpark(entry: Entry): void {
  if (entries.get(entry.el) !== entry) return; // disconnected meanwhile
  entry.parked = false;
  observer?.observe(entry.el);
}

/** Diagnostics for tests and demos: observers created (0 or 1), elements tracked, elements parked. */
export function visibilityStats(): { observers: number; tracked: number; parked: number } {
  return { observers: created, tracked: entries.size, parked: [...entries.values()].filter((e) => e.parked).length };
}

/**
 * Tracks whether the host is on screen (or within {@link ROOT_MARGIN} of the viewport) while
 * it is connected, and calls `onChange` when that flips. A page without IntersectionObserver
 * counts every connected element as visible. A disconnected host is not visible.
 *
 * @example
 * ```ts
 * private readonly visibility = new VisibilityController(this, () => this.clientCtl.rebind());
 * ```
 */
export class VisibilityController implements ReactiveController {
  /** True while the host is connected and intersects the (extended) viewport. */
  visible = false;

  constructor(
    private readonly host: ReactiveControllerHost & Element,
    private readonly onChange: (visible: boolean) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    const io = sharedObserver();
    if (io === undefined) return this.set(true);
    entries.set(this.host, { el: this.host, notify: (v) => this.set(v) });
    io.observe(this.host); // the first callback reports the current state
  }

  hostDisconnected(): void {
    const entry = entries.get(this.host);
    if (entry !== undefined) offScreen.delete(entry);
    entries.delete(this.host); // a parked entry stays in `parked` until unparked: unpark() skips it
    observer?.unobserve(this.host);
    this.set(false);
  }

  private set(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    this.onChange(visible);
  }
}
