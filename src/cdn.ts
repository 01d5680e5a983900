/**
 * The CDN entry (`dist/impp-kit.min.js`): one `<script type="module">` defines every element
 * and gives scripts the in-page API. The XMPP transport is not in this file: it is a separate
 * chunk fetched on first {@link loadXmpp} call, so pages that only use the in-page service
 * never download it.
 *
 * @example
 * ```html
 * <script type="module" src="https://unpkg.com/impp-kit/dist/impp-kit.min.js"></script>
 * <impp-client transport="in-page" user="alice"><impp-buddy-list></impp-buddy-list></impp-client>
 * ```
 * @module
 */
import './components/define-all.js';

export { createClient } from './index.js';
export { inPage } from './core/transports/in-page/index.js';
/** Translate or reword the UI: one table for every element (see `setStrings` in `impp-kit/components`). */
export { setStrings } from './components/strings.js';

/**
 * Loads the XMPP transport chunk.
 *
 * @example
 * ```js
 * import { createClient, loadXmpp } from 'https://unpkg.com/impp-kit/dist/impp-kit.min.js';
 * const { xmppWebSocket } = await loadXmpp();
 * const client = createClient({ transport: xmppWebSocket({ service: 'wss://example.com/ws', jid: 'alice@example.com', password }) });
 * ```
 */
export function loadXmpp(): Promise<typeof import('./core/transports/xmpp/index.js')> {
  return import('./core/transports/xmpp/index.js');
}
