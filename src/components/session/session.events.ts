/**
 * Events of `<impp-session>`, added to the shared {@link ImppEventMap} by declaration merging
 * (so the shared typed `emit()` accepts them) until they are merged into `../events.ts`.
 * @module
 */
import type { Address } from '../../core/index.js';

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

declare module '../events.js' {
  interface ImppEventMap {
    /** The user started (joined) the group session of a booking. */
    'impp-session-start': CustomEvent<ImppSessionStartDetail>;
    /** The user left the group session. */
    'impp-session-leave': CustomEvent<ImppSessionLeaveDetail>;
  }
}
