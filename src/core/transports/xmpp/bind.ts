// RFC 6120 §7: Resource Binding — https://www.rfc-editor.org/rfc/rfc6120#section-7
// plus RFC 3921 §3 session establishment when a server still requires it (draft-cridland-xmpp-session).
import { child, el, textOf, type XmlElement } from '../../codecs/xml.js';
import { TransportError } from '../../errors.js';
import type { XmppStream } from './stream.js';

export const NS_BIND = 'urn:ietf:params:xml:ns:xmpp-bind';
export const NS_SESSION = 'urn:ietf:params:xml:ns:xmpp-session';

const result = (stream: XmppStream, id: string): Promise<XmlElement> =>
  stream.waitFor((e) => e.local === 'iq' && e.attrs['id'] === id && (e.attrs['type'] === 'result' || e.attrs['type'] === 'error'));

/**
 * Binds a resource (ours when given, else the server's choice, §7.6) and resolves with the full
 * JID the server assigned.
 * @throws {TransportError} `transport/stream-error` when binding is not offered or refused.
 */
export async function bindResource(stream: XmppStream, features: XmlElement, resource?: string): Promise<string> {
  if (!child(features, 'bind', NS_BIND)) throw new TransportError('transport/stream-error', 'The server offered no resource binding (RFC 6120 §7).');
  const id = `bind-${Math.random().toString(36).slice(2, 10)}`;
  stream.send(el('iq', { type: 'set', id }, el('bind', { xmlns: NS_BIND }, resource ? el('resource', {}, resource) : undefined)));
  const reply = await result(stream, id);
  const jid = textOf(child(child(reply, 'bind', NS_BIND) ?? el('none'), 'jid', NS_BIND)).trim();
  if (reply.attrs['type'] !== 'result' || jid === '') {
    const cond = child(reply, 'error')?.children.find((c) => typeof c !== 'string');
    throw new TransportError('transport/stream-error', `Resource binding failed${cond && typeof cond !== 'string' ? ` (${cond.local})` : ''}.`);
  }
  const session = child(features, 'session', NS_SESSION);
  if (session && !child(session, 'optional', NS_SESSION)) {
    const sid = `sess-${Math.random().toString(36).slice(2, 10)}`;
    stream.send(el('iq', { type: 'set', id: sid }, el('session', { xmlns: NS_SESSION })));
    const ok = await result(stream, sid);
    if (ok.attrs['type'] !== 'result') throw new TransportError('transport/stream-error', 'Session establishment failed (RFC 3921 §3).');
  }
  return jid;
}
