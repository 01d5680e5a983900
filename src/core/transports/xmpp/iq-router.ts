// RFC 6120 §8.2.3 and §8.3: IQ semantics and stanza errors — https://www.rfc-editor.org/rfc/rfc6120#section-8.2.3
// Requests wait for a result matched on id AND sender (BAD-INPUTS "Spoofing rules"); inbound
// get/set go to the handler registered for the payload namespace, else service-unavailable (#32).
import { nanoid } from 'nanoid';
import { Subscription } from 'rxjs';
import { sameAddress, type Address } from '../../address.js';
import { child, childrenOf, el, type XmlElement } from '../../codecs/xml.js';
import { TransportError, type ImppErrorCode } from '../../errors.js';

export const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';

/** What an IQ handler returns: the result payload, `undefined` for an empty result, `null` for no reply at all. */
export type IqAnswer = XmlElement | undefined | null;
/** Answers an inbound IQ get/set. Throw an {@link IqErrorReply} to answer with an error. */
export type IqHandler = (iq: XmlElement) => IqAnswer | Promise<IqAnswer>;

/** Thrown by an {@link IqHandler} to reply `type="error"` with a defined condition (§8.3.3). */
export class IqErrorReply extends Error {
  override name = 'IqErrorReply';
  constructor(readonly condition: string, readonly errorType: 'cancel' | 'continue' | 'modify' | 'auth' | 'wait' = 'cancel') {
    super(condition);
  }
}

/** An IQ answered with `type="error"`: `condition` is the §8.3.3 condition, e.g. `'item-not-found'`. */
export class IqError extends TransportError {
  override name = 'IqError';
  constructor(code: ImppErrorCode, readonly condition: string, readonly reply: XmlElement) {
    super(code, `The request failed: ${condition}.`);
  }
}

const CODES: Readonly<Record<string, ImppErrorCode>> = {
  'service-unavailable': 'transport/unsupported', 'feature-not-implemented': 'transport/unsupported',
  'item-not-found': 'recipient/unknown', 'jid-malformed': 'recipient/unknown', 'remote-server-not-found': 'recipient/unknown',
  'recipient-unavailable': 'recipient/unavailable', 'remote-server-timeout': 'recipient/unavailable',
};

/** Reads a stanza error reply into an {@link IqError}. */
export function readIqError(reply: XmlElement): IqError {
  const cond = childrenOf(child(reply, 'error') ?? el('none')).find((c) => c.ns === NS_STANZAS && c.local !== 'text')?.local ?? 'undefined-condition';
  return new IqError(CODES[cond] ?? 'transport/stream-error', cond, reply);
}

/** An `<error>` reply to `iq` (§8.3.1). */
export function errorReply(iq: XmlElement, condition: string, type = 'cancel'): XmlElement {
  return el('iq', { type: 'error', id: iq.attrs['id'], to: iq.attrs['from'] },
    el('error', { type }, el(condition, { xmlns: NS_STANZAS })));
}

type Pending = { to: string | undefined; resolve: (e: XmlElement) => void; reject: (e: unknown) => void; timer: ReturnType<typeof setTimeout> };

/** Pending requests and registered handlers of one session. */
export class IqRouter {
  private readonly pending = new Map<string, Pending>();
  private readonly handlers = new Map<string, IqHandler[]>();
  private dispatching: { id: string; answered: boolean } | undefined;

  constructor(private readonly self: () => Address | undefined, private readonly reply: (iq: XmlElement) => void) {}

  /** Gives `stanza` an id when it has none, and returns it with a promise of the matching reply. */
  request(stanza: XmlElement, timeoutMs: number): { stanza: XmlElement; reply: Promise<XmlElement> } {
    const id = stanza.attrs['id'] ?? nanoid(10);
    const out = stanza.attrs['id'] ? stanza : el('iq', { ...stanza.attrs, id }, ...stanza.children);
    const reply = new Promise<XmlElement>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new TransportError('transport/timeout', `No answer to the request within ${timeoutMs} ms.`));
      }, timeoutMs);
      this.pending.set(id, { to: stanza.attrs['to'], resolve, reject, timer });
    });
    return { stanza: out, reply };
  }

  /** Registers the handler for get/set IQs whose payload is in `ns`; the latest registration wins. */
  handle(ns: string, handler: IqHandler): Subscription {
    this.handlers.set(ns, [...(this.handlers.get(ns) ?? []), handler]);
    return new Subscription(() => {
      const left = (this.handlers.get(ns) ?? []).filter((h) => h !== handler);
      if (left.length) this.handlers.set(ns, left);
      else this.handlers.delete(ns);
    });
  }

  /**
   * Delivers an inbound stanza through `emit` (the `stanza$` subscribers), then routes IQs: a
   * get/set that a subscriber answered synchronously (a reply seen by {@link noteSent}) is done;
   * otherwise the registered handler answers, or `service-unavailable`.
   */
  deliver(stanza: XmlElement, emit: (s: XmlElement) => void): void {
    const id = stanza.attrs['id'];
    const type = stanza.attrs['type'];
    const request = stanza.local === 'iq' && (type === 'get' || type === 'set') && id !== undefined;
    this.dispatching = request ? { id, answered: false } : undefined;
    try {
      emit(stanza);
    } finally {
      const answered = this.dispatching?.answered ?? false;
      this.dispatching = undefined;
      if (stanza.local === 'iq' && !answered) this.receive(stanza);
    }
  }

  /** Call for every outbound stanza: notices a subscriber's reply during {@link deliver}. */
  noteSent(stanza: XmlElement): void {
    const d = this.dispatching;
    if (d && stanza.local === 'iq' && stanza.attrs['id'] === d.id && /^(result|error)$/.test(stanza.attrs['type'] ?? '')) d.answered = true;
  }

  /** Routes one inbound IQ. */
  receive(iq: XmlElement): void {
    const type = iq.attrs['type'];
    const id = iq.attrs['id'];
    if (id === undefined) return;
    if (type === 'result' || type === 'error') {
      const p = this.pending.get(id);
      if (!p || !this.fromMatches(iq.attrs['from'], p.to)) return; // #33: wrong sender → ignore
      this.pending.delete(id);
      clearTimeout(p.timer);
      if (type === 'result') p.resolve(iq);
      else p.reject(readIqError(iq));
      return;
    }
    if (type !== 'get' && type !== 'set') return;
    const payload = childrenOf(iq)[0];
    const handler = payload?.ns === undefined ? undefined : this.handlers.get(payload.ns)?.at(-1);
    if (!handler) return this.reply(errorReply(iq, 'service-unavailable'));
    Promise.resolve()
      .then(() => handler(iq))
      .then(
        (answer) => { if (answer !== null) this.reply(el('iq', { type: 'result', id, to: iq.attrs['from'] }, answer)); },
        (err) => this.reply(err instanceof IqErrorReply ? errorReply(iq, err.condition, err.errorType) : errorReply(iq, 'internal-server-error', 'wait')),
      );
  }

  /** Rejects every pending request (the session they were sent on is gone). */
  rejectAll(error: unknown): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    this.pending.clear();
  }

  /** RFC 6120 §8.1.2.1: no `from` is our own account; a reply comes from where the request went. */
  private fromMatches(from: string | undefined, to: string | undefined): boolean {
    const me = this.self();
    if (!me) return false;
    const bare = me.id;
    if (to === undefined) return from === undefined || sameAddress(from, bare) || sameAddress(from, me);
    return sameAddress(from ?? bare, to);
  }
}
