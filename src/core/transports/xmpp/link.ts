// The seam inside the XMPP transport: the session layer (RFC 7395 framing, RFC 6120 SASL and
// binding, XEP-0198) offers a StanzaLink; protocol modules (roster, presence, messages, …)
// consume it and emit protocol-neutral TransportEvents. Modules never touch the socket.
import type { Observable } from 'rxjs';
import type { Address } from '../../address.js';
import type { XmlElement } from '../../codecs/xml.js';

/** What protocol modules see of an established XMPP session. */
export interface StanzaLink {
  /** Our full bound JID (`xmpp:` address with resource). */
  readonly jid: Address;
  /** Inbound top-level stanzas (`message`, `presence`, `iq`), already parsed and size-checked. */
  readonly stanza$: Observable<XmlElement>;
  /** Sends a stanza (queued, counted by stream management when enabled). */
  send(stanza: XmlElement): void;
  /**
   * Sends an IQ get/set and resolves with the matching result. Matches on `id` AND on `from`
   * being the request's `to` (or our bare JID / no `from` when `to` was absent), per BAD-INPUTS.
   * Rejects with ImppError on `type="error"` or timeout.
   */
  iq(stanza: XmlElement, timeoutMs?: number): Promise<XmlElement>;
}
