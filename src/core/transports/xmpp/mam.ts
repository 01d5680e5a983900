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

/** One archive query: optional `with` filter and an RSM position (§4, RSM §2.2/§2.5). */
export interface PageQuery {
  readonly with?: Address;
  readonly max: number;
  /** Archive id to page forward from (RSM `after`). */
  readonly after?: string;
  /** Archive id to page back from; `''` = the last page (RSM `before`). Neither: the first page. */
  readonly before?: string;
  /** Only these archive ids (§4.1.2 `ids`, where the server supports it). */
  readonly ids?: readonly string[];
}

/** One archived stanza (`inner`) under its archive id, and the message it is, if any. */
export interface ArchiveResult { readonly id: string; readonly inner: XmlElement; readonly message?: InstantMessage }

/** A page of results, oldest first: every archived stanza and the messages among them. */
export interface ArchivePage {
  readonly results: readonly ArchiveResult[];
  readonly messages: readonly InstantMessage[];
  readonly first?: string;
  readonly last?: string;
  /** §4.3: the archive has nothing more in this direction. */
  readonly complete: boolean;
}

const field = (v: string, value: string) => el('field', { var: v }, el('value', {}, value));

/** §4: the query form for `q`. */
export function mamQuery(queryid: string, q: PageQuery): XmlElement {
  const fields = [el('field', { var: 'FORM_TYPE', type: 'hidden' }, el('value', {}, MAM_NS))];
  if (q.with) fields.push(field('with', jidString(bareJid(q.with))));
  if (q.ids) fields.push(el('field', { var: 'ids' }, ...q.ids.map((id) => el('value', {}, id))));
  // No position: the oldest page (RSM §2.2); `before` empty: the newest (§2.5).
  const pos = q.after !== undefined ? [el('after', {}, q.after)] : q.before !== undefined ? [el('before', {}, ...(q.before ? [q.before] : []))] : [];
  return el('iq', { type: 'set', id: newMessageId() },
    el('query', { xmlns: MAM_NS, queryid },
      el('x', { xmlns: 'jabber:x:data', type: 'submit' }, ...fields),
      el('set', { xmlns: RSM_NS }, el('max', {}, String(q.max)), ...pos)));
}

/** Archive queries; results are collected per queryid and returned, never emitted live. */
export function mam(link: StanzaLink) {
  const pending = new Map<string, { results: ArchiveResult[]; each?: (r: ArchiveResult) => void }>();
  const sub = link.stanza$.subscribe((m) => {
    const result = m.local === 'message' ? child(m, 'result', MAM_NS) : undefined;
    const query = result && pending.get(result.attrs['queryid'] ?? '');
    if (query === undefined || !fromOwnAccount(m, link.jid)) return; // #34
    const fwd = child(result!, 'forwarded', 'urn:xmpp:forward:0');
    const inner = forwardedMessage(result!);
    const id = result!.attrs['id'];
    if (!fwd || !inner || !id) return;
    const timestamp = readDelay(fwd);
    const message = readMessage(inner, { self: bareJid(link.jid), serverId: id, ...(timestamp ? { timestamp } : {}) });
    const r = { id, inner, ...(message ? { message } : {}) };
    query.results.push(r);
    query.each?.(r);
  });

  /**
   * One query; throws ImppError (`item-not-found` kept as its `condition` for the caller).
   * `each` sees every result as it arrives, before the page is complete.
   */
  const page = async (q: PageQuery, timeoutMs?: number, each?: (r: ArchiveResult) => void): Promise<ArchivePage> => {
    const queryid = newMessageId();
    const results: ArchiveResult[] = [];
    pending.set(queryid, { results, ...(each ? { each } : {}) });
    try {
      const fin = child(await link.iq(mamQuery(queryid, q), timeoutMs), 'fin', MAM_NS);
      const set = fin && (child(fin, 'set', RSM_NS) ?? fin);
      const text = (name: string) => { const e = set && child(set, name, RSM_NS); return e && textOf(e) !== '' ? textOf(e) : undefined; };
      const first = text('first') ?? results[0]?.id;
      const last = text('last') ?? results.at(-1)?.id;
      return {
        results, messages: results.flatMap((r) => (r.message ? [r.message] : [])),
        ...(first ? { first } : {}), ...(last ? { last } : {}),
        complete: fin === undefined || fin.attrs['complete'] === 'true' || results.length === 0,
      };
    } finally {
      pending.delete(queryid);
    }
  };

  return {
    page,
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
        try {
          const p = await page({ with: peer, max: want, before: cursor ?? '' });
          found = [...p.messages, ...found];
          if (p.complete || p.first === undefined) break;
          cursor = p.first;
        } catch (e) {
          // RSM §2.6: an unknown `before` id is item-not-found: there is nothing older we can name.
          if (isItemNotFound(e)) break;
          throw ImppError.from(e, 'transport/unsupported', 'The server refused the archive query (XEP-0313).');
        }
      }
      return found.slice(-want);
    },
    dispose: (): void => sub.unsubscribe(),
  };
}

/** RSM §2.6: the id we paged from is not (or no longer) in the archive. */
export function isItemNotFound(e: unknown): boolean {
  return (e as { condition?: string } | undefined)?.condition === 'item-not-found';
}

/** The archive module's public face. */
export type Mam = ReturnType<typeof mam>;
