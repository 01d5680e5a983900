// The in-page IMPP service (RFC 2778 §2–3): one per channel per tab, replicated across tabs.
// Commands write facts to the replica; every change — local or from another tab — marks the
// users involved dirty, and a single macrotask flush recomputes each local session's view
// (roster, watchers, presence) and emits only what changed. Messages are delivered by the
// tab hosting the recipient's device, which then marks them delivered for the sender's tab.
import { ImppError } from '../../errors.js';
import type { InstantMessage } from '../../message.js';
import type { Availability, Presence } from '../../presence.js';
import type { TransportEvent } from '../transport.js';
import { Replica, type Liveness, type Signal } from './channel.js';
import { deliver, diffSession, initSession, type Session } from './session.js';
import { addr, HISTORY_PER_PAIR, key, parseKey, State, toMessage, wins, type DeviceRec, type MsgRec, type SubRec } from './state.js';
import type { Rooms } from './rooms.js';

export { newSession, type Session } from './session.js';

/**
 * The shared in-memory IMPP service of one channel in this tab. Internal: `inPage()` picks the
 * page's instance per channel; tests make several to stand for several tabs.
 */
export class InPageService {
  readonly state: State;
  readonly sessions = new Set<Session>();
  /** The group-session part (rooms.ts; it registers itself here once loaded). */
  rooms?: Rooms;
  private roomsLoad?: Promise<Rooms>;
  private dirty = new Set<string>();
  private msgs = new Map<string, boolean>();
  private direct: [Session, TransportEvent][] = [];
  private signals: Signal[] = [];
  private flushed: (() => void)[] = [];
  private scheduled = false;
  private lastTs = 0;

  /** `channel` is the full BroadcastChannel name, e.g. `'impp-kit:demo'`. */
  constructor(channel: string, liveness?: Liveness) {
    this.state = new State(new Replica(channel, {
      wins,
      changed: (k, fresh) => this.changed(k, fresh),
      signal: (s) => this.signal(s),
      heartbeat: () => this.sweep(),
    }, liveness));
    const g = globalThis as { addEventListener?: (type: string, fn: () => void) => void };
    g.addEventListener?.('pagehide', () => this.sessions.forEach((s) => s.online && this.leave(s)));
  }

  /** Resolves once the first snapshot from other tabs arrived (or nobody answered). */
  get ready(): Promise<void> {
    return this.state.replica.ready;
  }

  /** Resolves after the next flush has emitted everything pending. */
  settled(): Promise<void> {
    return new Promise((resolve) => {
      this.flushed.push(resolve);
      this.schedule();
    });
  }

  /** Stops replicating (tests). Sessions stay as they are. */
  close(): void {
    this.state.replica.close();
  }

  post(s: Session, e: TransportEvent): void {
    this.direct.push([s, e]);
    this.schedule();
  }

  join(s: Session): void {
    this.sessions.add(s);
    this.put('u', s.user, '', true);
    this.putDevice(s, { open: true, availability: 'available' });
    s.online = s.init = true;
  }

  /**
   * Loads the room part on first use (a room command, or a room fact from another tab), so
   * pages without group sessions never fetch it.
   */
  loadRooms(): Promise<Rooms> {
    return (this.roomsLoad ??= import('./rooms.js').then((m) => new m.Rooms(this)));
  }

  leave(s: Session): void {
    s.online = s.init = false;
    this.put('d', s.user, s.device, null);
    this.post(s, { type: 'connection', state: 'offline' });
  }

  publish(s: Session, availability: Availability, note?: string): void {
    this.putDevice(s, { open: availability !== 'offline', availability, note });
  }

  watch(s: Session, user: string, on: boolean): void {
    if (on) s.watches.add(user);
    else s.watches.delete(user);
    s.shown.presence.delete(user); // a new watch always gets the current presence
    this.touch(user);
  }

  /** RFC 2778 fetcher: what `s` may see of `user` now; the presentity sees a fetcher watcher. */
  fetch(s: Session, user: string): Presence {
    if (user !== s.user && this.state.exists(user) && !this.state.get('f', user, s.user)) this.put('f', user, s.user, true);
    return this.state.presence(s.user, user, true);
  }

  /** Sets (or clears, with null) the subscription `watcher` → `presentity`. */
  subscribe(watcher: string, presentity: string, state: SubRec['state'] | null): void {
    if (this.state.get<SubRec>('s', watcher, presentity)?.state !== state) this.put('s', watcher, presentity, state && { state });
  }

  block(s: Session, user: string, on: boolean): void {
    this.put('b', s.user, user, on || null);
  }

  addBuddy(s: Session, user: string, name: string | undefined, groups: readonly string[]): void {
    this.put('r', s.user, user, name === undefined ? { groups } : { name, groups });
    if (this.state.get<SubRec>('s', s.user, user)?.state !== 'approved') this.subscribe(s.user, user, 'pending');
  }

  /** RFC 6121 §2.5.2: removing a contact cancels the subscriptions both ways. */
  removeBuddy(s: Session, user: string): void {
    if (this.state.get('r', s.user, user) !== null) this.put('r', s.user, user, null);
    this.subscribe(s.user, user, null);
    this.subscribe(user, s.user, null);
  }

  /** Stores a message. Throws `recipient/unknown` for a user who never connected. */
  send(s: Session, m: Omit<MsgRec, 'from' | 'dev' | 'state' | 'seq' | 'dropped'>): void {
    const k = key('m', s.user, m.id);
    if (this.state.replica.get(k) !== null) return; // a resend: receivers already have it
    if (!this.state.exists(m.to)) throw new ImppError('recipient/unknown', `Nobody called ${m.to} has ever signed in to this in-page service; check the address.`);
    const dropped = this.state.get('b', m.to, s.user) === true; // polite block: silently dropped
    const rec: MsgRec = { ...m, from: s.user, dev: s.device, state: 'stored', seq: this.state.replica.clock + 1, ...(dropped ? { dropped } : {}) };
    this.state.replica.put(k, rec);
  }

  /** XEP-0333 §3 semantics: marking one message read marks every earlier one from the peer. */
  markRead(s: Session, peer: string, id: string): void {
    const target = this.state.get<MsgRec>('m', peer, id);
    if (target === null || target.to !== s.user || target.dropped) return;
    for (const [k, m] of this.state.messages(s.user, peer)) {
      if (m.from === peer && m.seq <= target.seq && m.state !== 'read') this.state.replica.put(k, { ...m, state: 'read' });
    }
  }

  typing(s: Session, to: string, typing: boolean): void {
    if (this.state.get('b', to, s.user)) return;
    const sig: Signal = { kind: 'typing', from: s.user, to, typing };
    this.state.replica.broadcast(sig);
    this.signal(sig);
  }

  /** Messages with `peer`, oldest first: the last `max` before the message `before`. */
  history(s: Session, peer: string, before: string | undefined, max: number): InstantMessage[] {
    let list = this.state.messages(s.user, peer);
    const end = before === undefined ? -1 : list.findIndex(([, m]) => m.id === before);
    if (end !== -1) list = list.slice(0, end);
    return list.slice(-max).map(([, m]) => toMessage(m));
  }

  private put(kind: 'u' | 'd' | 'r' | 's' | 'f' | 'b', a: string, b: string, v: unknown): void {
    this.state.replica.put(key(kind, a, b), v);
  }

  private putDevice(s: Session, d: Omit<DeviceRec, 'ts'>): void {
    s.published = d;
    this.lastTs = Math.max(Date.now(), this.lastTs + 1); // strictly increasing: recency decides ties
    const rec: DeviceRec = { ...d, ts: this.lastTs, ...(s.priority === undefined ? {} : { priority: s.priority }) };
    this.put('d', s.user, s.device, rec);
  }

  private touch(user: string): void {
    this.dirty.add(user);
    this.schedule();
  }

  private signal(s: Signal): void {
    if (typeof s?.from !== 'string' || typeof s.to !== 'string') return;
    this.signals.push(s);
    this.schedule();
  }

  /** Devices of tabs that went away without saying so (crash, kill) are removed. */
  private sweep(): void {
    const { replica } = this.state;
    for (const [k, e] of replica.entries()) if (e.v !== null && k.startsWith('["d"') && !replica.alive(e.t)) replica.put(k, null);
  }

  private changed(k: string, fresh: boolean): void {
    // Room facts (upper-case kinds) belong to rooms.ts, loaded on the first one seen.
    if (k[2]! < 'a') return void this.loadRooms().then((r) => r.changed(k, fresh), () => undefined);
    for (const u of this.state.indexKey(k)) this.dirty.add(u);
    const [kind, user, device] = parseKey(k);
    if (kind === 'd' && this.state.replica.get(k) === null) {
      // Removed while a local session still uses it (a sweep of a throttled tab, or a second
      // session of the same device leaving): put it back.
      for (const s of this.sessions) if (s.online && s.user === user && s.device === device) return this.putDevice(s, s.published ?? { open: true, availability: 'available' });
    }
    if (kind === 'm') {
      this.msgs.set(k, fresh || this.msgs.get(k) === true);
      if (fresh) this.prune(this.state.replica.get(k) as MsgRec);
    }
    this.schedule();
  }

  private prune(m: MsgRec): void {
    const list = this.state.messages(m.from, m.to);
    for (const [k, old] of list.slice(0, Math.max(0, list.length - HISTORY_PER_PAIR))) {
      this.state.replica.forget(k);
      this.state.unindex(k, [old.from, old.to]);
    }
  }

  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => this.flush(), 0); // never re-entrant: events always arrive after the command returned
  }

  private flush(): void {
    this.scheduled = false;
    const [dirty, msgs, direct, signals, flushed] = [this.dirty, this.msgs, this.direct, this.signals, this.flushed];
    [this.dirty, this.msgs, this.direct, this.signals, this.flushed] = [new Set(), new Map(), [], [], []];
    for (const [s, e] of direct) s.emit(e);
    const delivered = new Set<string>();
    for (const s of [...this.sessions]) {
      if (!s.online) continue;
      try {
        if (s.init) initSession(this.state, s, delivered);
        else if (dirty.size > 0) diffSession(this.state, s, dirty);
        for (const [k, fresh] of msgs) deliver(this.state, s, k, fresh, delivered);
        for (const sig of signals) {
          if (sig.to === s.user && !this.state.get('b', s.user, sig.from)) s.emit({ type: 'typing', from: addr(sig.from), typing: sig.typing });
        }
      } catch (cause) {
        // Only reachable with foreign data from another tab (e.g. a different impp-kit version).
        s.emit({ type: 'error', error: new ImppError('transport/stream-error', 'The in-page service received data it cannot read from another tab; reload the other tabs.', { cause }) });
      }
    }
    for (const k of delivered) {
      const m = this.state.replica.get(k) as MsgRec | null;
      if (m?.state === 'stored') this.state.replica.put(k, { ...m, state: 'delivered' });
    }
    this.rooms?.flush();
    for (const done of flushed) done();
  }
}
