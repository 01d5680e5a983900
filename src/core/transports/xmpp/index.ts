// XMPP transport entry point (subpath export): RFC 6120/6121 over RFC 7395 WebSocket.
import { parseAddress, withScheme } from '../../address.js';
import type { Transport } from '../transport.js';
import { bareJid } from './jid.js';
import { createSession, type SessionOptions } from './session.js';
import { xmppTransport, type XmppTransportOptions } from './transport.js';

export { xmppTransport, type SessionPort, type XmppTransportOptions } from './transport.js';

/** Options of {@link xmppWebSocket}: the session's, plus this device's presence priority and the MUC service. */
export type XmppWebSocketOptions = SessionOptions & XmppTransportOptions;

/**
 * An XMPP transport over WebSocket (RFC 7395): SCRAM-SHA-1 (PLAIN only with `allowPlain`),
 * XEP-0198 resumption, roster, subscriptions, presence, messages with XEP-0184/0333 receipts,
 * XEP-0085 chat states, XEP-0280 carbons, XEP-0313 history, XEP-0191 blocking and group sessions
 * (XEP-0045 rooms on `mucService`, XEP-0249 invitations).
 *
 * @example
 * ```ts
 * const client = createClient({
 *   transport: xmppWebSocket({ service: 'wss://example.com/xmpp-websocket', jid: 'alice@example.com', password }),
 * });
 * ```
 */
export function xmppWebSocket(options: XmppWebSocketOptions): Transport {
  const self = bareJid(withScheme(parseAddress(options.jid), 'xmpp'));
  const { priority, mucService, ...session } = options;
  return xmppTransport(createSession(session), self, {
    ...(priority === undefined ? {} : { priority }),
    ...(mucService === undefined ? {} : { mucService }),
  });
}
