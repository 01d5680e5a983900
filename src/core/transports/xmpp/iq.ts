// RFC 6120 §8.2.3 and §8.3: IQ semantics and stanza errors — https://www.rfc-editor.org/rfc/rfc6120#section-8.2.3
// Every inbound get/set gets exactly one result or error; modules answer their own namespace
// through `onIq`, anything else is `service-unavailable` (§8.4, BAD-INPUTS #32).
import type { Subscription } from 'rxjs';
import { child, childrenOf, el, type XmlElement } from '../../codecs/xml.js';
import { IqErrorReply, type IqHandler } from './iq-router.js';
import type { StanzaLink } from './link.js';

export const STANZAS_NS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
export { IqErrorReply };

/** True for an IQ get or set (a request that needs exactly one reply, §8.2.3). */
export function isRequest(s: XmlElement): boolean {
  return s.local === 'iq' && (s.attrs['type'] === 'get' || s.attrs['type'] === 'set');
}

/** The request's payload: its first child element. */
export function payload(s: XmlElement): XmlElement | undefined {
  return childrenOf(s)[0];
}

/** `type="result"` reply to `request`, with an optional payload. */
export function resultOf(request: XmlElement, body?: XmlElement): XmlElement {
  return el('iq', { type: 'result', id: request.attrs['id'], to: request.attrs['from'] }, body);
}

/** `type="error"` reply to `request` with a defined condition (§8.3.3). */
export function errorOf(request: XmlElement, condition: string, type: IqErrorReply['errorType'] = 'cancel'): XmlElement {
  return el('iq', { type: 'error', id: request.attrs['id'], to: request.attrs['from'] },
    el('error', { type }, el(condition, { xmlns: STANZAS_NS })));
}

/** The defined condition of a stanza's `<error>`, if any. */
export function errorCondition(s: XmlElement): string | undefined {
  const error = child(s, 'error');
  return error === undefined ? undefined : childrenOf(error).find((c) => c.ns === STANZAS_NS && c.local !== 'text')?.local;
}

/** A link whose session routes inbound get/set by namespace (and answers the rest, #32). */
type RoutingLink = StanzaLink & { handleIq(ns: string, handler: IqHandler): Subscription };
const routes = (link: StanzaLink): link is RoutingLink => typeof (link as Partial<RoutingLink>).handleIq === 'function';

/**
 * Answers inbound get/set IQs whose payload is in `ns`: the handler returns the result payload
 * (or `undefined`), or throws {@link IqErrorReply}. Uses the session's router when it has one.
 */
export function onIq(link: StanzaLink, ns: string, handler: IqHandler): { dispose(): void } {
  if (routes(link)) {
    const sub = link.handleIq(ns, handler);
    return { dispose: () => sub.unsubscribe() };
  }
  const sub = link.stanza$.subscribe((iq) => {
    if (!isRequest(iq) || payload(iq)?.ns !== ns) return;
    Promise.resolve()
      .then(() => handler(iq))
      .then(
        (answer) => { if (answer !== null) link.send(resultOf(iq, answer)); },
        (e) => link.send(e instanceof IqErrorReply ? errorOf(iq, e.condition, e.errorType) : errorOf(iq, 'internal-server-error', 'wait')),
      );
  });
  return { dispose: () => sub.unsubscribe() };
}

/** §8.4: get/set in no namespace of `handled` → `service-unavailable` (only without a router). */
export function unhandledIqs(link: StanzaLink, handled: ReadonlySet<string>): { dispose(): void } {
  if (routes(link)) return { dispose: () => undefined };
  const sub = link.stanza$.subscribe((s) => {
    if (!isRequest(s)) return;
    const ns = payload(s)?.ns;
    if (ns === undefined || !handled.has(ns)) link.send(errorOf(s, 'service-unavailable'));
  });
  return { dispose: () => sub.unsubscribe() };
}
