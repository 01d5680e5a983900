// RFC 6120 §4: one XML stream over one WebSocket (RFC 7395 §3.3–3.6) — https://www.rfc-editor.org/rfc/rfc6120#section-4
// Opens and restarts the stream, lets negotiation wait for elements, then routes every element
// to one handler. Any end (our error, a server error, <close/>, the socket) is reported once.
import type { XmlElement } from '../../codecs/xml.js';
import { ImppError } from '../../errors.js';
import {
  closeFrame, isStreamError, NS_STREAM, openFrame, parseFrame, readStreamError, StreamError, streamErrorFrame, stanzaFrame,
} from './framing.js';
import { closedError, openSocket, type WebSocketFactory, type XmppSocket } from './socket.js';

export interface StreamOptions {
  readonly url: string;
  readonly domain: string;
  readonly factory?: WebSocketFactory;
  /** Bound for each negotiation step and the closing handshake. */
  readonly timeoutMs: number;
  /** Called once when the stream ends for any reason other than our own `close()`. */
  readonly onLost: (error: ImppError) => void;
}

type Waiter = { match: (e: XmlElement) => boolean; resolve: (e: XmlElement) => void; reject: (e: ImppError) => void };

/** One XMPP stream. Create with {@link XmppStream.open}. */
export class XmppStream {
  /** Elements received while negotiation was not waiting for them (delivered on `route`). */
  private early: XmlElement[] = [];
  private waiters: Waiter[] = [];
  private handler: ((e: XmlElement) => void) | undefined;
  private socket: XmppSocket | undefined;
  private ended: ImppError | undefined;
  private closing: (() => void) | undefined;
  /** `performance.now()` of the last inbound frame (half-open detection). */
  lastReceived = 0;

  private constructor(private readonly opts: StreamOptions) {}

  /** Opens the socket and the stream; resolves with the stream features (§4.3.2). */
  static async open(opts: StreamOptions, signal?: AbortSignal): Promise<{ stream: XmppStream; features: XmlElement }> {
    const s = new XmppStream(opts);
    s.socket = await openSocket(opts.url, {
      onText: (t) => s.receive(t),
      onBinary: () => s.fail(new StreamError('unsupported-encoding', false, 'The server sent a binary WebSocket frame (RFC 7395 §3.3.3).')),
      onClose: (code, reason) => s.end(closedError(code, reason)),
    }, { factory: opts.factory, signal, timeoutMs: opts.timeoutMs });
    const onAbort = (): void => s.fail(new ImppError('client/disconnected', 'Connecting was aborted.'));
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return { stream: s, features: await s.restart() };
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Sends `<open/>` and waits for the server's `<open/>` and `<stream:features>` (RFC 7395 §3.4). */
  restart(): Promise<XmlElement> {
    this.early = [];
    this.sendRaw(openFrame(this.opts.domain));
    return this.waitFor((e) => e.ns === NS_STREAM && e.local === 'features');
  }

  /** Why the stream ended, once it has (undefined while it is open). */
  get closed(): ImppError | undefined {
    return this.ended;
  }

  /** Sends a stanza or nonza. */
  send(element: XmlElement): void {
    this.sendRaw(stanzaFrame(element));
  }

  private sendRaw(text: string): void {
    if (this.ended === undefined) this.socket?.send(text);
  }

  /** Resolves with the next element matching `match`; others wait for `route`. Bounded by `timeoutMs` (default: the stream's). */
  waitFor(match: (e: XmlElement) => boolean, timeoutMs = this.opts.timeoutMs): Promise<XmlElement> {
    const i = this.early.findIndex(match);
    if (i !== -1) return Promise.resolve(this.early.splice(i, 1)[0]!);
    if (this.ended) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new StreamError('connection-timeout', false, `The server did not answer within ${timeoutMs} ms.`)), timeoutMs);
      const done = <T>(f: (v: T) => void) => (v: T): void => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        f(v);
      };
      const waiter: Waiter = { match, resolve: done(resolve), reject: done(reject) };
      this.waiters.push(waiter);
    });
  }

  /**
   * Hands every later element (and `early` ones, as `replayed`) to `handler`. Call synchronously
   * after the last negotiation step so no element slips between.
   */
  route(handler: (e: XmlElement, replayed: boolean) => void): void {
    const early = this.early;
    this.early = [];
    this.handler = (e) => handler(e, false);
    for (const e of early) handler(e, true);
  }

  private receive(text: string): void {
    if (this.ended) return;
    this.lastReceived = performance.now();
    let frame;
    try {
      frame = parseFrame(text);
    } catch (err) {
      return this.fail(err as StreamError);
    }
    if (frame.kind === 'open') return;
    if (frame.kind === 'close') {
      if (this.closing) return this.closing();
      const why = frame.seeOtherUri === undefined ? 'The server closed the stream.' : `The server redirected us to ${frame.seeOtherUri}; not followed.`;
      this.sendRaw(closeFrame());
      return this.end(new StreamError(frame.seeOtherUri === undefined ? 'reset' : 'see-other-host', true, why));
    }
    const e = frame.element;
    if (isStreamError(e)) return this.end(readStreamError(e));
    const waiter = this.waiters.find((w) => w.match(e));
    if (waiter) waiter.resolve(e);
    else if (this.handler) this.handler(e);
    else this.early.push(e);
  }

  /** Ends the stream with a stream error of ours (RFC 6120 §4.9.1.1): error, then close. */
  fail(error: ImppError): void {
    if (this.ended) return;
    if (error instanceof StreamError && !error.byPeer) this.sendRaw(streamErrorFrame(error.condition));
    this.sendRaw(closeFrame());
    this.end(error);
  }

  /** Drops the socket without a closing handshake (half-open link: nothing would arrive). */
  kill(error: ImppError): void {
    this.end(error);
  }

  private end(error: ImppError): void {
    if (this.ended) return;
    this.ended = error;
    this.socket?.close();
    for (const w of this.waiters) w.reject(error);
    this.waiters = [];
    if (!this.closing) this.opts.onLost(error);
    this.closing?.();
  }

  /** Closes cleanly (RFC 7395 §3.6): `<close/>`, then waits (bounded) for the server's. */
  close(): Promise<void> {
    if (this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(), this.opts.timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.closing = () => undefined;
        this.end(new ImppError('client/disconnected', 'Disconnected.'));
        resolve();
      };
      this.closing = finish;
      this.sendRaw(closeFrame());
    });
  }
}
