// Group sessions of the in-page service: the `room-*` commands of the port, modelled on XEP-0045
// (https://xmpp.org/extensions/xep-0045.html) — open, non-anonymous, persistent rooms. Loaded
// lazily (service.loadRooms) so pages without rooms never fetch it. Facts replicate across tabs
// like the rest of the state, under upper-case kinds the rest of the service ignores:
//   R room → { owner } · O [room, user, device] → { nick } | null · T room → { subject, nick }
//   M [room, user, id] → RoomMsg · I [room, invitee, inviter, reason, nonce] → 1, an invitation:
//   delivered where it arrives live, then forgotten (a new tab's snapshot never replays it).
import { parseAddress, type Address } from '../../address.js';
import { ImppError } from '../../errors.js';
import { MAX_BODY_BYTES, type InstantMessage } from '../../message.js';
import type { Occupant, TransportCommand, TransportEvent } from '../transport.js';
import type { InPageService, Session } from './service.js';
import { addr } from './state.js';

interface RoomMsg { readonly nick: string; readonly body: string; readonly contentType: string; readonly ts: number; readonly seq: number; readonly thread?: string }
type RoomCommand = Extract<TransportCommand, { type: `room-${string}` }>;

/** What one local session was told about one room it is in. */
interface Joined {
  nick: string;
  /** History size still to send: set on join, cleared by the first flush. */
  history?: number;
  subject?: string;
  readonly shown: Map<string, { readonly json: string; readonly o: Occupant }>;
  readonly seen: Set<string>;
}

/** Messages kept per room (older ones are forgotten locally, like one-to-one history). */
export const ROOM_HISTORY = 200;
const MAX_TEXT = 1024;
const encoder = new TextEncoder();
const rkey = (...parts: string[]): string => JSON.stringify(parts);

function bad(what: string): ImppError {
  return new ImppError('client/invalid-argument', `Invalid ${what}.`);
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length > MAX_TEXT || /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(value)) throw bad(`${what}: expected a string of at most ${MAX_TEXT} characters without control characters`);
  return value;
}

/** `room/nick` as an address (XEP-0045 §4.1 occupant JID); the nick is data, never syntax. */
function occupantAddress(room: string, nick: string): Address {
  return parseAddress(`xmpp:${room}/${encodeURIComponent(nick)}`);
}

/** The room part of one {@link InPageService}. */
export class Rooms {
  private readonly joined = new Map<Session, Map<string, Joined>>();
  /** Keys of occupancies (O) and messages (M) per room. */
  private readonly keys = new Map<string, Set<string>>();
  private readonly fresh = new Set<string>();

  constructor(private readonly svc: InPageService) {
    svc.rooms = this;
    for (const [k, e] of svc.state.replica.entries()) if (k[2]! < 'a' && e.v !== null) this.changed(k, false);
  }

  /** A replicated room fact changed. Keys another tab wrote in a form we cannot read are ignored. */
  changed(k: string, fresh: boolean): void {
    let parts: unknown;
    try {
      parts = JSON.parse(k);
    } catch {
      return;
    }
    if (!Array.isArray(parts) || !parts.every((p) => typeof p === 'string')) return;
    const [kind, room, to, from, reason] = parts as string[];
    if (kind === 'I') {
      this.svc.state.replica.forget(k);
      try {
        if (fresh) this.invited(room!, to!, from!, reason!);
      } catch {
        // An invitation naming something that is not an address: dropped.
      }
      return;
    }
    if (kind === 'O' || kind === 'M') {
      let set = this.keys.get(room!);
      if (set === undefined) this.keys.set(room!, (set = new Set()));
      set.add(k);
    }
    if (kind === 'M' && fresh) {
      this.fresh.add(k);
      this.prune(room!);
    }
    this.svc.schedule();
  }

  /** Carries out a `room-*` command of `s`; rejects any other command type. */
  async command(s: Session, cmd: RoomCommand): Promise<unknown> {
    if (!/^room-/.test(cmd.type)) throw bad(`command type ${JSON.stringify((cmd as { type: unknown }).type)}`);
    const room = parseAddress(cmd.room).id;
    const mine = this.joined.get(s)?.get(room);
    const { replica } = this.svc.state;
    switch (cmd.type) {
      case 'room-join':
        return { nick: mine?.nick ?? this.join(s, room, cmd.nick, cmd.history) };
      case 'room-leave':
        this.leave(s, room);
        return this.svc.post(s, { type: 'room-state', room: addr(room), state: 'left' });
      case 'room-send': {
        const m: InstantMessage = cmd.message;
        if (mine === undefined) throw bad('group message: join the room before sending');
        const id = text(m?.id, 'message id');
        if (id === '' || typeof m.body !== 'string' || m.body === '') throw new ImppError('message/empty', 'The message has no body; type something first.');
        if (encoder.encode(m.body).length > MAX_BODY_BYTES) throw new ImppError('message/too-large', `The message is larger than ${MAX_BODY_BYTES} bytes; shorten it or send a link.`);
        const k = rkey('M', room, s.user, id);
        if (replica.get(k) !== null) return; // a resend: everyone already has it
        const ts = Number.isFinite(m.timestamp) ? m.timestamp : Date.now();
        const rec: RoomMsg = { nick: mine.nick, body: m.body, contentType: m.contentType ? text(m.contentType, 'content type') : 'text/plain', ts, seq: replica.clock + 1 };
        return replica.put(k, m.thread === undefined ? rec : { ...rec, thread: text(m.thread, 'thread') });
      }
      case 'room-subject':
        // XEP-0045 §8.1: participants may change the subject; stored verbatim (it is data).
        if (mine === undefined) throw bad('subject change: join the room first');
        return replica.put(rkey('T', room), { subject: text(cmd.subject, 'subject'), nick: mine.nick });
      case 'room-invite': {
        const reason = cmd.reason === undefined ? undefined : text(cmd.reason, 'reason');
        const unknown: string[] = [];
        for (const a of cmd.addresses) {
          const to = parseAddress(a).id;
          if (!this.svc.state.exists(to)) unknown.push(to);
          else {
            // XEP-0249 direct invitation, to every device of the invitee (in every tab).
            replica.put(rkey('I', room, to, s.user, reason ?? '', `${replica.tab}.${replica.clock}`), 1);
          }
        }
        if (unknown.length > 0) throw new ImppError('recipient/unknown', `Nobody called ${unknown.join(', ')} has ever signed in to this in-page service; check the addresses.`);
        return;
      }
    }
  }

  /** An invitation from this tab or another: to every online device of the invitee here. */
  private invited(room: string, to: string, from: string, reason: string): void {
    if (this.svc.state.get('b', to, from)) return; // polite block: as if never sent
    const invitation = { room: addr(room), from: addr(from), ...(reason ? { reason } : {}) };
    for (const s of this.svc.sessions) if (s.online && s.user === to) this.svc.post(s, { type: 'room-invite', invitation });
  }

  /** Leaves one room, or (device gone offline) all of them. */
  leave(s: Session, room?: string): void {
    const rooms = this.joined.get(s);
    for (const r of room === undefined ? [...(rooms?.keys() ?? [])] : [room]) {
      if (rooms?.delete(r)) this.svc.state.replica.put(rkey('O', r, s.user, s.device), null);
    }
  }

  /**
   * Runs at the end of every service flush: emits what changed in each room a local session is
   * in (occupant presence follows device facts, so every joined room is compared each time:
   * cheap at in-page scale). XEP-0045 §7.14: a device gone offline leaves its rooms.
   */
  flush(): void {
    for (const [s, rooms] of this.joined) {
      if (!s.online) this.leave(s);
      for (const [room, j] of rooms) {
        try {
          this.view(s, room, j);
        } catch (cause) {
          s.emit({ type: 'error', error: new ImppError('transport/stream-error', 'The in-page service received room data it cannot read from another tab; reload the other tabs.', { cause }) });
        } finally {
          j.history = undefined; // the join sequence is sent once, even if it failed halfway
        }
      }
    }
    this.fresh.clear();
  }

  private join(s: Session, room: string, asked: string, history = 20): string {
    const { replica } = this.svc.state;
    const wanted = occupantAddress(room, text(asked, 'nick')).resource!; // validates: no controls, ≤ 1023 bytes
    if (replica.get(rkey('R', room)) === null) replica.put(rkey('R', room), { owner: s.user });
    // XEP-0045 §7.2.9: a nick held by someone else conflicts; our own other devices share it.
    const taken = new Set([...this.occupants(room).values()].filter((o) => o.address!.id !== s.user).map((o) => o.nick));
    let nick = wanted;
    for (let i = 2; taken.has(nick); i++) nick = `${wanted}-${i}`;
    let rooms = this.joined.get(s);
    if (rooms === undefined) this.joined.set(s, (rooms = new Map()));
    rooms.set(room, { nick, history: Math.max(0, Math.min(Number(history) || 0, ROOM_HISTORY)), shown: new Map(), seen: new Set() });
    replica.put(rkey('O', room, s.user, s.device), { nick });
    return nick;
  }

  /** Current occupants by nick: occupancies of devices still connected, grouped per nick. */
  private occupants(room: string): Map<string, Occupant> {
    const { state } = this.svc;
    const owner = (state.replica.get(rkey('R', room)) as { owner?: string } | null)?.owner;
    const out = new Map<string, Occupant>();
    for (const k of this.keys.get(room) ?? []) {
      const rec = state.replica.get(k) as { nick?: unknown } | null;
      const [kind, , user, device] = JSON.parse(k) as string[];
      if (kind !== 'O' || typeof rec?.nick !== 'string' || out.has(rec.nick) || state.get('d', user!, device) === null) continue;
      const role = user === owner ? 'moderator' : 'participant';
      out.set(rec.nick, { nick: rec.nick, address: addr(user!), role, affiliation: user === owner ? 'owner' : 'none', presence: state.presence(user!, user!) });
    }
    return out;
  }

  /** XEP-0045 §7.2: occupants, then history, then the subject on join; changes afterwards. */
  private view(s: Session, room: string, j: Joined): void {
    const at = addr(room);
    const emit = (e: TransportEvent) => s.emit(e);
    if (j.history !== undefined) emit({ type: 'room-state', room: at, state: 'joined', nick: j.nick });
    const now = this.occupants(room);
    for (const [nick, o] of now) {
      const json = JSON.stringify(o);
      if (j.shown.get(nick)?.json === json) continue;
      j.shown.set(nick, { json, o });
      emit({ type: 'room-occupant', room: at, occupant: o });
    }
    for (const [nick, { o }] of j.shown) {
      if (now.has(nick)) continue;
      j.shown.delete(nick);
      emit({ type: 'room-occupant', room: at, occupant: o, left: true });
    }
    let msgs = this.messages(room).filter(([k]) => !j.seen.has(k));
    if (j.history === undefined) msgs = msgs.filter(([k]) => this.fresh.has(k));
    else {
      for (const [k] of msgs) j.seen.add(k); // history beyond the asked size is never sent later
      msgs = j.history === 0 ? [] : msgs.slice(-j.history);
    }
    for (const [k, m] of msgs) {
      j.seen.add(k);
      const id = (JSON.parse(k) as string[])[3]!;
      const message = { id, from: occupantAddress(room, m.nick), to: at, body: m.body, contentType: m.contentType, timestamp: m.ts, ...(m.thread === undefined ? {} : { thread: m.thread }) };
      emit({ type: 'room-message', room: at, nick: m.nick, message });
    }
    const t = this.svc.state.replica.get(rkey('T', room)) as { subject?: unknown; nick?: unknown } | null;
    const subject = typeof t?.subject === 'string' ? t.subject : '';
    if (j.history !== undefined || subject !== j.subject) {
      j.subject = subject;
      emit({ type: 'room-subject', room: at, subject, ...(typeof t?.nick === 'string' ? { nick: t.nick } : {}) });
    }
  }

  /** The room's messages, oldest first. */
  private messages(room: string): [string, RoomMsg][] {
    const out: [string, RoomMsg][] = [];
    for (const k of this.keys.get(room) ?? []) {
      const m = this.svc.state.replica.get(k) as RoomMsg | null;
      if (k.startsWith('["M"') && typeof m?.body === 'string' && typeof m.nick === 'string') out.push([k, m]);
    }
    return out.sort(([a, x], [b, y]) => x.seq - y.seq || (a < b ? -1 : 1));
  }

  private prune(room: string): void {
    for (const [k] of this.messages(room).slice(0, -ROOM_HISTORY)) {
      this.svc.state.replica.forget(k);
      this.keys.get(room)?.delete(k);
    }
  }
}
