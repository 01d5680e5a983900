/**
 * Group sessions: `room(client, name)` gives the client-side state of a room (participants,
 * messages, subject) fed by `room-*` transport events, plus the safe mapping from booking ids
 * to room names. A separate module so pages without group sessions never bundle it.
 * @module
 */
import { BehaviorSubject, distinctUntilChanged, map, Subject, type Observable } from 'rxjs';
import { bareAddress, parseAddress, type Address } from './address.js';
import type { AddressLike, ImppClient, JoinOptions, OutgoingMessage, Room, RoomEntry, RoomStatus } from './client-api.js';
import { Dedupe } from './dedupe.js';
import { ImppError } from './errors.js';
import type { Delivery, InstantMessage } from './message.js';
import { prepareMessage } from './send.js';
import type { CommandResult, Occupant, RoomInvitation, TransportCommand, TransportEvent } from './transports/transport.js';

/** What a room needs from its client. */
interface RoomHost {
  readonly self: Address;
  readonly online: boolean;
  readonly dedupe: Dedupe;
  command<C extends TransportCommand>(cmd: C): Promise<CommandResult<C>>;
}

type RoomEvent = Extract<TransportEvent, { type: `room-${string}`; room: Address }>;

class RoomSession implements Room {
  private readonly status = new BehaviorSubject<RoomStatus>({ state: 'idle' });
  private readonly occupants = new BehaviorSubject<ReadonlyMap<string, Occupant>>(new Map());
  private readonly entries = new BehaviorSubject<readonly RoomEntry[]>([]);
  private readonly subject = new BehaviorSubject('');
  private readonly outgoing = new Map<string, BehaviorSubject<Delivery>>();
  private options: JoinOptions = {};
  private wanted = false; // joined by the user and not left: rejoin after reconnects

  readonly status$ = this.status.asObservable();
  readonly occupants$: Observable<readonly Occupant[]> = this.occupants.pipe(map((m) => [...m.values()]));
  readonly messages$ = this.entries.asObservable();
  readonly subject$ = this.subject.pipe(distinctUntilChanged());

  constructor(private readonly host: RoomHost, readonly address: Address) {}

  async join(options: JoinOptions = {}): Promise<void> {
    this.options = options;
    this.wanted = true;
    await this.enter();
  }

  async leave(): Promise<void> {
    this.wanted = false;
    if (this.status.value.state === 'joined' || this.status.value.state === 'joining') {
      await this.host.command({ type: 'room-leave', room: this.address });
    }
    this.setStatus({ state: 'left' });
    this.occupants.next(new Map());
  }

  send(body: string): OutgoingMessage {
    const prepared = prepareMessage(this.host.self, this.address, body);
    const state = new BehaviorSubject<Delivery>('error' in prepared ? { state: 'failed', error: prepared.error } : { state: 'queued' });
    const { message } = prepared;
    if (!('error' in prepared)) {
      this.outgoing.set(message.id, state);
      this.push({ message, nick: this.status.value.nick ?? this.host.self.local, direction: 'out', delivery: state.value });
      if (this.status.value.state === 'joined') this.transmit(message);
    }
    return { id: message.id, message, state$: state.asObservable() };
  }

  async invite(addresses: readonly AddressLike[], reason?: string): Promise<void> {
    const parsed = addresses.map((a) => parseAddress(a));
    if (parsed.length === 0) return;
    await this.host.command({ type: 'room-invite', room: this.address, addresses: parsed, reason });
  }

  async setSubject(subject: string): Promise<void> {
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(subject)) throw new ImppError('client/invalid-argument', 'A room subject cannot contain control characters.');
    await this.host.command({ type: 'room-subject', room: this.address, subject });
  }

  /**
   * Rejoin after a reconnect. A drop alone changes nothing: XEP-0198 resumption keeps room
   * membership, and after a new session the transport reports occupants leaving and the
   * rejoin (answered at once when still joined) brings everything back without flapping.
   */
  onConnection(online: boolean): void {
    if (online && this.wanted) this.enter().catch(() => undefined); // the failure shows on status$
  }

  onEvent(e: RoomEvent): void {
    switch (e.type) {
      case 'room-state':
        this.setStatus({ state: e.state, nick: e.nick ?? this.status.value.nick, error: e.error });
        return;
      case 'room-occupant': {
        const next = new Map(this.occupants.value);
        if (e.left) next.delete(e.occupant.nick);
        else next.set(e.occupant.nick, e.occupant);
        this.occupants.next(next);
        return;
      }
      case 'room-subject':
        this.subject.next(e.subject);
        return;
      case 'room-message':
        this.onMessage(e.nick, e.message);
        return;
    }
  }

  private async enter(): Promise<void> {
    const joined = this.status.value.state === 'joined';
    if (!joined) this.setStatus({ state: 'joining', nick: this.status.value.nick });
    if (!this.host.online) return; // joins once the connection is back
    try {
      const { nick } = await this.host.command({ type: 'room-join', room: this.address, nick: this.options.nick ?? this.host.self.local, history: this.options.history ?? 20 });
      this.setStatus({ state: 'joined', nick });
      for (const [id, state] of this.outgoing) if (state.value.state === 'queued') this.transmit(this.entryOf(id)!.message);
    } catch (e) {
      const error = ImppError.from(e, 'transport/closed', `Could not join ${this.address.toString()}.`);
      // Interrupted by a dropped link: the next connection retries; anything else failed.
      if (error.code === 'client/disconnected' || error.code === 'transport/closed') return;
      this.setStatus({ state: 'failed', error });
      throw error;
    }
  }

  private onMessage(nick: string, message: InstantMessage): void {
    const mine = this.outgoing.get(message.id);
    if (mine !== undefined && nick === this.status.value.nick) {
      this.advance(message.id, { state: 'delivered' }); // XEP-0045 §7.4: the room reflects our message
      return;
    }
    if (!this.host.dedupe.first(message)) return;
    const ours = nick === this.status.value.nick;
    this.push({ message, nick, direction: ours ? 'out' : 'in', delivery: ours ? { state: 'delivered' } : undefined });
  }

  private transmit(message: InstantMessage): void {
    this.host.command({ type: 'room-send', room: this.address, message }).then(
      () => this.advance(message.id, { state: 'sent' }),
      (e: unknown) => {
        const error = ImppError.from(e, 'transport/closed', 'The group message could not be sent.');
        if (error.code !== 'client/disconnected' && error.code !== 'transport/closed') this.advance(message.id, { state: 'failed', error });
      },
    );
  }

  private advance(id: string, delivery: Delivery): void {
    const state = this.outgoing.get(id);
    if (state === undefined) return;
    const order = ['queued', 'sent', 'delivered', 'read', 'failed'];
    if (order.indexOf(delivery.state) <= order.indexOf(state.value.state)) return;
    state.next(delivery);
    this.entries.next(this.entries.value.map((e) => (e.direction === 'out' && e.message.id === id ? { ...e, delivery } : e)));
  }

  private entryOf(id: string): RoomEntry | undefined {
    return this.entries.value.find((e) => e.message.id === id);
  }

  private push(entry: RoomEntry): void {
    this.entries.next([...this.entries.value, entry]);
  }

  private setStatus(status: RoomStatus): void {
    const now = this.status.value;
    if (now.state !== status.state || now.nick !== status.nick || now.error !== status.error) this.status.next(status);
  }
}

function isRoomEvent(e: TransportEvent): e is RoomEvent {
  return e.type === 'room-state' || e.type === 'room-occupant' || e.type === 'room-message' || e.type === 'room-subject';
}

/** The group sessions of one client: created on first use, fed from its transport. */
class Rooms implements RoomHost {
  readonly self: Address;
  readonly dedupe = new Dedupe();
  readonly rooms = new Map<string, RoomSession>();
  readonly invitations = new Subject<RoomInvitation>();
  online = false;

  constructor(private readonly client: ImppClient) {
    this.self = client.self;
    client.transport.events$.subscribe((e) => {
      if (isRoomEvent(e)) this.rooms.get(bareAddress(e.room).id)?.onEvent(e);
      else if (e.type === 'room-invite') this.invitations.next(e.invitation);
    });
    client.connection$.subscribe(({ state }) => {
      const online = state === 'online';
      if (online === this.online) return;
      this.online = online;
      for (const r of this.rooms.values()) r.onConnection(online);
    });
  }

  async command<C extends TransportCommand>(cmd: C): Promise<CommandResult<C>> {
    if (!this.online) throw new ImppError('client/disconnected', 'Not connected. Wait for connection$ to be online.');
    return this.client.transport.command(cmd);
  }
}

const registry = new WeakMap<ImppClient, Rooms>();

function roomsOf(client: ImppClient): Rooms {
  let rooms = registry.get(client);
  if (rooms === undefined) registry.set(client, (rooms = new Rooms(client)));
  return rooms;
}

/**
 * A group session of `client`, by room name (on the transport's room domain) or full address.
 * One object per room and client.
 *
 * @throws {ImppError} `address/invalid` for an invalid name; `transport/unsupported` when the
 * transport has no group sessions.
 * @example
 * ```ts
 * const session = room(client, 'design-review');
 * await session.join();
 * session.occupants$.subscribe((people) => render(people));
 * ```
 */
export function room(client: ImppClient, nameOrAddress: AddressLike): Room {
  const domain = client.transport.roomDomain;
  if (domain === undefined) throw new ImppError('transport/unsupported', `The ${client.transport.protocol} transport has no group sessions.`);
  const plain = typeof nameOrAddress === 'string' && !nameOrAddress.includes('@') && !nameOrAddress.includes(':');
  const address = bareAddress(parseAddress(plain ? `${nameOrAddress}@${domain}` : nameOrAddress));
  const rooms = roomsOf(client);
  let session = rooms.rooms.get(address.id);
  if (session === undefined) rooms.rooms.set(address.id, (session = new RoomSession(rooms, address)));
  return session;
}

/** Invitations to group sessions received by `client`, as they arrive (hot; no replay). */
export function roomInvitations$(client: ImppClient): Observable<RoomInvitation> {
  return roomsOf(client).invitations.asObservable();
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * The room name for a booking id: deterministic (every attendee's page computes the same name)
 * and safe (only `[a-z0-9-]`, so nothing in the id can reach the room address's syntax).
 * A readable slug of the id plus 100 bits of its SHA-256, so different ids never share a room.
 *
 * @example
 * ```ts
 * await roomNameForBooking('Room 4 / 2026-11-26 10:00'); // 'room-4-2026-11-26-10-00-…'
 * ```
 */
export async function roomNameForBooking(booking: string): Promise<string> {
  if (typeof booking !== 'string' || booking.trim() === '') throw new ImppError('client/invalid-argument', 'A booking id must be a non-empty string.');
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(booking)));
  let bits = 0;
  let value = 0;
  let hash = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && hash.length < 20) {
      hash += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (hash.length === 20) break;
  }
  const slug = booking.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return slug === '' ? `b-${hash}` : `${slug}-${hash}`;
}
