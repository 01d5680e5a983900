// XEP-0203: Delayed Delivery — https://xmpp.org/extensions/xep-0203.html
import { child, type XmlElement } from '../../codecs/xml.js';
import { parseDateTime } from '../../codecs/datetime.js';

export const DELAY_NS = 'urn:xmpp:delay';

/** The `<delay stamp>` (XEP-0082 DateTime) in ms; `undefined` when absent or unusable (#12). */
export function readDelay(stanza: XmlElement, now = Date.now()): number | undefined {
  const stamp = child(stanza, 'delay', DELAY_NS)?.attrs['stamp'];
  return stamp === undefined ? undefined : parseDateTime(stamp, { now });
}
