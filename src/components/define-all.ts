/**
 * Side-effect module (`impp-kit/define`, and what the CDN file runs): registers
 * `<impp-client>`, `<impp-status>`, `<impp-buddy-list>` and `<impp-chat>` at once, and
 * `<impp-presence>`, `<impp-session>` and `<impp-sign-in>` on first use — their code is a
 * separate chunk fetched when the first such element is attached to the document (see
 * {@link defineOnUse}), so a chat page does not download the portal badges. To register
 * everything at once instead, call `defineAll()` from `impp-kit/components`.
 *
 * @example
 * ```html
 * <script type="module" src="impp-kit/define"></script>
 * <impp-client transport="in-page" user="alice"><impp-status></impp-status></impp-client>
 * ```
 * @module
 */
import { ImppBuddyList } from './buddy-list/impp-buddy-list.js';
import { ImppChat } from './chat/impp-chat.js';
import { ImppClientElement } from './client/impp-client.js';
import { defineElement } from './define.js';
import { defineOnUse } from './define-on-use.js';
import { ImppStatus } from './status/impp-status.js';

// <impp-client> first, so the components already in the page find their provider on upgrade.
defineElement('impp-client', ImppClientElement);
defineElement('impp-status', ImppStatus);
defineElement('impp-buddy-list', ImppBuddyList);
defineElement('impp-chat', ImppChat);
defineOnUse({
  'impp-presence': () => import('./presence/define.js'),
  'impp-session': () => import('./session/define.js'),
  'impp-sign-in': () => import('./sign-in/define.js'),
});
