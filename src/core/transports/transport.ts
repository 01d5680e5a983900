/**
 * The transport port: the one small interface every protocol implements (DESIGN.md).
 * A transport pushes protocol-neutral events onto `events$` and carries out commands; it never
 * reaches into the client, and it holds only the state its protocol needs.
 * @module
 */
import type { Observable } from 'rxjs';
import type { Address } from '../address.js';
import type { ImppError } from '../errors.js';
import type { InstantMessage } from '../message.js';
import type { Availability, Presence } from '../presence.js';

/** Connection lifecycle as the client and components see it. */
export type ConnectionState = 'offline' | 'connecting' | 'online' | 'reconnecting' | 'failed';

/** Subscription state between us and a contact (RFC 6121 §2.1.2.5 vocabulary). */
export type Subscription = 'none' | 'to' | 'from' | 'both';

/** One entry of the contact list (roster) as the transport knows it. */
export interface RosterItem {
  readonly address: Address;
  readonly name?: string;
  readonly groups: readonly string[];
  readonly subscription: Subscription;
  /** We asked to see their presence and they have not answered yet. */
  readonly pendingOut?: boolean;
}

/** How a presentity treats one watcher (RFC 2778 §2.4 access rules). */
export type WatcherState = 'pending' | 'approved' | 'denied' | 'blocked';

/** Someone who watches (subscriber) or looked at (fetcher) our presence. */
export interface Watcher {
  readonly address: Address;
  readonly state: WatcherState;
  readonly kind: 'subscriber' | 'fetcher';
  /** Name the watcher gave with a subscription request, if any. Untrusted text. */
  readonly name?: string;
}

/** Protocol-neutral events a transport emits. */
export type TransportEvent =
  | { readonly type: 'connection'; readonly state: ConnectionState; readonly error?: ImppError }
  /** The whole roster, replacing what the client had (after login). */
  | { readonly type: 'roster'; readonly items: readonly RosterItem[] }
  /** One roster change (add or update, or removal). */
  | { readonly type: 'roster-item'; readonly item: RosterItem; readonly removed?: boolean }
  /** The full current presence of one presentity (all its tuples). */
  | { readonly type: 'presence'; readonly presence: Presence }
  /** A watcher appeared or changed state. */
  | { readonly type: 'watcher'; readonly watcher: Watcher }
  | { readonly type: 'watcher-removed'; readonly address: Address }
  /** An inbound instant message (may repeat: the client deduplicates). */
  | { readonly type: 'message'; readonly message: InstantMessage }
  /** Delivery progress of one of our messages (sent by id). */
  | {
      readonly type: 'receipt';
      readonly id: string;
      readonly peer: Address;
      readonly state: 'sent' | 'delivered' | 'read' | 'failed';
      readonly error?: ImppError;
    }
  | { readonly type: 'typing'; readonly from: Address; readonly typing: boolean }
  /** A group session changed state (joined with our final nick, left, or failed). */
  | { readonly type: 'room-state'; readonly room: Address; readonly state: RoomState; readonly nick?: string; readonly error?: ImppError }
  /** A participant joined, changed presence or role, or left (`left: true`). */
  | { readonly type: 'room-occupant'; readonly room: Address; readonly occupant: Occupant; readonly left?: boolean }
  /** A group message (history on join included; `from` is `room/nick`). May repeat. */
  | { readonly type: 'room-message'; readonly room: Address; readonly nick: string; readonly message: InstantMessage }
  | { readonly type: 'room-subject'; readonly room: Address; readonly subject: string; readonly nick?: string }
  /** Someone invited us to a group session (XEP-0249 / in-page). */
  | { readonly type: 'room-invite'; readonly invitation: RoomInvitation }
  /** A non-fatal problem; the client forwards it to `errors$`. */
  | { readonly type: 'error'; readonly error: ImppError };

/** Lifecycle of our membership in a group session. */
export type RoomState = 'idle' | 'joining' | 'joined' | 'left' | 'failed';

/** Roles and affiliations follow XEP-0045 §5 (in-page uses the same vocabulary). */
export type OccupantRole = 'moderator' | 'participant' | 'visitor' | 'none';
export type OccupantAffiliation = 'owner' | 'admin' | 'member' | 'outcast' | 'none';

/** One participant of a group session. */
export interface Occupant {
  /** Nickname in the room (untrusted text). */
  readonly nick: string;
  /** Their real address, when the room reveals it. */
  readonly address?: Address;
  readonly role: OccupantRole;
  readonly affiliation: OccupantAffiliation;
  readonly presence: Presence;
}

/** An invitation to a group session. */
export interface RoomInvitation {
  readonly room: Address;
  readonly from: Address;
  /** Untrusted text. */
  readonly reason?: string;
  readonly password?: string;
}

/** What we publish about ourselves. */
export interface PresenceUpdate {
  readonly availability: Availability;
  readonly note?: string;
}

/** Protocol-neutral commands, with the value each resolves to. */
export interface TransportCommands {
  /** Start receiving presence of `address` (a watch; the client ref-counts these). */
  watch: { args: { address: Address }; result: void };
  unwatch: { args: { address: Address }; result: void };
  /** One-shot fetch (RFC 2778 fetcher): resolves with what we may see. */
  fetch: { args: { address: Address }; result: Presence };
  publish: { args: PresenceUpdate; result: void };
  approve: { args: { address: Address }; result: void };
  deny: { args: { address: Address }; result: void };
  block: { args: { address: Address }; result: void };
  unblock: { args: { address: Address }; result: void };
  'add-buddy': { args: { address: Address; name?: string; groups?: readonly string[] }; result: void };
  'remove-buddy': { args: { address: Address }; result: void };
  /**
   * Hand a message to the wire. Resolves once the service has it; rejects with an ImppError if it
   * cannot be. With `confirmedAt` it is a repeat of a message the service confirmed then and may
   * have lost since (a restart): a transport that knows the service kept it resolves `'kept'`
   * without sending it; one that sent it again resolves `'repeated'` once the service confirmed.
   */
  send: { args: { message: InstantMessage; confirmedAt?: number }; result: void | 'kept' | 'repeated' };
  typing: { args: { to: Address; typing: boolean }; result: void };
  /** Tell the sender we displayed their message (read receipt). */
  'mark-read': { args: { peer: Address; id: string }; result: void };
  /** Older messages with `peer`, newest last; `before` is a message id or serverId. */
  history: { args: { peer: Address; before?: string; max: number }; result: readonly InstantMessage[] };
  /** Join (or create) a group session; resolves with the nick we got (conflicts resolved). */
  'room-join': { args: { room: Address; nick: string; history?: number }; result: { nick: string } };
  'room-leave': { args: { room: Address }; result: void };
  /** Send a group message (`message.to` is the room). Resolves once sent. */
  'room-send': { args: { room: Address; message: InstantMessage }; result: void };
  'room-invite': { args: { room: Address; addresses: readonly Address[]; reason?: string }; result: void };
  'room-subject': { args: { room: Address; subject: string }; result: void };
}

/** A command: `{ type: 'watch', address }` etc. */
export type TransportCommand = {
  [K in keyof TransportCommands]: { readonly type: K } & TransportCommands[K]['args'];
}[keyof TransportCommands];

/** The value a command resolves to. */
export type CommandResult<C extends TransportCommand> = TransportCommands[C['type']]['result'];

/**
 * A protocol binding. `events$` never errors or completes; `command` rejects with an
 * `ImppError` (never anything else). Commands are only sent while connected; a transport
 * rejects them with `client/disconnected` otherwise.
 */
export interface Transport {
  /** The signed-in principal (bare), known before connecting. */
  readonly self: Address;
  /** Short protocol name for diagnostics, e.g. `'in-page'`, `'xmpp'`. */
  readonly protocol: string;
  /** Domain of group sessions (`room@roomDomain`); absent when the transport has no rooms. */
  readonly roomDomain?: string;
  readonly events$: Observable<TransportEvent>;
  /** Connects (or reconnects); resolves when online, rejects with an ImppError. */
  connect(signal?: AbortSignal): Promise<void>;
  /** Closes the session cleanly; idempotent. */
  disconnect(): Promise<void>;
  command<C extends TransportCommand>(cmd: C): Promise<CommandResult<C>>;
}
