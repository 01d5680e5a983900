// XEP-0045: Multi-User Chat — https://xmpp.org/extensions/xep-0045.html
// Only rooms we joined are heard: presence, messages and subjects from any other JID are
// ignored, and `<delay>` / XEP-0359 `stanza-id` count only when the room set them (BAD-INPUTS).
import type { Address } from '../../address.js';
import { child, childrenOf, el, textOf, type XmlElement } from '../../codecs/xml.js';
import { ImppError } from '../../errors.js';
import { MAX_BODY_BYTES, newMessageId, type InstantMessage } from '../../message.js';
import type { PresenceUpdate, TransportEvent } from '../transport.js';
import { errorCondition } from './iq.js';
import { bareJid, parseJid } from './jid.js';
import type { StanzaLink } from './link.js';
import { messageType } from './messages.js';
import { joinError, leftError, readOccupant, readRoomMessage, statusCodes, vacated } from './muc-read.js';
import { presenceStanza } from './presence.js';
import { originId } from './stanza-id.js';

export const MUC_NS = 'http://jabber.org/protocol/muc';
export const MUC_USER_NS = 'http://jabber.org/protocol/muc#user';
const MUC_OWNER_NS = 'http://jabber.org/protocol/muc#owner';
const MAX_NICKS = 10; // `nick`, `nick-2` … `nick-10` (§7.2.9 conflict)
const LOCKED_RETRIES = 3; // §10.1.2: a room being created stays locked until configured

interface Waiter { resolve(nick: string): void; reject(e: ImppError): void }
interface Entry {
  readonly room: Address;
  readonly base: string;
  readonly history: number | undefined;
  nick: string;
  tries: number;
  locked: number;
  entered: boolean; // our self-presence came (the room may still need configuring)
  joined: boolean;
  readonly occupants: Set<string>;
  readonly waiters: Waiter[];
  timer?: ReturnType<typeof setTimeout>;
  subject?: Waiter & { id: string; timer: ReturnType<typeof setTimeout> };
}

export interface MucOptions {
  /** Our presence to show in rooms (show/status of the broadcast presence). */
  readonly published?: () => PresenceUpdate;
  /** Bound of a join (and of a subject change), ms; default 20 000. */
  readonly timeoutMs?: number;
}

/** Group sessions over one link: `room-*` events in, join/leave/send/subject out. */
export function muc(link: StanzaLink, emit: (e: TransportEvent) => void, opts: MucOptions = {}) {
  const rooms = new Map<string, Entry>();
  const timeoutMs = opts.timeoutMs ?? 20_000;

  const ours = (): XmlElement[] => {
    const p = opts.published?.() ?? { availability: 'available' };
    return p.availability === 'offline' ? [] : childrenOf(presenceStanza(p));
  };
  // §7.2.1 (+ §7.2.15 history): directed presence to room/nick.
  const sendJoin = (e: Entry) => link.send(el('presence', { to: `${e.room.id}/${e.nick}` }, ...ours(),
    el('x', { xmlns: MUC_NS }, Number.isFinite(e.history) ? el('history', { maxstanzas: Math.max(0, Math.floor(e.history!)) }) : undefined)));
  const settle = (e: Entry, error?: ImppError) => {
    clearTimeout(e.timer);
    for (const w of e.waiters.splice(0)) error ? w.reject(error) : w.resolve(e.nick);
  };
  const settleSubject = (e: Entry, error?: ImppError) => {
    const p = e.subject;
    if (p === undefined) return;
    clearTimeout(p.timer);
    e.subject = undefined;
    error ? p.reject(error) : p.resolve(e.nick);
  };
  // Everyone we saw has left as far as we can tell (we left, were removed, or lost the session).
  const clear = (e: Entry) => {
    rooms.delete(e.room.id);
    for (const nick of e.occupants) emit({ type: 'room-occupant', room: e.room, occupant: vacated(e.room, nick), left: true });
    e.occupants.clear();
  };
  const fail = (e: Entry, error: ImppError) => {
    clear(e);
    emit({ type: 'room-state', room: e.room, state: 'failed', error });
    settle(e, error);
  };
  const joined = async (e: Entry, codes: Set<string>) => {
    if (codes.has('201')) {
      // §10.1.2 instant room: the default configuration, except that any occupant may set the
      // subject (§8.1 `changesubject`), as on every impp-kit backend. Unsent fields keep defaults.
      await link.iq(el('iq', { type: 'set', to: e.room.id, id: newMessageId() },
        el('query', { xmlns: MUC_OWNER_NS }, el('x', { xmlns: 'jabber:x:data', type: 'submit' },
          el('field', { var: 'FORM_TYPE' }, el('value', {}, 'http://jabber.org/protocol/muc#roomconfig')),
          el('field', { var: 'muc#roomconfig_changesubject' }, el('value', {}, '1'))))))
        .catch((cause) => emit({ type: 'error', error: ImppError.from(cause, 'transport/unsupported', `The new room ${e.room.id} could not be configured; others cannot join until it is.`) }));
    }
    if (rooms.get(e.room.id) !== e) return;
    e.joined = true;
    emit({ type: 'room-state', room: e.room, state: 'joined', nick: e.nick });
    settle(e);
  };
  const gone = (e: Entry, error?: ImppError) => {
    clear(e);
    emit({ type: 'room-state', room: e.room, state: 'left', ...(error ? { error } : {}) });
    settle(e, error ?? new ImppError('transport/closed', `Left ${e.room.id} before the join completed.`));
  };

  const onPresence = (p: XmlElement, e: Entry, from: Address) => {
    const nick = from.resource;
    const type = p.attrs['type'];
    if (type === 'error') {
      if (e.joined || (nick !== undefined && nick !== e.nick)) return; // a stale attempt's error
      const cond = errorCondition(p) ?? 'undefined-condition';
      if (cond === 'conflict' && ++e.tries <= MAX_NICKS) return void ((e.nick = `${e.base}-${e.tries}`), sendJoin(e));
      if (cond === 'item-not-found' && ++e.locked <= LOCKED_RETRIES) return void setTimeout(() => rooms.get(e.room.id) === e && sendJoin(e), 300 * e.locked);
      return fail(e, joinError(cond, e.room, e.base));
    }
    if (nick === undefined || (type !== undefined && type !== 'unavailable')) return;
    const x = child(p, 'x', MUC_USER_NS);
    const codes = statusCodes(x);
    const self = codes.has('110');
    if (type === 'unavailable') {
      const renamed = codes.has('303') ? child(x!, 'item')?.attrs['nick'] : undefined;
      if (self && renamed) {
        e.nick = renamed; // §7.6 our nick changed; the new one joins next
        emit({ type: 'room-state', room: e.room, state: 'joined', nick: renamed });
      } else if (self || (e.joined && nick === e.nick && !renamed)) return gone(e, leftError(codes, x, e.room));
      e.occupants.delete(nick);
      return emit({ type: 'room-occupant', room: e.room, occupant: readOccupant(p, from, x), left: true });
    }
    e.occupants.add(nick);
    emit({ type: 'room-occupant', room: e.room, occupant: readOccupant(p, from, x) });
    if (self && !e.entered) {
      e.entered = true;
      e.nick = nick; // §7.2.3: the service may have changed it (status 210)
      void joined(e, codes);
    }
  };

  const onMessage = (m: XmlElement, e: Entry, from: Address) => {
    const type = messageType(m);
    if (type === 'error') {
      const cond = errorCondition(m) ?? 'undefined-condition';
      if (e.subject && m.attrs['id'] === e.subject.id) {
        const error = cond === 'forbidden'
          ? new ImppError('presence/forbidden', `Only moderators may change the subject of ${e.room.id}.`)
          : new ImppError('recipient/unavailable', `${e.room.id} refused the subject change (${cond}).`);
        return settleSubject(e, error);
      }
      return emit({ type: 'error', error: new ImppError('recipient/unavailable', `The room ${e.room.id} refused a message (${cond}); check that you are still an occupant.`) });
    }
    if (type !== 'groupchat') {
      // §7.5 private message: no 1:1 conversation with `room/nick` exists in impp-kit yet.
      if (from.resource !== undefined && child(m, 'body')) emit({ type: 'error', error: new ImppError('transport/unsupported', `A private message from an occupant of ${e.room.id} was not shown: private messages in rooms are not supported.`) });
      return;
    }
    const subject = child(m, 'subject');
    if (subject !== undefined && child(m, 'body') === undefined) {
      // §8.1: a subject with no body is a subject change (also sent last on join, §7.2.16).
      emit({ type: 'room-subject', room: e.room, subject: textOf(subject), ...(from.resource !== undefined ? { nick: from.resource } : {}) });
      if (from.resource === e.nick) settleSubject(e);
      return;
    }
    if (from.resource === undefined) return; // a room announcement, not an occupant's message
    const message = readRoomMessage(m, e.room, from);
    if (message) emit({ type: 'room-message', room: e.room, nick: from.resource, message });
  };
  const enter = (room: Address, nick: string, history: number | undefined): Entry => {
    const e: Entry = { room, base: nick, nick, history, tries: 1, locked: 0, entered: false, joined: false, occupants: new Set(), waiters: [] };
    e.timer = setTimeout(() => {
      link.send(el('presence', { to: `${room.id}/${e.nick}`, type: 'unavailable' }));
      fail(e, new ImppError('transport/timeout', `${room.id} did not answer the join within ${timeoutMs / 1000} s; try again.`));
    }, timeoutMs);
    emit({ type: 'room-state', room, state: 'joining', nick });
    sendJoin(e);
    return e;
  };

  const sub = link.stanza$.subscribe((s) => {
    if (s.local !== 'presence' && s.local !== 'message') return;
    const from = parseJid(s.attrs['from']);
    const e = from && rooms.get(from.id);
    if (e === undefined) return;
    if (s.local === 'presence') onPresence(s, e, from!);
    else onMessage(s, e, from!);
  });

  const entry = (room: Address): Entry => {
    const e = rooms.get(bareJid(room).id);
    if (e?.joined !== true) throw new ImppError('client/disconnected', `Not in the room ${bareJid(room).id}; join it first.`);
    return e;
  };

  return {
    /** §7.2: joins `room` as `nick` (resolving conflicts), creating an instant room if needed. */
    join(room: Address, nick: string, history?: number): Promise<{ nick: string }> {
      const r = bareJid(room);
      let e = rooms.get(r.id);
      if (e?.joined) return Promise.resolve({ nick: e.nick }); // XEP-0198 resumed: still in the room
      const asked = r.local === '' ? undefined : parseJid(`${r.id}/${nick}`)?.resource; // RFC 7622 §3.4
      if (asked === undefined) {
        return Promise.reject(new ImppError('client/invalid-argument', `Cannot join ${r.id} as ${JSON.stringify(nick)}: not a valid room address and nickname.`));
      }
      if (e === undefined) rooms.set(r.id, (e = enter(r, asked, history))); // else one is under way: wait for it
      const waiters = e.waiters;
      return new Promise<string>((resolve, reject) => void waiters.push({ resolve, reject })).then((n) => ({ nick: n }));
    },
    /** §7.14: exit the room. */
    leave(room: Address): void {
      const e = rooms.get(bareJid(room).id);
      if (e === undefined) return;
      link.send(el('presence', { to: `${e.room.id}/${e.nick}`, type: 'unavailable' }));
      rooms.delete(e.room.id); // the core clears its occupant list itself
      emit({ type: 'room-state', room: e.room, state: 'left' });
      settle(e, new ImppError('transport/closed', `Left ${e.room.id} before the join completed.`));
    },
    /** §7.4: a groupchat message; the room reflects it back (same origin-id) when delivered. */
    send(room: Address, msg: InstantMessage): void {
      const e = entry(room);
      if (new TextEncoder().encode(msg.body).length > MAX_BODY_BYTES) {
        throw new ImppError('message/too-large', `The message is larger than ${MAX_BODY_BYTES / 1024} KiB; split it or send a link.`);
      }
      link.send(el('message', { to: e.room.id, type: 'groupchat', id: msg.id }, el('body', {}, msg.body), originId(msg.id)));
    },
    /** §8.1: changes the subject; resolves when the room reflects it. */
    subject(room: Address, subject: string): Promise<void> {
      const e = entry(room);
      settleSubject(e, new ImppError('transport/closed', 'Superseded by a newer subject change.'));
      const id = newMessageId();
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => settleSubject(e, new ImppError('transport/timeout', `${e.room.id} did not confirm the subject change.`)), timeoutMs);
        e.subject = { id, resolve, reject, timer };
        link.send(el('message', { to: e.room.id, type: 'groupchat', id }, el('subject', {}, subject)));
      }).then(() => undefined);
    },
    /** RFC 6121 §4.6: broadcast presence does not reach rooms; send it to each (§7.7). */
    presence(): void {
      for (const e of rooms.values()) if (e.joined) link.send(el('presence', { to: `${e.room.id}/${e.nick}` }, ...ours()));
    },
    /** True for a room we are in or joining (its traffic is not 1:1 messaging). */
    has: (a: Address): boolean => rooms.has(a.id),
    /** The session is gone (not resumed): room presence is lost; the core rejoins. */
    reset(): void {
      for (const e of [...rooms.values()]) {
        clear(e);
        settle(e, new ImppError('client/disconnected', `The connection dropped while joining ${e.room.id}; it is joined again once online.`));
        settleSubject(e, new ImppError('client/disconnected', 'The connection dropped before the room confirmed the subject.'));
      }
    },
    dispose(): void {
      sub.unsubscribe();
      for (const e of rooms.values()) {
        clearTimeout(e.timer);
        clearTimeout(e.subject?.timer);
      }
    },
  };
}

/** The MUC module's public face. */
export type Muc = ReturnType<typeof muc>;
