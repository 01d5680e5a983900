// A fake StanzaLink (unit tests fake the port): inbound stanzas are pushed as XML text, and
// what modules send is recorded.
import { Subject } from 'rxjs';
import { parseXml, serializeXml, type XmlElement } from '../../../src/core/codecs/xml.js';
import type { TransportEvent } from '../../../src/core/transports/transport.js';
import { parseJid } from '../../../src/core/transports/xmpp/jid.js';
import type { StanzaLink } from '../../../src/core/transports/xmpp/link.js';

export type Responder = (iq: XmlElement) => XmlElement | Promise<XmlElement>;

export function fakeLink(jid = 'alice@localhost/web') {
  const stanza$ = new Subject<XmlElement>();
  const sent: XmlElement[] = [];
  let responder: Responder = (iq) => parseXml(`<iq xmlns="jabber:client" type="result" id="${iq.attrs['id']}"/>`);
  const link: StanzaLink = {
    jid: parseJid(jid)!,
    stanza$: stanza$.asObservable(),
    send: (s) => void sent.push(s),
    iq: async (s) => {
      sent.push(s);
      return responder(s);
    },
  };
  const events: TransportEvent[] = [];
  return {
    link,
    sent,
    events,
    emit: (e: TransportEvent) => void events.push(e),
    /** Delivers a stanza written as XML (default namespace jabber:client is added). */
    push(xml: string): void {
      stanza$.next(parseXml(xml.replace(/^<(\w+)/, '<$1 xmlns="jabber:client"'), { maxBytes: 4 * 1024 * 1024 }));
    },
    respond(r: Responder): void {
      responder = r;
    },
    /** What was sent, as XML text. */
    wire: (): string[] => sent.map(serializeXml),
    ofType: <T extends TransportEvent['type']>(t: T) => events.filter((e): e is Extract<TransportEvent, { type: T }> => e.type === t),
  };
}

/** Lets queued microtasks (coalescing, IQ replies) run. */
export const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

export const xml = (s: string): XmlElement => parseXml(s);
