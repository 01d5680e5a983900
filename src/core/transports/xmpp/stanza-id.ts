// XEP-0359: Unique and Stable Stanza IDs — https://xmpp.org/extensions/xep-0359.html
import type { Address } from '../../address.js';
import { child, childrenOf, el, type XmlElement } from '../../codecs/xml.js';
import { parseJid } from './jid.js';

export const SID_NS = 'urn:xmpp:sid:0';

/** §3.3 `<origin-id>`: our message id, kept by every copy of the message. */
export function originId(id: string): XmlElement {
  return el('origin-id', { xmlns: SID_NS, id });
}

/** The sender's `<origin-id id>`, if any. */
export function readOriginId(message: XmlElement): string | undefined {
  return child(message, 'origin-id', SID_NS)?.attrs['id'] || undefined;
}

/**
 * §3.1 `<stanza-id>` assigned by our own archive (`by` = our bare JID), else `undefined`:
 * one set by anyone else is forgeable and never trusted (BAD-INPUTS spoofing rules).
 */
export function trustedStanzaId(message: XmlElement, self: Address): string | undefined {
  for (const s of childrenOf(message, 'stanza-id', SID_NS)) {
    const by = parseJid(s.attrs['by']);
    if (by !== undefined && by.resource === undefined && by.id === self.id && s.attrs['id']) return s.attrs['id'];
  }
  return undefined;
}
