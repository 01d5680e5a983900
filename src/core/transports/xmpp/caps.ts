// XEP-0115: Entity Capabilities — https://xmpp.org/extensions/xep-0115.html
// A hash of our disco#info in every presence lets servers (PEP) and peers cache it instead of
// asking each session (§1.2).
import { el, type XmlElement } from '../../codecs/xml.js';
import { FEATURES, IDENTITY } from './disco.js';

export const CAPS_NS = 'http://jabber.org/protocol/caps';
/** §4: a URI naming the software. */
export const CAPS_NODE = 'https://www.npmjs.com/package/impp-kit';

/** §5.1 verification string: identities then features, each sorted and `<`-terminated, SHA-1, base64. */
export async function capsVer(
  identities: readonly { category: string; type: string; lang?: string; name?: string }[],
  features: readonly string[],
): Promise<string> {
  const ids = identities.map((i) => `${i.category}/${i.type}/${i.lang ?? ''}/${i.name ?? ''}`).sort();
  const s = [...ids, ...[...new Set(features)].sort()].map((x) => `${x}<`).join('');
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(s)));
  return btoa(String.fromCharCode(...digest));
}

/** The `<c/>` element for our presence, or `undefined` where WebCrypto is unavailable. */
export async function capsElement(): Promise<XmlElement | undefined> {
  try {
    const ver = await capsVer([IDENTITY], FEATURES);
    return el('c', { xmlns: CAPS_NS, hash: 'sha-1', node: CAPS_NODE, ver });
  } catch {
    return undefined; // e.g. an insecure context without crypto.subtle: caps are optional
  }
}
