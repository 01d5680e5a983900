// XEP-0280: Message Carbons — https://xmpp.org/extensions/xep-0280.html
// A carbon counts only when the outer `from` is our own bare JID (§11, CVE-2017-5858, #34).
import { child, el, type XmlElement } from '../../codecs/xml.js';
import { newMessageId } from '../../message.js';
import type { TransportEvent } from '../transport.js';
import { bareJid, fromOwnAccount } from './jid.js';
import type { StanzaLink } from './link.js';
import { readMessage } from './messages.js';

export const CARBONS_NS = 'urn:xmpp:carbons:2';
export const FORWARD_NS = 'urn:xmpp:forward:0';

/** The message inside `<wrapper><forwarded>` (XEP-0297), if any. */
export function forwardedMessage(wrapper: XmlElement): XmlElement | undefined {
  const fwd = child(wrapper, 'forwarded', FORWARD_NS);
  return fwd && child(fwd, 'message');
}

/** Carbon copies → `message` events (sent ones from us); enables carbons. */
export function carbons(link: StanzaLink, emit: (e: TransportEvent) => void) {
  const sub = link.stanza$.subscribe((m) => {
    if (m.local !== 'message') return;
    const wrapper = child(m, 'received', CARBONS_NS) ?? child(m, 'sent', CARBONS_NS);
    if (wrapper === undefined || !m.attrs['from'] || !fromOwnAccount(m, link.jid)) return; // #34
    const inner = forwardedMessage(wrapper);
    if (inner === undefined) return;
    const self = bareJid(link.jid);
    const message = readMessage(inner, { self });
    // §6: `sent` = our other device's outbound message (from us); `received` = inbound copy.
    if (message === undefined) return;
    if (wrapper.local === 'sent' ? message.from.id !== self.id : message.to.id !== self.id) return;
    emit({ type: 'message', message });
  });
  return {
    /** §4: enables carbons for this session. */
    enable: async (): Promise<void> =>
      void (await link.iq(el('iq', { type: 'set', id: newMessageId() }, el('enable', { xmlns: CARBONS_NS })))),
    dispose: (): void => sub.unsubscribe(),
  };
}
