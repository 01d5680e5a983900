/**
 * impp-kit components: Lit web components over an {@link ImppClient}. Importing this module
 * registers nothing; call {@link defineAll} (or import `define-all.js`) to register the tags.
 * @module
 */
import { ImppBuddyList } from './buddy-list/impp-buddy-list.js';
import { ImppChat } from './chat/impp-chat.js';
import { ImppClientElement } from './client/impp-client.js';
import { defineElement } from './define.js';
import { ImppPresence } from './presence/impp-presence.js';
import { ImppSession } from './session/impp-session.js';
import { ImppSignIn } from './sign-in/impp-sign-in.js';
import { ImppStatus } from './status/impp-status.js';

export { ImppBuddyList } from './buddy-list/impp-buddy-list.js';
export { ImppChat } from './chat/impp-chat.js';
export { ImppClientElement } from './client/impp-client.js';
export { ImppStatus } from './status/impp-status.js';
export { ImppPresence } from './presence/impp-presence.js';
export { ImppSession } from './session/impp-session.js';
export { ImppSignIn } from './sign-in/impp-sign-in.js';
export type { SignInStrings } from './sign-in/sign-in.strings.js';
export type { PresenceStrings } from './presence/presence.strings.js';
export type { SessionStrings } from './session/session.strings.js';
export { ImppElement } from './impp-element.js';
export type { ImppTheme } from './impp-element.js';
export { registerTransportLoader, transportLoader, transportNames } from './client/transport-loaders.js';
export type { TransportLoader, TransportLoaderContext } from './client/transport-loaders.js';
export { clientContext } from './context.js';
export { ClientController } from './client-controller.js';
export type { ClientBinder, ClientHost } from './client-controller.js';
export { ObserveController } from './observe.js';
export { defineElement } from './define.js';
export { emit } from './emit.js';
export type {
  ImppBuddyAddDetail,
  ImppEventMap,
  ImppPresenceActionDetail,
  ImppSelectDetail,
  ImppSendDetail,
  ImppSessionLeaveDetail,
  ImppSessionStartDetail,
  ImppSignInDetail,
  ImppStatusChangeDetail,
  ImppWatcherDecisionDetail,
} from './events.js';
export { defaultStrings, resetStrings, setStrings, strings } from './strings.js';
export type { AllStrings, ImppStrings, ImppStringsOverride } from './strings.js';
export { themeStyles } from './theme.styles.js';

/** Tag names of the impp-kit elements. */
export const TAGS = {
  client: 'impp-client',
  status: 'impp-status',
  buddyList: 'impp-buddy-list',
  chat: 'impp-chat',
  presence: 'impp-presence',
  session: 'impp-session',
  signIn: 'impp-sign-in',
} as const;

/**
 * Registers every impp-kit element (safe to call twice). `<impp-client>` goes first, so the
 * components already in the page find their provider when they upgrade.
 *
 * @example
 * ```ts
 * import { defineAll } from 'impp-kit/components';
 * defineAll();
 * ```
 */
export function defineAll(): void {
  defineElement(TAGS.client, ImppClientElement);
  defineElement(TAGS.status, ImppStatus);
  defineElement(TAGS.buddyList, ImppBuddyList);
  defineElement(TAGS.chat, ImppChat);
  defineElement(TAGS.presence, ImppPresence);
  defineElement(TAGS.session, ImppSession);
  defineElement(TAGS.signIn, ImppSignIn);
}

declare global {
  interface HTMLElementTagNameMap {
    'impp-client': ImppClientElement;
    'impp-status': ImppStatus;
    'impp-buddy-list': ImppBuddyList;
    'impp-chat': ImppChat;
    'impp-presence': ImppPresence;
    'impp-session': ImppSession;
    'impp-sign-in': ImppSignIn;
  }
}
