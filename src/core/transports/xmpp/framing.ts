// RFC 7395: An XMPP Subprotocol for WebSocket — https://www.rfc-editor.org/rfc/rfc7395
// One complete XML document per WebSocket message (§3.3.3): <open/>, <close/>, a stanza or a
// stream-level element. A frame that is too big or not (restricted, well-formed) XML becomes a
// stream error condition; it never yields part of a stanza.
import { child, childrenOf, el, parseXml, serializeXml, textOf, type XmlElement } from '../../codecs/xml.js';
import { ImppError, TransportError, type ImppErrorCode } from '../../errors.js';

export const NS_FRAMING = 'urn:ietf:params:xml:ns:xmpp-framing';
export const NS_STREAM = 'http://etherx.jabber.org/streams';
export const NS_CLIENT = 'jabber:client';

/** Largest frame we accept, in UTF-8 bytes (BAD-INPUTS #30; Prosody's default stanza limit). */
export const MAX_FRAME_BYTES = 256 * 1024;
/** Deepest nesting in a frame: forwarded carbons and MAM results wrap whole messages. */
export const MAX_FRAME_DEPTH = 32;

/** What one inbound frame carries. */
export type Frame =
  | { readonly kind: 'open'; readonly attrs: Readonly<Record<string, string>> }
  /** `see-other-host` (§3.6.1) is reported, never followed. */
  | { readonly kind: 'close'; readonly seeOtherUri?: string }
  | { readonly kind: 'element'; readonly element: XmlElement };

export const NS_STREAM_ERRORS = 'urn:ietf:params:xml:ns:xmpp-streams';

const CODES: Readonly<Record<string, ImppErrorCode>> = {
  'policy-violation': 'transport/policy-violation',
  'system-shutdown': 'transport/server-shutdown', // §4.9.3.20: reconnect later, spread out (#6)
};

/**
 * A stream error (RFC 6120 §4.9): `condition` is the defined condition, e.g. `'conflict'`;
 * `byPeer` is true when the server sent it, false when we raise it (bad frame, timeout).
 */
export class StreamError extends TransportError {
  override name = 'StreamError';
  constructor(readonly condition: string, readonly byPeer: boolean, message: string, cause?: unknown) {
    super(CODES[condition] ?? 'transport/stream-error', message, { cause });
  }
}

/** Reads a received `<stream:error>` (§4.9.3 condition + optional `<text>`). */
export function readStreamError(element: XmlElement): StreamError {
  const cond = childrenOf(element).find((c) => c.ns === NS_STREAM_ERRORS && c.local !== 'text');
  const condition = cond?.local ?? 'undefined-condition';
  const text = textOf(child(element, 'text', NS_STREAM_ERRORS)).slice(0, 200);
  return new StreamError(condition, true, `The server ended the stream: ${condition}${text ? ` (${JSON.stringify(text)})` : ''}.`);
}

/** True for `<stream:error>`. */
export function isStreamError(element: XmlElement): boolean {
  return element.ns === NS_STREAM && element.local === 'error';
}

/** §3.3.1: the opening frame. */
export function openFrame(domain: string, lang = 'en'): string {
  return serializeXml(el('open', { xmlns: NS_FRAMING, to: domain, version: '1.0', 'xml:lang': lang }));
}

/** §3.3.3: the closing frame. */
export function closeFrame(): string {
  return serializeXml(el('close', { xmlns: NS_FRAMING }));
}

/**
 * Serializes an outbound stanza. §3.3.3 leaves the stream's default namespace undeclared, so each
 * top-level stanza carries `xmlns="jabber:client"` itself (as every WebSocket server expects).
 */
export function stanzaFrame(stanza: XmlElement): string {
  if (stanza.attrs['xmlns'] !== undefined || stanza.name.includes(':')) return serializeXml(stanza);
  return serializeXml(el(stanza.name, { xmlns: NS_CLIENT, ...stanza.attrs }, ...stanza.children));
}

/** Parses one inbound WebSocket text message. @throws {StreamError} (ours: `byPeer` false) */
export function parseFrame(text: string, maxBytes = MAX_FRAME_BYTES): Frame {
  let root: XmlElement;
  try {
    root = parseXml(text, { maxBytes, maxDepth: MAX_FRAME_DEPTH });
  } catch (err) {
    if (ImppError.is(err, 'codec/too-large')) throw new StreamError('policy-violation', false, `A frame exceeded ${maxBytes} bytes.`, err);
    if (ImppError.is(err, 'codec/restricted-xml')) throw new StreamError('restricted-xml', false, 'A frame contained restricted XML (RFC 6120 §11.1).', err);
    throw new StreamError('not-well-formed', false, 'A frame was not well-formed XML.', err);
  }
  if (root.ns === NS_FRAMING && root.local === 'open') return { kind: 'open', attrs: root.attrs };
  if (root.ns === NS_FRAMING && root.local === 'close') {
    const uri = root.attrs['see-other-uri'];
    return uri === undefined ? { kind: 'close' } : { kind: 'close', seeOtherUri: uri };
  }
  return { kind: 'element', element: root };
}

/** True for the stanzas RFC 6120 §8 defines (in the client namespace, or with none declared). */
export function isStanza(element: XmlElement): boolean {
  return (element.ns === NS_CLIENT || element.ns === undefined) &&
    (element.local === 'message' || element.local === 'presence' || element.local === 'iq');
}

/** A `<stream:error>` frame (RFC 6120 §4.9) with one defined condition. */
export function streamErrorFrame(condition: string): string {
  return serializeXml(el('stream:error', { 'xmlns:stream': NS_STREAM },
    el(condition, { xmlns: NS_STREAM_ERRORS })));
}
