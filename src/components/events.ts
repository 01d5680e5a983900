/**
 * The `impp-*` events components dispatch (bubbling, composed), with their detail types.
 * Every event is emitted on a user action only, never because a stream changed.
 * @module
 */
import type { Address, Availability } from '../core/index.js';

/** `impp-status-change`: the user picked an availability or committed a note. */
export interface ImppStatusChangeDetail {
  readonly availability: Availability;
  readonly note: string;
}

/** `impp-select`: the user chose a contact (click or Enter). */
export interface ImppSelectDetail {
  readonly address: Address;
}

/** `impp-send`: the user sent a message (Enter, the Send button or Retry). */
export interface ImppSendDetail {
  readonly peer: Address;
  /** Id of the outgoing message (the same id again for a retry when the client can resend). */
  readonly id: string;
  readonly body: string;
  readonly retry: boolean;
}

/** `impp-buddy-add`: the user added a contact through the add-contact form. */
export interface ImppBuddyAddDetail {
  readonly address: Address;
  readonly name?: string;
}

/** `impp-watcher-decision`: the user answered a subscription request. */
export interface ImppWatcherDecisionDetail {
  readonly address: Address;
  readonly decision: 'approve' | 'deny' | 'block';
}

/** `impp-chat-request` / `impp-session-request`: the user asked to talk to this presentity. */
export interface ImppPresenceActionDetail {
  /** The (bare) address of the badge. */
  readonly address: Address;
}

/** `impp-session-start`: the user pressed "Start session" and the room was joined. */
export interface ImppSessionStartDetail {
  /** The booking id, as given in the `booking` attribute. */
  readonly booking: string;
  /** The room the booking maps to (`roomNameForBooking`). */
  readonly room: Address;
  /** The participants invited by this start (those not already in the room). */
  readonly invited: readonly Address[];
}

/** `impp-session-leave`: the user pressed "Leave". */
export interface ImppSessionLeaveDetail {
  readonly booking: string;
  readonly room: Address;
}

/** `impp-sign-in`: the user submitted the sign-in form. The password lives only in this event. */
export interface ImppSignInDetail {
  readonly jid: string;
  readonly password: string;
}

/** Every `impp-*` event by type. */
export interface ImppEventMap {
  'impp-status-change': CustomEvent<ImppStatusChangeDetail>;
  'impp-select': CustomEvent<ImppSelectDetail>;
  'impp-send': CustomEvent<ImppSendDetail>;
  'impp-buddy-add': CustomEvent<ImppBuddyAddDetail>;
  'impp-watcher-decision': CustomEvent<ImppWatcherDecisionDetail>;
  /** The user pressed "Chat" on a presence card. */
  'impp-chat-request': CustomEvent<ImppPresenceActionDetail>;
  /** The user pressed "Start session" on a presence card. */
  'impp-session-request': CustomEvent<ImppPresenceActionDetail>;
  /** The user started (joined) the group session of a booking. */
  'impp-session-start': CustomEvent<ImppSessionStartDetail>;
  /** The user left the group session. */
  'impp-session-leave': CustomEvent<ImppSessionLeaveDetail>;
  /** The user submitted the sign-in form. */
  'impp-sign-in': CustomEvent<ImppSignInDetail>;
}

declare global {
  // Typed `addEventListener('impp-select', e => e.detail.address)` on any element.
  interface GlobalEventHandlersEventMap extends ImppEventMap {}
}
