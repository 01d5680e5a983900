// RFC 6121 §5: Exchanging Messages — https://www.rfc-editor.org/rfc/rfc6121#section-5
import type { Address } from '../../address.js';
import { child, el, textOf, type XmlElement } from '../../codecs/xml.js';
import { ImppError } from '../../errors.js';
import { MAX_BODY_BYTES, newMessageId, type InstantMessage } from '../../message.js';
import type { TransportEvent } from '../transport.js';
import { readDelay } from './delay.js';
import { bareJid, jidString, parseJid } from './jid.js';
import type { StanzaLink } from './link.js';
import { originId, readOriginId, trustedStanzaId } from './stanza-id.js';

const TYPES: ReadonlySet<string> = new Set(['chat', 'normal', 'headline', 'groupchat', 'error']);
const CARBONS_NS = 'urn:xmpp:carbons:2';
const MAM_NS = 'urn:xmpp:mam:2';

/** §5.2.2: the message type; a missing or unknown one is `normal` (BAD-INPUTS #31). */
export function messageType(m: XmlElement): string {
  const t = m.attrs['type'];
  return t !== undefined && TYPES.has(t) ? t : 'normal';
}

export interface ReadOptions {
  /** Our account (bare): the sender when `from` is absent (RFC 6120 §8.1.2.1). */
  readonly self: Address;
  /** Trusted send time (a MAM `<delay>`), else the message's own delay, else arrival. */
  readonly timestamp?: number;
  /** Id in our archive (a MAM result id), else the trusted XEP-0359 stanza-id. */
  readonly serverId?: string;
}

/**
 * A `<message>` with a `<body>` as an InstantMessage; `undefined` for anything else (chat
 * states, receipts, errors — #45) or a bad `from`/`to`. Bodies are plain strings (#40).
 */
export function readMessage(m: XmlElement, opts: ReadOptions): InstantMessage | undefined {
  const type = messageType(m);
  const body = child(m, 'body');
  if (body === undefined || type === 'error' || type === 'groupchat') return undefined;
  const from = m.attrs['from'] === undefined ? opts.self : parseJid(m.attrs['from']);
  const to = m.attrs['to'] === undefined ? opts.self : parseJid(m.attrs['to']);
  if (from === undefined || to === undefined) return undefined;
  const serverId = opts.serverId ?? trustedStanzaId(m, opts.self);
  const thread = child(m, 'thread');
  return {
    id: readOriginId(m) ?? (m.attrs['id'] || undefined) ?? serverId ?? newMessageId(),
    from: bareJid(from),
    to: bareJid(to),
    body: textOf(body),
    contentType: 'text/plain',
    timestamp: opts.timestamp ?? readDelay(m) ?? Date.now(),
    ...(thread ? { thread: textOf(thread) } : {}),
    ...(serverId ? { serverId } : {}),
  };
}

/** True for a message another module unwraps (carbon, MAM result): never read it as live. */
export function isWrapper(m: XmlElement): boolean {
  return m.children.some((c) => typeof c !== 'string' && (c.ns === CARBONS_NS || (c.ns === MAM_NS && c.local === 'result')));
}

/** §5.2: the outbound `<message type="chat">` with our id as stanza id and origin-id. */
export function messageStanza(msg: InstantMessage, ...extras: XmlElement[]): XmlElement {
  if (new TextEncoder().encode(msg.body).length > MAX_BODY_BYTES) {
    throw new ImppError('message/too-large', `The message is larger than ${MAX_BODY_BYTES / 1024} KiB; split it or send a link.`);
  }
  const children = [el('body', {}, msg.body), originId(msg.id), ...extras];
  if (msg.thread) children.push(el('thread', {}, msg.thread));
  return el('message', { to: jidString(msg.to), type: 'chat', id: msg.id }, ...children);
}

/** Live inbound messages → `message` events (carbons and MAM results excepted); outbound sends. */
export function messages(link: StanzaLink, emit: (e: TransportEvent) => void) {
  const sub = link.stanza$.subscribe((m) => {
    if (m.local !== 'message' || isWrapper(m)) return;
    const message = readMessage(m, { self: bareJid(link.jid) });
    if (message) emit({ type: 'message', message });
  });
  return {
    /**
     * Sends `msg` (with extra payloads such as receipt requests) and returns the stanza written,
     * so its XEP-0198 ack can be awaited; throws `message/too-large`.
     */
    send(msg: InstantMessage, ...extras: XmlElement[]): XmlElement {
      const stanza = messageStanza(msg, ...extras);
      try {
        link.send(stanza);
      } catch (cause) {
        throw ImppError.from(cause, 'transport/closed', 'The message could not be handed to the XMPP stream; it stays queued.');
      }
      return stanza;
    },
    dispose: (): void => sub.unsubscribe(),
  };
}
