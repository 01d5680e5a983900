// RFC 6121 §2: Managing the Roster — https://www.rfc-editor.org/rfc/rfc6121#section-2
import { filter, firstValueFrom, of, Subject, timeout, type Observable } from 'rxjs';
import type { Address } from '../../address.js';
import { child, childrenOf, el, textOf, type XmlElement } from '../../codecs/xml.js';
import { newMessageId } from '../../message.js';
import type { RosterItem, Subscription, TransportEvent } from '../transport.js';
import { IqErrorReply, onIq } from './iq.js';
import { fromOwnAccount, jidString, parseJid } from './jid.js';
import type { StanzaLink } from './link.js';

export const ROSTER_NS = 'jabber:iq:roster';
const SUBSCRIPTIONS: ReadonlySet<string> = new Set(['none', 'to', 'from', 'both']);

/** A roster change: the whole roster after a fetch, or one pushed item. */
export type RosterChange =
  | { readonly kind: 'reset'; readonly items: readonly RosterItem[] }
  | { readonly kind: 'item'; readonly item: RosterItem; readonly removed: boolean };

/** Reads one `<item/>` (§2.1.2); `undefined` when its `jid` is not a valid bare JID. */
export function readItem(item: XmlElement): { item: RosterItem; removed: boolean } | undefined {
  const address = parseJid(item.attrs['jid']);
  if (address === undefined || address.resource !== undefined) return undefined;
  const sub = item.attrs['subscription'] ?? 'none';
  const groups = [...new Set(childrenOf(item, 'group', ROSTER_NS).map(textOf).filter((g) => g !== ''))];
  const name = item.attrs['name'];
  return {
    item: {
      address,
      ...(name ? { name } : {}),
      groups,
      subscription: (SUBSCRIPTIONS.has(sub) ? sub : 'none') as Subscription,
      pendingOut: item.attrs['ask'] === 'subscribe',
    },
    removed: sub === 'remove',
  };
}

/** The roster of the session: fetch (§2.2), pushes (§2.1.6), add (§2.3), remove (§2.5). */
export function roster(link: StanzaLink, emit: (e: TransportEvent) => void) {
  const items = new Map<string, RosterItem>();
  const changes = new Subject<RosterChange>();
  const query = (...children: XmlElement[]) =>
    el('iq', { type: children.length ? 'set' : 'get', id: newMessageId() }, el('query', { xmlns: ROSTER_NS }, ...children));

  // §2.1.6: a push from anyone but our own account is refused and ignored (BAD-INPUTS #33).
  const pushes = onIq(link, ROSTER_NS, (s) => {
    if (s.attrs['type'] !== 'set' || !fromOwnAccount(s, link.jid)) throw new IqErrorReply('service-unavailable');
    const entries = childrenOf(child(s, 'query', ROSTER_NS)!, 'item', ROSTER_NS);
    const read = entries.length === 1 ? readItem(entries[0]!) : undefined;
    if (read === undefined) throw new IqErrorReply('bad-request', 'modify');
    if (read.removed) items.delete(read.item.address.id);
    else items.set(read.item.address.id, read.item);
    emit({ type: 'roster-item', item: read.item, ...(read.removed ? { removed: true } : {}) });
    changes.next({ kind: 'item', ...read });
    return undefined;
  });

  return {
    /** Roster changes, for modules whose state depends on it (presence, watchers). */
    changes$: changes.asObservable() as Observable<RosterChange>,
    /** The roster item of a bare address, if any. */
    get: (a: Address): RosterItem | undefined => items.get(a.id),
    /** §2.2: retrieves the roster; must run before initial presence (§2.2, RFC 6121 §4.2). */
    async fetch(): Promise<readonly RosterItem[]> {
      const res = await link.iq(query());
      const q = child(res, 'query', ROSTER_NS);
      items.clear();
      for (const i of q ? childrenOf(q, 'item', ROSTER_NS) : []) {
        const read = readItem(i);
        if (read && !read.removed) items.set(read.item.address.id, read.item);
      }
      const list = [...items.values()];
      emit({ type: 'roster', items: list });
      changes.next({ kind: 'reset', items: list });
      return list;
    },
    /** §2.3: adds or updates an item (name, groups); resolves once the server's push is in. */
    async set(address: Address, name?: string, groups: readonly string[] = []): Promise<void> {
      const attrs: Record<string, string> = { jid: jidString(address) };
      if (name) attrs['name'] = name;
      // §2.3.2: the push may follow the result; wait (bounded) so later steps see the item.
      const pushed = firstValueFrom(changes.pipe(
        filter((c) => c.kind === 'item' && c.item.address.id === address.id),
        timeout({ first: 3000, with: () => of(undefined) }),
      ), { defaultValue: undefined });
      await link.iq(query(el('item', attrs, ...groups.map((g) => el('group', {}, g)))));
      await pushed;
    },
    /**
     * §3.1.2: we just sent a subscribe; the server's push (ask="subscribe") follows, but the
     * contact may see the request first, so say it now.
     */
    pending(address: Address): void {
      const item = items.get(address.id);
      if (item === undefined || item.pendingOut || item.subscription === 'to' || item.subscription === 'both') return;
      const next = { ...item, pendingOut: true };
      items.set(address.id, next);
      emit({ type: 'roster-item', item: next });
      changes.next({ kind: 'item', item: next, removed: false });
    },
    /** §2.5: removes an item, which also cancels both subscriptions. */
    async remove(address: Address): Promise<void> {
      await link.iq(query(el('item', { jid: jidString(address), subscription: 'remove' })));
    },
    dispose(): void {
      pushes.dispose();
      changes.complete();
    },
  };
}

/** The roster module's public face. */
export type Roster = ReturnType<typeof roster>;
