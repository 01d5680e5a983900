// The modules of one XMPP session (transport.ts composes one set per new session): roster,
// subscriptions, presence, blocking, rooms, receipts, messages, chat states, carbons, archive.
import type { Subscription } from 'rxjs';
import type { Address } from '../../address.js';
import type { XmlElement } from '../../codecs/xml.js';
import type { InstantMessage } from '../../message.js';
import type { PresenceUpdate, TransportEvent } from '../transport.js';
import { blocking, BLOCKING_NS } from './blocking.js';
import { carbons } from './carbons.js';
import { chatStates } from './chat-states.js';
import { disco, DISCO_INFO_NS } from './disco.js';
import { unhandledIqs } from './iq.js';
import type { StanzaLink } from './link.js';
import { mam } from './mam.js';
import { messages } from './messages.js';
import { muc } from './muc.js';
import { mucInvites } from './muc-invite.js';
import { ping, PING_NS } from './ping.js';
import { presence } from './presence.js';
import { receipts } from './receipts.js';
import { roster, ROSTER_NS } from './roster.js';
import { subscriptions } from './subscriptions.js';

/** IQ namespaces the modules answer; any other IQ get/set gets `service-unavailable`. */
const HANDLED = new Set([ROSTER_NS, BLOCKING_NS, DISCO_INFO_NS, PING_NS]);

/** What the modules need of the transport, per session. */
export interface AttachOptions {
  /** This device's presence priority, 0..1. */
  readonly priority?: number;
  /** Presence extensions (XEP-0115 caps). */
  readonly extras: () => readonly XmlElement[];
  /** Our presence as last published (rooms joined later carry it). */
  readonly published: () => PresenceUpdate;
  /** The XEP-0045 service: its addresses are rooms, not 1:1 peers. */
  readonly roomDomain: string;
  /** Where live 1:1 messages and typing go (through the catch-up gate). */
  readonly live: (e: TransportEvent) => void;
  /** A receipt to send once its message was passed on. */
  readonly receiptDue: (receipt: XmlElement, m: XmlElement) => void;
  /** Sends the receipt due for `m`, if any. */
  readonly shown: (m: InstantMessage) => void;
}

/**
 * The RFC 6121 / XEP modules of one session, wired to each other over its link: roster,
 * subscriptions, presence (from contacts we are subscribed to), blocking, rooms, receipts,
 * messages, chat states, carbons, the archive, invitations, and the passive IQ answerers.
 */
export function attach(link: StanzaLink, emit: (e: TransportEvent) => void, opts: AttachOptions) {
  const r = roster(link, emit);
  const subs = subscriptions(link, emit);
  // #36 + RFC 6121 §4.3: presence counts only from contacts we are subscribed to.
  const subscribedTo = (bare: Address) => ['to', 'both'].includes(r.get(bare)?.subscription ?? 'none');
  const pres = presence(link, emit, { accepts: subscribedTo, ...opts });
  const block = blocking(link);
  const rooms = muc(link, emit, { published: opts.published });
  // XEP-0045 §7.5/§7.8: occupants' private messages and invitation fallbacks are room traffic,
  // never 1:1 conversations with the room (muc.ts reports the private ones).
  const isRoom = (a: Address) => (a.domain === opts.roomDomain && a.domain !== link.jid.domain) || rooms.has(a);
  const roomish = (e: TransportEvent) => (e.type === 'message' ? isRoom(e.message.from) || isRoom(e.message.to) : e.type === 'typing' && isRoom(e.from));
  const direct = (e: TransportEvent) => {
    if (!roomish(e)) return opts.live(e);
    if (e.type === 'message') opts.shown(e.message);
  };
  const rc = receipts(link, emit, opts.receiptDue); // before messages: a receipt is due before its message passes
  const m = {
    roster: r, subs, pres, block,
    receipts: rc, messages: messages(link, direct), chat: chatStates(link, direct),
    carbons: carbons(link, direct), mam: mam(link), muc: rooms, invites: mucInvites(link, emit),
  };
  const wiring: Subscription[] = [
    r.changes$.subscribe((c) => {
      subs.roster(c);
      const items = c.kind === 'reset' ? c.items : [c.item];
      for (const i of items) {
        const sees = !(c.kind === 'item' && c.removed) && (i.subscription === 'to' || i.subscription === 'both');
        if (!sees) pres.forget(i.address);
      }
    }),
    block.changes$.subscribe((c) => c.addresses.forEach((a) => subs.blocked(a, c.blocked))),
  ];
  const passive = [disco(link), ping(link), unhandledIqs(link, HANDLED)];
  return {
    ...m,
    roomish,
    dispose(): void {
      wiring.forEach((s) => s.unsubscribe());
      [...Object.values(m), ...passive].forEach((x) => x.dispose());
    },
  };
}

/** One session's modules (see {@link attach}). */
export type Modules = ReturnType<typeof attach>;
