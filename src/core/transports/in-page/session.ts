// Per-device views of the in-page service: what one session was last told (roster, watchers,
// presence, receipts) and the diffing that emits only what changed, so any number of changes
// — local or replicated from another tab — turn into a minimal, ordered event sequence.
import type { TransportEvent } from '../transport.js';
import { addr, toMessage, type DeviceRec, type MsgRec, type State } from './state.js';

/** One connected device of a user, as the service sees it (owned by a transport). */
export interface Session {
  readonly user: string;
  readonly device: string;
  readonly priority?: number;
  readonly emit: (e: TransportEvent) => void;
  readonly watches: Set<string>;
  /** Message keys delivered to this device (never twice). */
  readonly seen: Set<string>;
  /** What this device was last told: roster / watcher / presence JSON by user, receipts by key. */
  readonly shown: { roster: Map<string, string>; watchers: Map<string, string>; presence: Map<string, string>; receipts: Map<string, string> };
  /** The device's last published state (restored if another tab swept it). */
  published?: Omit<DeviceRec, 'ts'>;
  online: boolean;
  init: boolean;
}

/** A fresh, disconnected session record. */
export function newSession(user: string, device: string, emit: (e: TransportEvent) => void, priority?: number): Session {
  const shown = { roster: new Map(), watchers: new Map(), presence: new Map(), receipts: new Map() };
  return { user, device, priority, emit, watches: new Set(), seen: new Set(), shown, online: false, init: false };
}

/** First flush after joining: online, the whole roster, watchers, presence, pending messages. */
export function initSession(state: State, s: Session, delivered: Set<string>): void {
  s.init = false;
  s.emit({ type: 'connection', state: 'online' });
  const roster = state.roster(s.user);
  s.shown.roster.clear();
  for (const [id, item] of roster) s.shown.roster.set(id, JSON.stringify(item));
  s.emit({ type: 'roster', items: [...roster.values()] });
  s.shown.watchers.clear();
  s.shown.presence.clear();
  diffSession(state, s, new Set([s.user]));
  for (const [k] of state.keys(s.user, 'm')) deliver(state, s, k, false, delivered);
}

/** Emits what changed for `s` among the views involving the dirty users. */
export function diffSession(state: State, s: Session, dirty: ReadonlySet<string>): void {
  const { shown } = s;
  if (dirty.has(s.user)) {
    const roster = state.roster(s.user);
    changes(shown.roster, roster, (id, item) =>
      s.emit({ type: 'roster-item', item: item ?? { address: addr(id), groups: [], subscription: 'none' }, ...(item ? {} : { removed: true }) }));
    changes(shown.watchers, state.watchers(s.user), (id, w) =>
      s.emit(w ? { type: 'watcher', watcher: w } : { type: 'watcher-removed', address: addr(id) }));
  }
  const wanted = new Set([s.user, ...s.watches, ...shown.roster.keys()]);
  for (const id of shown.presence.keys()) if (!wanted.has(id)) shown.presence.delete(id);
  for (const id of wanted) {
    if (!dirty.has(id) && !dirty.has(s.user) && shown.presence.has(id)) continue;
    const presence = state.presence(s.user, id);
    const json = JSON.stringify(presence);
    if (shown.presence.get(id) !== json) {
      shown.presence.set(id, json);
      s.emit({ type: 'presence', presence });
    }
  }
}

/** Emits `emit(id, value)` for every changed entry and `emit(id, undefined)` for removed ones. */
function changes<T>(shown: Map<string, string>, next: Map<string, T>, emit: (id: string, v: T | undefined) => void): void {
  for (const [id, v] of next) {
    const json = JSON.stringify(v);
    if (shown.get(id) !== json) {
      shown.set(id, json);
      emit(id, v);
    }
  }
  for (const id of [...shown.keys()]) {
    if (!next.has(id)) {
      shown.delete(id);
      emit(id, undefined);
    }
  }
}

/** Receipts for the sending device; the message itself for the recipient's devices (once each). */
export function deliver(state: State, s: Session, k: string, fresh: boolean, delivered: Set<string>): void {
  const m = state.replica.get(k) as MsgRec | null;
  if (m === null || m.dropped) return;
  if (m.from === s.user && m.dev === s.device && m.state !== 'stored' && s.shown.receipts.get(k) !== m.state) {
    s.shown.receipts.set(k, m.state);
    s.emit({ type: 'receipt', id: m.id, peer: addr(m.to), state: m.state });
  }
  if (m.to === s.user && (fresh || m.state === 'stored') && !s.seen.has(k)) {
    s.seen.add(k);
    delivered.add(k);
    s.emit({ type: 'message', message: toMessage(m) });
  }
}
