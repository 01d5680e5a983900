/**
 * impp-kit core: the protocol-neutral IMPP model (RFC 2778/2779) — client, presence,
 * messages, addresses and errors. Transports and codecs have their own entry points.
 * @module
 */
export { createClient } from './client.js';
export type { ClientOptions } from './client.js';
export type {
  AddBuddyOptions,
  AddressLike,
  Buddy,
  ConnectionStatus,
  Conversation,
  ConversationEntry,
  ImppClient,
  JoinOptions,
  OutgoingMessage,
  Room,
  RoomEntry,
  RoomStatus,
} from './client-api.js';
export { room, roomInvitations$, roomNameForBooking } from './rooms.js';
export { parseAddress, tryParseAddress, sameAddress, samePrincipal, bareAddress, withScheme } from './address.js';
export type { Address, AddressScheme } from './address.js';
export { ImppError, CodecError, TransportError } from './errors.js';
export type { ImppErrorCode, ImppErrorOptions } from './errors.js';
export {
  AVAILABILITIES,
  aggregateAvailability,
  leadingTuple,
  makePresence,
  offlinePresence,
  unknownPresence,
  presenceNote,
} from './presence.js';
export type { Availability, BasicStatus, Note, Presence, Tuple } from './presence.js';
export { MAX_BODY_BYTES, isProgress, newMessageId } from './message.js';
export type { Delivery, DeliveryState, InstantMessage } from './message.js';
export type {
  CommandResult,
  ConnectionState,
  Occupant,
  OccupantAffiliation,
  OccupantRole,
  PresenceUpdate,
  RoomInvitation,
  RoomState,
  RosterItem,
  Subscription,
  Transport,
  TransportCommand,
  TransportCommands,
  TransportEvent,
  Watcher,
  WatcherState,
} from './transports/transport.js';
