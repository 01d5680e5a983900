// RFC 7622: XMPP addresses (JIDs) — https://www.rfc-editor.org/rfc/rfc7622
// Wire JIDs ↔ impp-kit `xmpp:` Addresses, and the `from` checks of RFC 6120 §8.1.2.1.
import { bareAddress, parseAddress, tryParseAddress, withScheme, type Address } from '../../address.js';
import type { XmlElement } from '../../codecs/xml.js';

/** Parses a wire JID (`local@domain/resource`, never %-decoded) into an `xmpp:` Address. */
export function parseJid(text: string | undefined): Address | undefined {
  if (text === undefined || text === '' || /^[a-z][a-z0-9+.-]*:/i.test(text.split(/[@/]/)[0] ?? '')) return undefined;
  const a = tryParseAddress(text);
  return a === undefined ? undefined : withScheme(a, 'xmpp');
}

/** The wire form of an address: `local@domain[/resource]`. */
export function jidString(a: Address): string {
  return a.resource === undefined ? a.id : `${a.id}/${a.resource}`;
}

/** The bare `xmpp:` address of any address (`pres:`, `im:`, full JID …). */
export function bareJid(a: Address | string): Address {
  return bareAddress(withScheme(parseAddress(a), 'xmpp'));
}

/** The stanza's `from` as an Address; `undefined` when absent or not a valid JID. */
export function stanzaFrom(stanza: XmlElement): Address | undefined {
  return parseJid(stanza.attrs['from']);
}

/**
 * RFC 6120 §8.1.2.1: no `from` means our own account. True when `from` is absent or is exactly
 * our bare JID (no resource) — the test for roster pushes, carbons and MAM results (#33, #34).
 */
export function fromOwnAccount(stanza: XmlElement, self: Address): boolean {
  const raw = stanza.attrs['from'];
  if (raw === undefined) return true;
  const from = parseJid(raw);
  return from !== undefined && from.resource === undefined && from.id === self.id;
}
