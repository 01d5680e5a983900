// XEP-0184: Message Delivery Receipts — https://xmpp.org/extensions/xep-0184.html
// XEP-0333: Displayed Markers — https://xmpp.org/extensions/xep-0333.html
// Receipts count only from the peer we sent that id to; bounces (RFC 6120 §8.3) fail it.
import type { Address } from '../../address.js';
import { child, el, type XmlElement } from '../../codecs/xml.js';
import { ImppError } from '../../errors.js';
import { newMessageId, type InstantMessage } from '../../message.js';
import type { TransportEvent } from '../transport.js';
import { errorCondition } from './iq.js';
import { bareJid, jidString, stanzaFrom } from './jid.js';
import type { StanzaLink } from './link.js';
import { isWrapper, messageType } from './messages.js';
import { readOriginId } from './stanza-id.js';

export const RECEIPTS_NS = 'urn:xmpp:receipts';
export const MARKERS_NS = 'urn:xmpp:chat-markers:0';
const HINTS_NS = 'urn:xmpp:hints'; // XEP-0334: keep receipts out of archives (they crowd MAM pages)
const MAX_TRACKED = 10_000;
const UNKNOWN: ReadonlySet<string> = new Set(['item-not-found', 'remote-server-not-found', 'service-unavailable']);

/** Payloads that ask for receipts: XEP-0184 §5.1 request and XEP-0333 §3 markable. */
export function receiptRequest(): XmlElement[] {
  return [el('request', { xmlns: RECEIPTS_NS }), el('markable', { xmlns: MARKERS_NS })];
}

function bounce(m: XmlElement): ImppError {
  const cond = errorCondition(m) ?? 'undefined-condition';
  return UNKNOWN.has(cond)
    ? new ImppError('recipient/unknown', `The server could not deliver the message (${cond}): check the address.`)
    : new ImppError('recipient/unavailable', `The recipient could not take the message (${cond}); try again later.`);
}

/**
 * XEP-0184 §5.2: the receipt acknowledging `m` (a message with a body, an id and a request),
 * else undefined. Sent for live messages and for those caught up from our archive (the sender
 * is still waiting). §8 advises against receipts to those who may not see our presence;
 * impp-kit's delivery states need them.
 */
export function receiptFor(m: XmlElement): XmlElement | undefined {
  const id = m.attrs['id'];
  const from = stanzaFrom(m);
  if (!child(m, 'request', RECEIPTS_NS) || !child(m, 'body') || !id || !from || messageType(m) === 'groupchat') return undefined;
  return el('message', { to: jidString(from), id: newMessageId() },
    el('received', { xmlns: RECEIPTS_NS, id }), el('no-permanent-store', { xmlns: HINTS_NS }));
}

/**
 * Inbound receipts, markers and bounces → `receipt` events; answers receipt requests through
 * `reply` (default: at once; the transport sends them once the message was passed on).
 */
export function receipts(link: StanzaLink, emit: (e: TransportEvent) => void, reply: (receipt: XmlElement, m: XmlElement) => void = (r) => link.send(r)) {
  const sent = new Map<string, Address>(); // our message id → bare peer
  const progress = (id: string | undefined, from: Address, state: 'delivered' | 'read' | 'failed', error?: ImppError) => {
    const peer = id === undefined ? undefined : sent.get(id);
    // Only the peer (or its server, for a bounce) may speak for a message we sent it.
    const ok = peer !== undefined && (peer.id === from.id || (state === 'failed' && from.id === peer.domain));
    if (ok) emit({ type: 'receipt', id: id!, peer, state, ...(error ? { error } : {}) });
  };

  const sub = link.stanza$.subscribe((m) => {
    if (m.local !== 'message' || isWrapper(m)) return;
    const from = stanzaFrom(m);
    if (from === undefined) return;
    const bare = bareJid(from);
    if (messageType(m) === 'error') return progress(m.attrs['id'], bare, 'failed', bounce(m));
    const received = child(m, 'received', RECEIPTS_NS) ?? child(m, 'received', MARKERS_NS);
    if (received) progress(received.attrs['id'], bare, 'delivered');
    const read = child(m, 'displayed', MARKERS_NS) ?? child(m, 'acknowledged', MARKERS_NS);
    if (read) progress(read.attrs['id'], bare, 'read');
    const receipt = receiptFor(m);
    if (receipt) reply(receipt, m);
  });

  return {
    /** Remembers that message `id` went to `peer`, so its receipts can be trusted. */
    track(id: string, peer: Address): void {
      sent.delete(id);
      sent.set(id, bareJid(peer));
      if (sent.size > MAX_TRACKED) sent.delete(sent.keys().next().value!);
    },
    /** XEP-0333 §3: tells `peer` we displayed their message `id`. */
    markRead(peer: Address, id: string): void {
      link.send(el('message', { to: jidString(peer), type: 'chat', id: newMessageId() },
        el('displayed', { xmlns: MARKERS_NS, id }),
        el('store', { xmlns: HINTS_NS })));
    },
    dispose: (): void => sub.unsubscribe(),
  };
}

/** The receipts module's public face. */
export type Receipts = ReturnType<typeof receipts>;

/**
 * Receipts that wait until their message was passed on to the app: XEP-0184 "received" means the
 * client has it, not while it waits behind an archive catch-up (a page that dies then never
 * showed it; the next page catches it up and receipts it).
 */
export function receiptsOnShow(send: (receipt: XmlElement) => void) {
  const due = new Map<string, XmlElement>();
  const key = (from: Address, id: string) => `${bareJid(from).id}\u0000${id}`;
  return {
    /** `receipt` answers `m`: hold it until `m` is shown. */
    due(receipt: XmlElement, m: XmlElement): void {
      const from = stanzaFrom(m);
      const id = readOriginId(m) ?? m.attrs['id'];
      if (from === undefined || !id) return;
      due.set(key(from, id), receipt);
      if (due.size > MAX_TRACKED) due.delete(due.keys().next().value!);
    },
    /** `m` was passed on: its receipt, if one is due, goes out. */
    shown(m: InstantMessage): void {
      const k = key(m.from, m.id);
      const receipt = due.get(k);
      due.delete(k);
      try {
        if (receipt) send(receipt);
      } catch { /* offline: the sender offers the message again */ }
    },
  };
}
