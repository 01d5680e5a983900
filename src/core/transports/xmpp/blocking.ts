// XEP-0191: Blocking Command — https://xmpp.org/extensions/xep-0191.html
import { Subject } from 'rxjs';
import type { Address } from '../../address.js';
import { child, childrenOf, el, type XmlElement } from '../../codecs/xml.js';
import { newMessageId } from '../../message.js';
import { IqErrorReply, onIq } from './iq.js';
import { fromOwnAccount, jidString, parseJid } from './jid.js';
import type { StanzaLink } from './link.js';

export const BLOCKING_NS = 'urn:xmpp:blocking';

/** One blocklist change: `addresses` empty with `blocked: false` means "unblock all" (§3.4). */
export interface BlockChange {
  readonly addresses: readonly Address[];
  readonly blocked: boolean;
}

const items = (e: XmlElement): Address[] =>
  childrenOf(e, 'item', BLOCKING_NS).flatMap((i) => parseJid(i.attrs['jid']) ?? []);

/** The blocklist: fetch, pushes, block and unblock, reported on `changes$`. */
export function blocking(link: StanzaLink) {
  const list = new Map<string, Address>();
  const changes = new Subject<BlockChange>();
  const apply = (addresses: readonly Address[], blocked: boolean) => {
    const affected = blocked || addresses.length ? addresses : [...list.values()];
    for (const a of affected) blocked ? list.set(a.id, a) : list.delete(a.id);
    changes.next({ addresses: affected, blocked });
  };
  const command = (name: 'block' | 'unblock', a: Address) =>
    link.iq(el('iq', { type: 'set', id: newMessageId() }, el(name, { xmlns: BLOCKING_NS }, el('item', { jid: jidString(a) }))));

  // §3.3/§3.4: pushes to every resource that fetched the list, from our own account only.
  const pushes = onIq(link, BLOCKING_NS, (s) => {
    const push = child(s, 'block', BLOCKING_NS) ?? child(s, 'unblock', BLOCKING_NS);
    if (s.attrs['type'] !== 'set' || push === undefined || !fromOwnAccount(s, link.jid)) throw new IqErrorReply('service-unavailable');
    apply(items(push), push.local === 'block');
    return undefined;
  });

  return {
    /** Blocklist changes (pushes, fetch, our own commands). */
    changes$: changes.asObservable(),
    has: (a: Address): boolean => list.has(a.id),
    /** §3.2: fetches the blocklist (at login). */
    async fetch(): Promise<readonly Address[]> {
      const res = await link.iq(el('iq', { type: 'get', id: newMessageId() }, el('blocklist', { xmlns: BLOCKING_NS })));
      const l = child(res, 'blocklist', BLOCKING_NS);
      const fetched = l ? items(l) : [];
      const gone = [...list.values()].filter((a) => !fetched.some((f) => f.id === a.id));
      if (gone.length) apply(gone, false);
      apply(fetched, true);
      return fetched;
    },
    /** §3.3: blocks `a` (polite: the server makes us look offline and drops their stanzas). */
    block: async (a: Address): Promise<void> => void (await command('block', a), apply([a], true)),
    /** §3.4: unblocks `a`. */
    unblock: async (a: Address): Promise<void> => void (await command('unblock', a), apply([a], false)),
    dispose(): void {
      pushes.dispose();
      changes.complete();
    },
  };
}

/** The blocking module's public face. */
export type Blocking = ReturnType<typeof blocking>;
