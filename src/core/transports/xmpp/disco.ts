// XEP-0030: Service Discovery (disco#info) — https://xmpp.org/extensions/xep-0030.html
// Answered inline from a constant list: Prosody's PEP asks every contact at login (§3.1).
import { el } from '../../codecs/xml.js';
import { IqErrorReply, onIq, payload } from './iq.js';
import type { StanzaLink } from './link.js';

export const DISCO_INFO_NS = 'http://jabber.org/protocol/disco#info';

/** Who we are (§3.1 identity; category/type from the XMPP registry). */
export const IDENTITY = { category: 'client', type: 'web', name: 'impp-kit' } as const;

/** What we implement, advertised so peers send receipts, markers and chat states. */
export const FEATURES: readonly string[] = [
  'http://jabber.org/protocol/caps',
  DISCO_INFO_NS,
  'http://jabber.org/protocol/chatstates',
  'http://jabber.org/protocol/muc',
  'jabber:x:conference', // XEP-0249 §4: we accept direct invitations
  'urn:xmpp:chat-markers:0',
  'urn:xmpp:ping',
  'urn:xmpp:receipts',
  'urn:xmpp:sid:0',
];

/** Answers disco#info queries with {@link FEATURES}. */
export function disco(link: StanzaLink): { dispose(): void } {
  return onIq(link, DISCO_INFO_NS, (iq) => {
    const q = payload(iq);
    if (iq.attrs['type'] !== 'get' || q?.local !== 'query') throw new IqErrorReply('service-unavailable');
    const node = q.attrs['node'];
    return el('query', { xmlns: DISCO_INFO_NS, node },
      el('identity', { ...IDENTITY }),
      ...FEATURES.map((f) => el('feature', { var: f })));
  });
}
