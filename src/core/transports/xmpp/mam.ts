// XEP-0313: Message Archive Management — https://xmpp.org/extensions/xep-0313.html
// XEP-0059: Result Set Management — https://xmpp.org/extensions/xep-0059.html
// Results count only for a queryid we issued and from our own archive (#34).
import type { Address } from '../../address.js';
import { child, el, textOf, type XmlElement } from '../../codecs/xml.js';
import { ImppError } from '../../errors.js';
import { newMessageId, type InstantMessage } from '../../message.js';
import { forwardedMessage } from './carbons.js';
import { readDelay } from './delay.js';
import { bareJid, fromOwnAccount, jidString } from './jid.js';
import type { StanzaLink } from './link.js';
import { readMessage } from './messages.js';

export const MAM_NS = 'urn:xmpp:mam:2';
const RSM_NS = 'http://jabber.org/protocol/rsm';
const MAX_PAGE = 250;

const field = (v: string, value: string) => el('field', { var: v }, el('value', {}, value));

/** §4: the query form: messages with `peer`, the page before `before` (RSM §2.5). */
export function mamQuery(queryid: string, peer: Address, max: number, before?: string): XmlElement {
  return el('iq', { type: 'set', id: newMessageId() },
    el('query', { xmlns: MAM_NS, queryid },
      el('x', { xmlns: 'jabber:x:data', type: 'submit' },
        el('field', { var: 'FORM_TYPE', type: 'hidden' }, el('value', {}, MAM_NS)),
        field('with', jidString(bareJid(peer)))),
      el('set', { xmlns: RSM_NS }, el('max', {}, String(max)), el('before', {}, ...(before ? [before] : [])))));
}

/** History queries; results are collected per queryid and returned, never emitted live. */
export function mam(link: StanzaLink) {
  const pending = new Map<string, InstantMessage[]>();
  const sub = link.stanza$.subscribe((m) => {
    const result = m.local === 'message' ? child(m, 'result', MAM_NS) : undefined;
    const page = result && pending.get(result.attrs['queryid'] ?? '');
    if (page === undefined || !fromOwnAccount(m, link.jid)) return; // #34
    const fwd = child(result!, 'forwarded', 'urn:xmpp:forward:0');
    const inner = forwardedMessage(result!);
    const serverId = result!.attrs['id'];
    if (!fwd || !inner || !serverId) return;
    const timestamp = readDelay(fwd);
    const msg = readMessage(inner, { self: bareJid(link.jid), serverId, ...(timestamp ? { timestamp } : {}) });
    if (msg) page.push(msg);
  });

  return {
    /**
     * §4 + RSM: up to `max` messages with `peer` before archive id `before`, oldest first.
     * Archives also keep body-less stanzas (receipts, markers), so pages are fetched until
     * `max` messages are found, the archive is exhausted (§4.3 `complete`) or 8 pages were read.
     */
    async history(peer: Address, max: number, before?: string): Promise<readonly InstantMessage[]> {
      const want = Math.max(1, Math.min(MAX_PAGE, Math.floor(max)));
      let found: InstantMessage[] = [];
      let cursor = before;
      for (let pages = 0; found.length < want && pages < 8; pages++) {
        const queryid = newMessageId();
        const page: InstantMessage[] = [];
        pending.set(queryid, page);
        try {
          const fin = child(await link.iq(mamQuery(queryid, peer, want, cursor)), 'fin', MAM_NS);
          found = [...page, ...found];
          const first = fin && child(child(fin, 'set', RSM_NS) ?? fin, 'first', RSM_NS);
          if (!fin || fin.attrs['complete'] === 'true' || !first || textOf(first) === '') break;
          cursor = textOf(first);
        } catch (e) {
          // RSM §2.6: an unknown `before` id is item-not-found: there is nothing older we can name.
          if ((e as { condition?: string } | undefined)?.condition === 'item-not-found') break;
          throw ImppError.from(e, 'transport/unsupported', 'The server refused the archive query (XEP-0313).');
        } finally {
          pending.delete(queryid);
        }
      }
      return found.slice(-want);
    },
    dispose: (): void => sub.unsubscribe(),
  };
}
