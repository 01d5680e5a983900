// RFC 6121 §4: Exchanging Presence Information — https://www.rfc-editor.org/rfc/rfc6121#section-4
// One tuple per resource; floods are coalesced per address (BAD-INPUTS #37).
import type { Address } from '../../address.js';
import { child, childrenOf, el, textOf, type XmlElement } from '../../codecs/xml.js';
import {
  makePresence, offlinePresence, unknownPresence,
  type Availability, type Note, type Presence, type Tuple,
} from '../../presence.js';
import type { PresenceUpdate, TransportEvent } from '../transport.js';
import { readDelay } from './delay.js';
import { bareJid, stanzaFrom } from './jid.js';
import type { StanzaLink } from './link.js';

const SHOW: Readonly<Record<string, Availability>> = { chat: 'available', away: 'away', xa: 'away', dnd: 'busy' };

/** §4.7.2.1 `<show>` → availability (absent or unknown: available). */
export function showToAvailability(show: string | undefined): Availability {
  return (show !== undefined && Object.hasOwn(SHOW, show) ? SHOW[show] : undefined) ?? 'available';
}

/** §4.7.2.3 priority −128..127 → PIDF 0..1, monotonic; absent or malformed is 0 (§4.7.2.3). */
export function mapPriority(text: string | undefined): number {
  const n = text !== undefined && /^\s*[+-]?\d{1,4}\s*$/.test(text) ? Number(text) : 0;
  return (Math.min(127, Math.max(-128, n)) + 128) / 255;
}

/** Reads an available `<presence/>` from `from` into a tuple (id = resource). */
export function readTuple(p: XmlElement, from: Address, now = Date.now()): Tuple {
  const notes: Note[] = childrenOf(p, 'status').map((s) => {
    const lang = s.attrs['xml:lang'];
    return lang ? { text: textOf(s), lang } : { text: textOf(s) };
  }).filter((n) => n.text !== '');
  const showEl = child(p, 'show');
  const prio = child(p, 'priority');
  return {
    id: from.resource ?? from.id,
    status: 'open',
    availability: showToAvailability(showEl && textOf(showEl).trim()),
    contact: from.toString(),
    priority: mapPriority(prio && textOf(prio)),
    notes,
    timestamp: readDelay(p, now) ?? now,
  };
}

/** PIDF priority 0..1 → XMPP −128..127 (the inverse of {@link mapPriority}). */
export function xmppPriority(p: number): number {
  return Math.round(Math.min(1, Math.max(0, p)) * 255 - 128) || 0;
}

/** §4.2 / §4.4: the presence stanza we broadcast; `offline` is invisible (unavailable). */
export function presenceStanza(update: PresenceUpdate, priority?: number, ...extras: XmlElement[]): XmlElement {
  if (update.availability === 'offline') return el('presence', { type: 'unavailable' });
  const show = update.availability === 'away' ? 'away' : update.availability === 'busy' ? 'dnd' : undefined;
  const children: XmlElement[] = [];
  if (show) children.push(el('show', {}, show));
  if (update.note) children.push(el('status', {}, update.note));
  if (priority !== undefined) children.push(el('priority', {}, String(xmppPriority(priority))));
  return el('presence', {}, ...children, ...extras);
}

export interface PresenceOptions {
  /** True when presence from this bare address may enter the model (on the roster, #36). */
  readonly accepts: (bare: Address) => boolean;
  /** Minimum gap between two events for one address (trailing update kept), ms. */
  readonly windowMs?: number;
  /** Our resource's priority, 0..1 (§4.7.2.3); omitted from our presence when undefined. */
  readonly priority?: number;
  /** Extensions carried by our available presence (XEP-0115 caps). */
  readonly extras?: () => readonly XmlElement[];
}

/** Inbound presence → one full `presence` event per bare JID; outbound broadcast. */
export function presence(link: StanzaLink, emit: (e: TransportEvent) => void, opts: PresenceOptions) {
  const windowMs = opts.windowMs ?? 100;
  const tuples = new Map<string, Map<string, Tuple>>();
  const entities = new Map<string, Address>();
  const dirty = new Set<string>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const lastEmit = new Map<string, number>();
  let scheduled = false;
  let disposed = false;

  const current = (id: string): Presence => makePresence(entities.get(id)!, [...(tuples.get(id)?.values() ?? [])]);
  const publish = (id: string) => {
    if (disposed || !entities.has(id)) return;
    lastEmit.set(id, Date.now());
    emit({ type: 'presence', presence: current(id) });
  };
  const flush = () => {
    scheduled = false;
    const now = Date.now();
    for (const id of dirty) {
      const wait = (lastEmit.get(id) ?? -Infinity) + windowMs - now;
      if (wait <= 0) publish(id);
      else timers.set(id, setTimeout(() => (timers.delete(id), publish(id)), wait));
    }
    dirty.clear();
  };
  const touch = (id: string) => {
    if (timers.has(id)) return; // a trailing event is already due and will carry this change
    dirty.add(id);
    if (!scheduled) (scheduled = true), queueMicrotask(flush);
  };

  const sub = link.stanza$.subscribe((p) => {
    const type = p.attrs['type'];
    if (p.local !== 'presence' || (type !== undefined && type !== 'unavailable')) return;
    const from = stanzaFrom(p);
    if (from === undefined) return;
    const bare = bareJid(from);
    if (bare.id !== link.jid.id && !opts.accepts(bare)) return; // #36
    entities.set(bare.id, bare);
    let set = tuples.get(bare.id);
    if (set === undefined) tuples.set(bare.id, (set = new Map()));
    if (type === 'unavailable') {
      if (from.resource === undefined) set.clear(); // §4.5.2: unavailable from the bare JID
      else set.delete(from.resource);
    } else set.set(from.resource ?? from.id, readTuple(p, from));
    touch(bare.id);
  });

  const drop = (id: string, next: Presence) => {
    tuples.delete(id);
    dirty.delete(id);
    clearTimeout(timers.get(id));
    timers.delete(id);
    if (entities.delete(id) && !disposed) emit({ type: 'presence', presence: next });
  };

  return {
    /** §4.2/§4.4: broadcasts our presence. */
    send: (update: PresenceUpdate): void => link.send(presenceStanza(update, opts.priority, ...(opts.extras?.() ?? []))),
    /** What we currently know of `bare` (RFC 2778 fetcher), given whether we may see it. */
    snapshot: (bare: Address, visible: boolean): Presence =>
      !visible ? unknownPresence(bare) : entities.has(bare.id) ? current(bare.id) : offlinePresence(bare),
    /** We may no longer see `bare` (subscription gone): forget it and say `unknown`. */
    forget: (bare: Address): void => drop(bare.id, unknownPresence(bare)),
    /** The session is gone: everyone we knew is offline until the new session says otherwise. */
    reset(): void {
      for (const [id, a] of [...entities]) drop(id, offlinePresence(a));
    },
    dispose(): void {
      disposed = true;
      sub.unsubscribe();
      for (const t of timers.values()) clearTimeout(t);
    },
  };
}

/** The presence module's public face. */
export type PresenceModule = ReturnType<typeof presence>;
