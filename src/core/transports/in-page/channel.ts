// Cross-tab replication of the in-page service over BroadcastChannel (HTML Living Standard
// §9.5 — https://html.spec.whatwg.org/multipage/web-messaging.html#broadcasting-to-other-browsing-contexts).
// Every tab keeps a full replica: a map of keys to entries, merged last-writer-wins by
// (Lamport clock, tab id), or by a key-specific rule. A new tab says `hello`; every other tab
// answers with a snapshot. Merging is idempotent and commutative, so replicas converge
// whatever the order messages arrive in. Values must be structured-clonable (no functions).

/** One replicated value: `v` (null = deleted), Lamport clock `c`, writing tab `t`. */
export interface Entry {
  readonly v: unknown;
  readonly c: number;
  readonly t: string;
}

/** A non-replicated, fire-and-forget signal (e.g. a typing notification). */
export type Signal = { readonly kind: 'typing'; readonly from: string; readonly to: string; readonly typing: boolean };

/** Wire format version: tabs running another impp-kit version ignore each other. */
const V = 1;

type Wire = { readonly from: string; readonly v: number } & (
  | { readonly op: 'put'; readonly k: string; readonly e: Entry }
  | { readonly op: 'hello' | 'alive' }
  | { readonly op: 'snap'; readonly entries: readonly (readonly [string, Entry])[] }
  | { readonly op: 'signal'; readonly s: Signal });

/** Liveness: every tab says `alive` this often; a tab not heard from for `expiryMs` is gone. */
export interface Liveness {
  readonly heartbeatMs: number;
  /** Generous: Chrome runs timers of hidden tabs only once a minute (intensive throttling). */
  readonly expiryMs: number;
}

export const LIVENESS: Liveness = { heartbeatMs: 20_000, expiryMs: 180_000 };

/** What the replica tells its owner. `fresh` is true for a key first seen through a live put. */
export interface ReplicaHooks {
  /** True when `next` should replace `current` (default: last writer wins). */
  wins?(key: string, next: Entry, current: Entry): boolean;
  changed(key: string, fresh: boolean): void;
  signal(s: Signal): void;
  /** Called after each heartbeat (the owner sweeps what dead tabs left behind). */
  heartbeat?(): void;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A random id for tabs and devices (not security-relevant). */
export function randomId(): string {
  return Math.random().toString(36).slice(2, 10) + Date.now().toString(36).slice(-4);
}

/** Last-writer-wins: the higher Lamport clock, then the higher tab id. */
export function lww(next: Entry, current: Entry): boolean {
  return next.c > current.c || (next.c === current.c && next.t > current.t);
}

/** The replicated key-value store of one service instance (one per channel per tab). */
export class Replica {
  /** This replica's tab id (the LWW tie-breaker). */
  readonly tab = randomId();
  /** Resolves once a first snapshot arrived, or after a short grace period. */
  readonly ready: Promise<void>;
  private lamport = 0;
  private readonly map = new Map<string, Entry>();
  private readonly bc: BroadcastChannel | undefined;
  private markReady!: () => void;
  private readonly heard = new Map<string, number>();
  private readonly born = Date.now();
  private readonly timer: ReturnType<typeof setInterval> | undefined;

  constructor(name: string, private readonly hooks: ReplicaHooks, readonly liveness = LIVENESS, graceMs = 30) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.bc = typeof BroadcastChannel === 'function' ? new BroadcastChannel(name) : undefined;
    if (this.bc === undefined) {
      this.markReady();
      return;
    }
    (this.bc as { unref?: () => void }).unref?.(); // Node: never keep the process alive
    this.bc.onmessage = (ev: MessageEvent) => {
      try {
        this.receive(ev.data as Wire);
      } catch {
        // Foreign or malformed data from another tab: ignored, this replica stays usable.
      }
    };
    this.post({ op: 'hello' });
    setTimeout(this.markReady, graceMs);
    this.timer = setInterval(() => {
      this.post({ op: 'alive' });
      this.hooks.heartbeat?.();
    }, liveness.heartbeatMs);
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** True unless `tab` has been silent for longer than the expiry (this tab is always alive). */
  alive(tab: string): boolean {
    return tab === this.tab || (this.heard.get(tab) ?? this.born) > Date.now() - this.liveness.expiryMs;
  }

  /** Every key with its entry (for sweeps). */
  entries(): IterableIterator<[string, Entry]> {
    return this.map.entries();
  }

  /** The Lamport clock: the next local write gets `clock + 1`. */
  get clock(): number {
    return this.lamport;
  }

  get(key: string): unknown {
    return this.map.get(key)?.v ?? null;
  }

  /** Writes locally and broadcasts. */
  put(key: string, v: unknown): void {
    const e: Entry = { v, c: ++this.lamport, t: this.tab };
    this.apply(key, e, true);
    this.post({ op: 'put', k: key, e });
  }

  /** Drops a key locally only (bounded history); not replicated. */
  forget(key: string): void {
    this.map.delete(key);
  }

  /** Sends a signal to the other tabs (the caller handles its own tab). */
  broadcast(s: Signal): void {
    this.post({ op: 'signal', s });
  }

  close(): void {
    clearInterval(this.timer);
    this.bc?.close();
  }

  private receive(w: Wire): void {
    if (w === null || typeof w !== 'object' || w.v !== V) return;
    this.heard.set(w.from, Date.now());
    switch (w.op) {
      case 'put':
        return this.apply(w.k, w.e, true);
      case 'hello':
        return this.post({ op: 'snap', entries: [...this.map] });
      case 'snap':
        for (const [k, e] of w.entries) this.apply(k, e, false);
        return this.markReady();
      case 'signal':
        return this.hooks.signal(w.s);
      case 'alive':
        return;
    }
  }

  private apply(key: string, e: Entry, live: boolean): void {
    if (typeof key !== 'string' || e === null || typeof e !== 'object' || typeof e.c !== 'number') return;
    this.lamport = Math.max(this.lamport, e.c);
    const current = this.map.get(key);
    if (current !== undefined && !(this.hooks.wins ? this.hooks.wins(key, e, current) : lww(e, current))) return;
    this.map.set(key, e);
    this.hooks.changed(key, live && current === undefined);
  }

  private post(w: DistributiveOmit<Wire, 'from' | 'v'>): void {
    try {
      this.bc?.postMessage({ ...w, from: this.tab, v: V });
    } catch {
      // A closed channel (tab unloading) or an uncloneable value: this tab stays consistent.
    }
  }
}
