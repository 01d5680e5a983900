/**
 * Events of `<impp-presence>`, added to the shared {@link ImppEventMap} by declaration merging
 * (so the shared typed `emit()` accepts them) until they are merged into `../events.ts`.
 * @module
 */
import type { Address } from '../../core/index.js';

/** `impp-chat-request` / `impp-session-request`: the user asked to talk to this presentity. */
export interface ImppPresenceActionDetail {
  /** The (bare) address of the badge. */
  readonly address: Address;
}

declare module '../events.js' {
  interface ImppEventMap {
    /** The user pressed "Chat" on a presence card. */
    'impp-chat-request': CustomEvent<ImppPresenceActionDetail>;
    /** The user pressed "Start session" on a presence card. */
    'impp-session-request': CustomEvent<ImppPresenceActionDetail>;
  }
}
