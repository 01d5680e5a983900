// XEP-0085: Chat State Notifications — https://xmpp.org/extensions/xep-0085.html
import type { Address } from '../../address.js';
import { el, type XmlElement } from '../../codecs/xml.js';
import { newMessageId } from '../../message.js';
import type { TransportEvent } from '../transport.js';
import { bareJid, jidString, stanzaFrom } from './jid.js';
import type { StanzaLink } from './link.js';
import { isWrapper, messageType } from './messages.js';

export const CHATSTATES_NS = 'http://jabber.org/protocol/chatstates';
const STATES: ReadonlySet<string> = new Set(['active', 'composing', 'paused', 'inactive', 'gone']);

/** §5.1 `<active/>`: sent with every message body (the peer stops showing "typing"). */
export function activeState(): XmlElement {
  return el('active', { xmlns: CHATSTATES_NS });
}

/** The chat state a message carries, if any. */
export function readChatState(m: XmlElement): string | undefined {
  for (const c of m.children) if (typeof c !== 'string' && c.ns === CHATSTATES_NS && STATES.has(c.local)) return c.local;
  return undefined;
}

/** Inbound chat states → `typing` events; sends composing / active. */
export function chatStates(link: StanzaLink, emit: (e: TransportEvent) => void) {
  const sub = link.stanza$.subscribe((m) => {
    if (m.local !== 'message' || isWrapper(m) || messageType(m) === 'error' || messageType(m) === 'groupchat') return;
    const state = readChatState(m);
    const from = stanzaFrom(m);
    if (state !== undefined && from !== undefined) emit({ type: 'typing', from: bareJid(from), typing: state === 'composing' });
  });
  return {
    /** §5: `composing` while typing, `active` when stopped; a hint keeps it out of archives. */
    send(to: Address, typing: boolean): void {
      link.send(el('message', { to: jidString(to), type: 'chat', id: newMessageId() },
        el(typing ? 'composing' : 'active', { xmlns: CHATSTATES_NS }),
        el('no-store', { xmlns: 'urn:xmpp:hints' })));
    },
    dispose: (): void => sub.unsubscribe(),
  };
}
