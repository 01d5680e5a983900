/**
 * The public shape of an impp-kit client (DESIGN.md "Client API"). Components and tests
 * depend on these interfaces, not on the implementation in `client.ts`.
 * @module
 */
import type { Observable } from 'rxjs';
import type { Address } from './address.js';
import type { ImppError } from './errors.js';
import type { Delivery, InstantMessage } from './message.js';
import type { Presence } from './presence.js';
import type { ConnectionState, Occupant, PresenceUpdate, RoomState, Subscription, Transport, Watcher } from './transports/transport.js';

/** Anything that names a principal: an {@link Address} or a string {@link parseAddress} accepts. */
export type AddressLike = Address | string;

/** The connection as the UI shows it. */
export interface ConnectionStatus {
  readonly state: ConnectionState;
  /** Why the connection failed or is reconnecting. */
  readonly error?: ImppError;
}

/** A contact in the buddy list, with its live presence. */
export interface Buddy {
  readonly address: Address;
  /** Display name (untrusted text), when the roster has one. */
  readonly name?: string;
  readonly groups: readonly string[];
  readonly subscription: Subscription;
  /** We asked to see their presence; they have not answered. */
  readonly pendingOut: boolean;
  readonly presence: Presence;
}

/** A message we sent, with its live delivery state. */
export interface OutgoingMessage {
  readonly id: string;
  readonly message: InstantMessage;
  /** queued → sent → delivered → read, or failed with `error`. Replays the latest state. */
  readonly state$: Observable<Delivery>;
}

/** One line of a conversation. */
export interface ConversationEntry {
  readonly message: InstantMessage;
  readonly direction: 'in' | 'out';
  /** Delivery state of an outgoing message; undefined for inbound ones. */
  readonly delivery?: Delivery;
}

/** A one-to-one conversation (RFC 2778 instant inbox seen per peer). */
export interface Conversation {
  readonly peer: Address;
  /** Every message with the peer, oldest first. Replays to late subscribers. */
  readonly messages$: Observable<readonly ConversationEntry[]>;
  /** True while the peer is typing. */
  readonly typing$: Observable<boolean>;
  send(body: string): OutgoingMessage;
  /** Tell the peer we are (not) typing; repeated calls with the same value send nothing. */
  setTyping(typing: boolean): void;
  /** Mark every inbound message as read (sends read receipts; clears the unread count). */
  markRead(): void;
  /** Send a failed message again with the same id (receivers deduplicate). No-op otherwise. */
  retry(id: string): void;
  /** Load older messages from the server archive; resolves with how many were added. */
  loadOlder(max?: number): Promise<number>;
}

/** Our membership of a group session. */
export interface RoomStatus {
  readonly state: RoomState;
  /** The nick we joined with (a conflict may have changed it). */
  readonly nick?: string;
  readonly error?: ImppError;
}

/** One message of a group session. */
export interface RoomEntry {
  readonly message: InstantMessage;
  /** The sender's nick in the room (untrusted text). */
  readonly nick: string;
  readonly direction: 'in' | 'out';
  /** For our messages: queued → sent → delivered (the room reflected it back) or failed. */
  readonly delivery?: Delivery;
}

/** Options of {@link Room.join}. */
export interface JoinOptions {
  /** Nick to ask for; defaults to our local part. A taken nick gets a suffix. */
  readonly nick?: string;
  /** How many past messages the room should send on join (default 20). */
  readonly history?: number;
}

/**
 * A group session (chat room): participants with presence and roles, messages, subject and
 * invitations. XMPP maps it to XEP-0045 multi-user chat; the in-page service implements it
 * itself. Streams replay their latest value and never error or complete.
 *
 * @example
 * ```ts
 * import { room, roomNameForBooking } from 'impp-kit';
 * const session = room(client, await roomNameForBooking('booking-4711'));
 * await session.join({ nick: 'Alice' });
 * await session.invite(['bob@example.com', 'carol@example.com'], 'Design review at 10:00');
 * session.send('Hello both!');
 * ```
 */
export interface Room {
  readonly address: Address;
  readonly status$: Observable<RoomStatus>;
  readonly occupants$: Observable<readonly Occupant[]>;
  readonly messages$: Observable<readonly RoomEntry[]>;
  /** The room subject ('' when none). */
  readonly subject$: Observable<string>;
  /** Joins (creating the room if needed); rejoins by itself after a reconnect until `leave()`. */
  join(options?: JoinOptions): Promise<void>;
  leave(): Promise<void>;
  /** Sends to everyone in the room; queued until joined. */
  send(body: string): OutgoingMessage;
  invite(addresses: readonly AddressLike[], reason?: string): Promise<void>;
  setSubject(subject: string): Promise<void>;
}

/** Options of {@link ImppClient.addBuddy}. */
export interface AddBuddyOptions {
  readonly name?: string;
  readonly groups?: readonly string[];
}

/**
 * An IMPP client: presence, watchers and instant messages of one signed-in principal.
 * Every stream replays its latest value and never errors or completes; problems go to
 * `errors$`. Methods never throw for bad input: they report it and reject or fail.
 */
export interface ImppClient {
  /** The signed-in principal. */
  readonly self: Address;
  /** The protocol binding this client runs on (for extensions such as {@link room}). */
  readonly transport: Transport;
  readonly connection$: Observable<ConnectionStatus>;
  /** The contact list with live presence, in roster order. */
  readonly buddies$: Observable<readonly Buddy[]>;
  /** Our own published presence (as our watchers see it). */
  readonly selfPresence$: Observable<Presence>;
  /** Live presence of any presentity; ref-counted: N subscribers share one watch. */
  presence$(address: AddressLike): Observable<Presence>;
  /** One-shot fetch (RFC 2778 fetcher): no subscription is kept. */
  fetchPresence(address: AddressLike): Promise<Presence>;
  setPresence(update: PresenceUpdate): Promise<void>;
  /** Who watches (or fetched) our presence, and their state. */
  readonly watchers$: Observable<readonly Watcher[]>;
  approve(address: AddressLike): Promise<void>;
  deny(address: AddressLike): Promise<void>;
  /** Polite block: the watcher sees us exactly as offline; their messages are dropped. */
  block(address: AddressLike): Promise<void>;
  unblock(address: AddressLike): Promise<void>;
  addBuddy(address: AddressLike, options?: AddBuddyOptions): Promise<void>;
  removeBuddy(address: AddressLike): Promise<void>;
  /** Every inbound message, exactly once (deduplicated). Hot: no replay. */
  readonly inbox$: Observable<InstantMessage>;
  /** Unread inbound message counts per peer (`Address.id` → count). */
  readonly unread$: Observable<ReadonlyMap<string, number>>;
  /**
   * The conversation with a peer (one object per peer).
   * @throws {ImppError} `address/invalid` for an invalid address (check with `tryParseAddress`).
   */
  conversation(address: AddressLike): Conversation;

  send(address: AddressLike, body: string): OutgoingMessage;
  readonly errors$: Observable<ImppError>;
  /** Connects (createClient connects automatically unless `autoConnect: false`). */
  connect(): Promise<void>;
  disconnect(): Promise<void>;
}
