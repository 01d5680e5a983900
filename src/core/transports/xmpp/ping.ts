// XEP-0199: XMPP Ping — https://xmpp.org/extensions/xep-0199.html
import { IqErrorReply, onIq } from './iq.js';
import type { StanzaLink } from './link.js';

export const PING_NS = 'urn:xmpp:ping';

/** §4.1: answers a ping (from the server or a peer) with an empty result. */
export function ping(link: StanzaLink): { dispose(): void } {
  return onIq(link, PING_NS, (iq) => {
    if (iq.attrs['type'] !== 'get') throw new IqErrorReply('service-unavailable');
    return undefined;
  });
}
