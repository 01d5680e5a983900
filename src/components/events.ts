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

/** Every `impp-*` event by type. */
export interface ImppEventMap {
  'impp-status-change': CustomEvent<ImppStatusChangeDetail>;
  'impp-select': CustomEvent<ImppSelectDetail>;
  'impp-send': CustomEvent<ImppSendDetail>;
  'impp-buddy-add': CustomEvent<ImppBuddyAddDetail>;
  'impp-watcher-decision': CustomEvent<ImppWatcherDecisionDetail>;
}

declare global {
  // Typed `addEventListener('impp-select', e => e.detail.address)` on any element.
  interface GlobalEventHandlersEventMap extends ImppEventMap {}
}
