// RFC 6120 §4.3: stream negotiation after the socket opens — https://www.rfc-editor.org/rfc/rfc6120#section-4.3
// SASL (§6), stream restart, then XEP-0198 resume (§5) or binding (§7) + XEP-0198 enable (§4).
// Only talks to the stream; the session applies the outcome to its state.
import { child, type XmlElement } from '../../codecs/xml.js';
import { bindResource } from './bind.js';
import { authenticate, type Credentials } from './sasl.js';
import { NS_SM, StreamManagement } from './stream-management.js';
import type { XmppStream } from './stream.js';

export interface NegotiateOptions {
  readonly creds: Credentials;
  readonly allowPlain: boolean;
  /** `<resume/>` when the previous session may be resumed. */
  readonly resume: XmlElement | undefined;
  readonly resource: string | undefined;
}

export type Negotiated =
  | { readonly kind: 'resumed'; readonly resumed: XmlElement; readonly mechanism: string; readonly authMs: number }
  | {
      readonly kind: 'bound';
      readonly jid: string;
      /** `<enabled/>` when the server turned XEP-0198 on. */
      readonly enabled: XmlElement | undefined;
      /** `<failed/>` when a resume was refused (its `h`, if any, still acknowledges). */
      readonly resumeFailed: XmlElement | undefined;
      readonly mechanism: string;
      readonly authMs: number;
    };

const sm = (stream: XmppStream, a: string, b: string): Promise<XmlElement> =>
  stream.waitFor((e) => e.ns === NS_SM && (e.local === a || e.local === b));

/** Runs the negotiation on an open stream given its first `features`. @throws {ImppError} */
export async function negotiate(stream: XmppStream, features: XmlElement, o: NegotiateOptions): Promise<Negotiated> {
  const t0 = performance.now();
  const mechanism = await authenticate(stream, features, o.creds, o.allowPlain);
  const authMs = performance.now() - t0;
  const f2 = await stream.restart(); // §6.4.6: a new stream after SASL success
  const offersSm = child(f2, 'sm', NS_SM) !== undefined;
  let resumeFailed: XmlElement | undefined;
  if (o.resume && offersSm) {
    stream.send(o.resume);
    const r = await sm(stream, 'resumed', 'failed');
    if (r.local === 'resumed') return { kind: 'resumed', resumed: r, mechanism, authMs };
    resumeFailed = r;
  }
  const jid = await bindResource(stream, f2, o.resource);
  let enabled: XmlElement | undefined;
  if (offersSm) {
    stream.send(new StreamManagement().enableRequest());
    const r = await sm(stream, 'enabled', 'failed');
    if (r.local === 'enabled') enabled = r;
  }
  return { kind: 'bound', jid, enabled, resumeFailed, mechanism, authMs };
}
