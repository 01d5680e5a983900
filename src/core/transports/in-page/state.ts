// The in-page service's data model and the per-viewer views derived from it (RFC 2778 §2.4
// access rules, RFC 6121 §2–3 subscription states). Facts are stored one per key so that
// concurrent writers in different tabs never overwrite each other's facts:
//   u user exists · d device tuple · r roster entry · s subscription watcher→presentity ·
//   f fetcher · b block · m message record. Users are `Address.id` strings.
import { parseAddress, type Address } from '../../address.js';
import type { InstantMessage } from '../../message.js';
import { makePresence, offlinePresence, unknownPresence, type Availability, type Presence, type Tuple } from '../../presence.js';
import type { RosterItem, Subscription, Watcher } from '../transport.js';
import { lww, type Entry, type Replica, type ReplicaHooks } from './channel.js';

export type Kind = 'u' | 'd' | 'r' | 's' | 'f' | 'b' | 'm';

export interface DeviceRec { readonly open: boolean; readonly availability: Availability; readonly note?: string; readonly ts: number; readonly priority?: number }
export interface RosterRec { readonly name?: string; readonly groups: readonly string[] }
export interface SubRec { readonly state: 'pending' | 'approved' | 'denied' }
export type MsgState = 'stored' | 'delivered' | 'read';
export interface MsgRec {
  readonly id: string; readonly from: string; readonly to: string; readonly body: string;
  readonly contentType: string; readonly ts: number; readonly thread?: string;
  /** Sending device: the one receipts go to. */
  readonly dev: string;
  readonly state: MsgState;
  /** Politely dropped (the recipient blocked the sender): only the sender ever sees it. */
  readonly dropped?: boolean;
  /** Arrival order across tabs. */
  readonly seq: number;
}

/** Messages kept per pair of users (RFC 2779 §4.2 gives no bound; we keep memory bounded). */
export const HISTORY_PER_PAIR = 500;
const RANK: Record<MsgState, number> = { stored: 0, delivered: 1, read: 2 };

export const key = (kind: Kind, a: string, b = ''): string => JSON.stringify([kind, a, b]);
export const parseKey = (k: string): readonly [Kind, string, string] => JSON.parse(k) as [Kind, string, string];

/** Message records only ever progress (stored → delivered → read); everything else is LWW. */
export const wins: NonNullable<ReplicaHooks['wins']> = (k: string, next: Entry, cur: Entry): boolean => {
  if (!k.startsWith('["m"')) return lww(next, cur);
  const a = RANK[(next.v as MsgRec).state], b = RANK[(cur.v as MsgRec).state];
  return a > b || (a === b && lww(next, cur));
};

const addresses = new Map<string, Address>();
/** The `im:` address of a user id (cached; ids are already normalised). */
export function addr(id: string): Address {
  let a = addresses.get(id);
  if (a === undefined) addresses.set(id, (a = parseAddress(`im:${id}`)));
  return a;
}

/** Read-only queries over a replica, with an index of the keys each user takes part in. */
export class State {
  private readonly index = new Map<string, Set<string>>();

  constructor(readonly replica: Replica) {}

  /** Call on every change: keeps the per-user index. Returns the user ids involved. */
  indexKey(k: string): string[] {
    const [kind, a, b] = parseKey(k);
    const users = kind === 'm' ? [a, (this.replica.get(k) as MsgRec | null)?.to ?? a] : kind === 'd' || kind === 'u' ? [a] : [a, b];
    for (const u of users) {
      let set = this.index.get(u);
      if (set === undefined) this.index.set(u, (set = new Set()));
      set.add(k);
    }
    return users;
  }

  unindex(k: string, users: readonly string[]): void {
    for (const u of users) this.index.get(u)?.delete(k);
  }

  get<T>(kind: Kind, a: string, b = ''): T | null {
    return this.replica.get(key(kind, a, b)) as T | null;
  }

  exists(user: string): boolean {
    return this.get('u', user) === true;
  }

  /** Keys of one kind that involve `user`, as [key, a, b]. */
  *keys(user: string, kind: Kind): Iterable<readonly [string, string, string]> {
    for (const k of this.index.get(user) ?? []) {
      const [kk, a, b] = parseKey(k);
      if (kk === kind) yield [k, a, b];
    }
  }

  tuples(user: string): Tuple[] {
    const out: Tuple[] = [];
    for (const [k, a, device] of this.keys(user, 'd')) {
      const d = this.replica.get(k) as DeviceRec | null;
      if (d === null || a !== user) continue;
      const notes = d.open && d.note ? [{ text: d.note }] : [];
      const t = { id: device, status: d.open ? 'open' : 'closed', availability: d.open ? d.availability : 'offline', notes, timestamp: d.ts } as const;
      out.push(d.priority === undefined ? t : { ...t, priority: d.priority });
    }
    return out.sort((x, y) => (x.id < y.id ? -1 : 1));
  }

  /** What `viewer` may see of `user`: full when approved (or self), offline when politely blocked. */
  presence(viewer: string, user: string, fetch = false): Presence {
    const entity = addr(user);
    if (viewer === user) return makePresence(entity, this.tuples(user));
    if (this.get('b', user, viewer)) return offlinePresence(entity);
    const sub = this.get<SubRec>('s', viewer, user)?.state;
    const visible = fetch ? sub !== 'denied' && this.exists(user) : sub === 'approved';
    return visible ? makePresence(entity, this.tuples(user)) : unknownPresence(entity);
  }

  rosterItem(owner: string, peer: string): RosterItem | undefined {
    const r = this.get<RosterRec>('r', owner, peer);
    const to = this.get<SubRec>('s', owner, peer)?.state;
    const from = this.get<SubRec>('s', peer, owner)?.state === 'approved';
    if (r === null && !from) return undefined;
    const subscription: Subscription = to === 'approved' ? (from ? 'both' : 'to') : from ? 'from' : 'none';
    return { address: addr(peer), name: r?.name, groups: r?.groups ?? [], subscription, pendingOut: to === 'pending' };
  }

  roster(owner: string): Map<string, RosterItem> {
    const out = new Map<string, RosterItem>();
    for (const [, a, b] of [...this.keys(owner, 'r'), ...this.keys(owner, 's')]) {
      const peer = a === owner ? b : a;
      const item = peer === owner || out.has(peer) ? undefined : this.rosterItem(owner, peer);
      if (item) out.set(peer, item);
    }
    return out;
  }

  watcher(owner: string, w: string): Watcher | undefined {
    const sub = this.get<SubRec>('s', w, owner);
    const fetched = this.get('f', owner, w) === true;
    const kind = sub === null && fetched ? 'fetcher' : 'subscriber';
    if (this.get('b', owner, w)) return { address: addr(w), state: 'blocked', kind };
    if (sub !== null) return { address: addr(w), state: sub.state, kind };
    return fetched ? { address: addr(w), state: 'approved', kind } : undefined;
  }

  watchers(owner: string): Map<string, Watcher> {
    const out = new Map<string, Watcher>();
    for (const kind of ['s', 'f', 'b'] as const) {
      for (const [, a, b] of this.keys(owner, kind)) {
        const w = kind === 's' ? a : b;
        const item = w === owner || out.has(w) ? undefined : this.watcher(owner, w);
        if (item) out.set(w, item);
      }
    }
    return out;
  }

  /** Message records between `user` and `peer` that `user` may see, oldest first. */
  messages(user: string, peer: string): [string, MsgRec][] {
    const out: [string, MsgRec][] = [];
    for (const [k] of this.keys(user, 'm')) {
      const m = this.replica.get(k) as MsgRec | null;
      const between = m !== null && ((m.from === user && m.to === peer) || (m.from === peer && m.to === user));
      if (!between || (m.dropped && m.from !== user)) continue;
      out.push([k, m]);
    }
    return out.sort(([, x], [, y]) => x.seq - y.seq || (x.from + x.id < y.from + y.id ? -1 : 1));
  }
}

/** The InstantMessage a record stands for. */
export function toMessage(m: MsgRec): InstantMessage {
  const base = { id: m.id, from: addr(m.from), to: addr(m.to), body: m.body, contentType: m.contentType, timestamp: m.ts };
  return m.thread === undefined ? base : { ...base, thread: m.thread };
}
