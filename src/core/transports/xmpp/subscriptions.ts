// RFC 6121 §3: Managing Presence Subscriptions — https://www.rfc-editor.org/rfc/rfc6121#section-3
// Who watches us (RFC 2778 watchers): roster `from`/`both` = approved, an inbound `subscribe`
// = pending (the only way a non-roster JID shows up, #36), our answer = approved/denied,
// XEP-0191 = blocked.
import type { Subscription as RxSubscription } from 'rxjs';
import type { Address } from '../../address.js';
import { child, el, textOf } from '../../codecs/xml.js';
import type { RosterItem, TransportEvent, WatcherState } from '../transport.js';
import { bareJid, jidString, stanzaFrom } from './jid.js';
import type { StanzaLink } from './link.js';
import type { RosterChange } from './roster.js';

const NICK_NS = 'http://jabber.org/protocol/nick'; // XEP-0172
type Entry = { address: Address; state: WatcherState; name?: string };

const watchesUs = (i: RosterItem) => i.subscription === 'from' || i.subscription === 'both';

/** Watchers from inbound subscribe/unsubscribe and the roster; approve, deny, (un)subscribe. */
export function subscriptions(link: StanzaLink, emit: (e: TransportEvent) => void) {
  const entries = new Map<string, Entry>();
  const blocked = new Map<string, Address>();
  const shown = new Map<string, WatcherState>();

  const show = (address: Address) => {
    const id = address.id;
    const e = entries.get(id);
    const b = blocked.get(id);
    const state = b ? 'blocked' : e?.state;
    if (state === shown.get(id)) return;
    if (state === undefined) {
      shown.delete(id);
      emit({ type: 'watcher-removed', address });
      return;
    }
    shown.set(id, state);
    const shownAs = b ?? e?.address ?? address;
    const name = e?.name;
    emit({ type: 'watcher', watcher: { address: shownAs, state, kind: 'subscriber', ...(name ? { name } : {}) } });
  };
  const set = (address: Address, state: WatcherState | undefined, name?: string) => {
    if (state === undefined) entries.delete(address.id);
    else entries.set(address.id, { address, state, ...(name ? { name } : {}) });
    show(address);
  };
  const fromRoster = (item: RosterItem, removed: boolean) => {
    const prev = entries.get(item.address.id)?.state;
    if (!removed && watchesUs(item)) set(item.address, 'approved', item.name);
    else if (prev === 'approved') set(item.address, undefined);
  };
  const send = (to: Address, type: string) => link.send(el('presence', { to: jidString(bareJid(to)), type }));

  const sub: RxSubscription = link.stanza$.subscribe((p) => {
    const type = p.attrs['type'];
    if (p.local !== 'presence' || (type !== 'subscribe' && type !== 'unsubscribe')) return;
    const from = stanzaFrom(p);
    if (from === undefined) return;
    const bare = bareJid(from);
    if (type === 'unsubscribe') return set(bare, undefined); // §3.3: they stop watching us
    if (entries.get(bare.id)?.state === 'approved') return send(bare, 'subscribed'); // §3.1.3 already approved
    const nick = child(p, 'nick', NICK_NS);
    set(bare, 'pending', nick ? textOf(nick).slice(0, 256) : undefined);
  });

  return {
    /** Feeds roster changes in (from/both = approved watcher). */
    roster(change: RosterChange): void {
      if (change.kind === 'item') return fromRoster(change.item, change.removed);
      const ids = new Set(change.items.map((i) => i.address.id));
      for (const [id, e] of [...entries]) if (e.state === 'approved' && !ids.has(id)) set(e.address, undefined);
      for (const i of change.items) fromRoster(i, false);
    },
    /** XEP-0191 state of a JID (blocked overrides any other state). */
    blocked(address: Address, isBlocked: boolean): void {
      if (isBlocked) blocked.set(address.id, address);
      else blocked.delete(address.id);
      show(address);
    },
    /** §3.1.4: approve a (pending) watcher. */
    approve(address: Address): void {
      send(address, 'subscribed');
      set(bareJid(address), 'approved', entries.get(address.id)?.name);
    },
    /** §3.1.4 / §3.2: deny a request or revoke an approval. */
    deny(address: Address): void {
      send(address, 'unsubscribed');
      set(bareJid(address), 'denied', entries.get(address.id)?.name);
    },
    /** §3.1.1: ask to see their presence. */
    subscribe: (address: Address): void => send(address, 'subscribe'),
    /** §3.3.1: stop seeing their presence. */
    unsubscribe: (address: Address): void => send(address, 'unsubscribe'),
    dispose: (): void => sub.unsubscribe(),
  };
}

/** The subscriptions module's public face. */
export type Subscriptions = ReturnType<typeof subscriptions>;
