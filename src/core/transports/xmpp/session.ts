// RFC 6120: XMPP Core — one client session over RFC 7395 WebSocket — https://www.rfc-editor.org/rfc/rfc6120
// Orchestrates stream, negotiation and XEP-0198; implements the StanzaLink protocol modules use.
// Reconnects with backoff + full jitter (never after an auth failure) and resumes when it can.
import { BehaviorSubject, filter, firstValueFrom, Subject, type Observable, type Subscription } from 'rxjs';
import { bareAddress, parseAddress, withScheme, type Address } from '../../address.js';
import { el, type XmlElement } from '../../codecs/xml.js';
import { ImppError, TransportError } from '../../errors.js';
import { retry } from '../../backoff.js';
import { isStanza } from './framing.js';
import { IqRouter, type IqHandler } from './iq-router.js';
import { startKeepalive } from './keepalive.js';
import type { StanzaLink } from './link.js';
import { negotiate } from './negotiate.js';
import { Outbound } from './outbound.js';
import { misread, probeResumed } from './resume-probe.js';
import { Credentials } from './sasl.js';
import type { ScramKeys } from './scram.js';
import { isFatal, type SessionOptions, type SessionStatus, type SessionTimings } from './session-options.js';
import { NS_SM, StreamManagement } from './stream-management.js';
import { XmppStream } from './stream.js';

export type { SessionOptions, SessionStatus, SessionTimings } from './session-options.js';

const disconnected = (): ImppError => new ImppError('client/disconnected', 'Not connected; call connect() first.');

/** An XMPP client session: a {@link StanzaLink} with a lifecycle. See {@link createSession}. */
export class XmppSession implements StanzaLink {
  private readonly status = new BehaviorSubject<SessionStatus>({ state: 'offline' });
  private readonly inbound = new Subject<XmlElement>();
  private readonly unackedSubject = new Subject<readonly XmlElement[]>();
  private readonly sm = new StreamManagement();
  private readonly out = new Outbound(this.sm);
  private readonly creds: Credentials;
  private readonly router: IqRouter;
  private readonly account: Address;
  private bound: Address | undefined;
  private stream: XmppStream | undefined;
  private stopKeepalive = (): void => undefined;
  private run: AbortController | undefined;
  private connecting: Promise<void> | undefined;
  /** Resumes in a row whose link ended before it was verified (see `verifyResumed`). */
  private unverified = 0;
  /** Ends the current reconnect wait early (set while one is under way). */
  private wakeUp: (() => void) | undefined;
  /** Last successful (re)connect. */
  timings: SessionTimings | undefined;

  /** Lifecycle; replays the latest value; never errors or completes. */
  readonly status$: Observable<SessionStatus> = this.status.asObservable();
  /** Inbound stanzas (message, presence, iq), after XEP-0198 counting. Hot; never errors. */
  readonly stanza$: Observable<XmlElement> = this.inbound.asObservable();
  /** Our stanzas as the server acknowledges them (XEP-0198 `<a h/>`), oldest first. */
  readonly acked$: Observable<XmlElement> = this.out.acked.asObservable();
  /**
   * Messages and presences the server may never have handled, handed back to the owner when a
   * resume fails (new session), the session fails, or on disconnect for those never sent. The
   * owner decides what to resend. IQs are left out: their `iq()` promises were rejected.
   */
  readonly unacked$: Observable<readonly XmlElement[]> = this.unackedSubject.asObservable();

  constructor(private readonly opts: SessionOptions) {
    this.account = bareAddress(withScheme(parseAddress(opts.jid), 'xmpp'));
    if (this.account.local === '') throw new ImppError('client/invalid-argument', `${String(opts.jid)} has no user part.`);
    if (opts.password === undefined && opts.credentials === undefined) {
      throw new ImppError('auth/credentials-required', 'Give a password or SCRAM credentials to sign in.');
    }
    this.creds = new Credentials(this.account.local, opts.password, opts.credentials);
    this.router = new IqRouter(() => this.bound, (iq) => this.send(iq));
  }

  /** Our full JID once bound (the bare account JID before). */
  get jid(): Address {
    return this.bound ?? this.account;
  }

  /** This session as a StanzaLink once bound (stays the same object across resumes and new sessions). */
  get link(): StanzaLink | undefined {
    return this.bound ? this : undefined;
  }

  /** XEP-0198 is on for the current stream: what we send is confirmed on `acked$` (false while reconnecting). */
  get smEnabled(): boolean {
    return this.sm.enabled;
  }

  /** SCRAM keys of the last login: an app may store these instead of the password (still secrets). */
  get credentials(): ScramKeys | undefined {
    return this.creds.keys;
  }

  /**
   * Connects once (no retry: the first failure rejects and the state becomes `failed`); resolves
   * when online. After that, lost links reconnect by themselves until `disconnect()`; calling
   * `connect()` while reconnecting retries at once instead of waiting out the backoff.
   */
  connect(signal?: AbortSignal): Promise<void> {
    const state = this.status.value.state;
    if (state === 'online') return Promise.resolve();
    if (state === 'reconnecting') {
      this.wakeUp?.(); // asked for explicitly ("Retry now"): skip the rest of the backoff wait
      return firstValueFrom(this.status.pipe(filter((s) => s.state !== 'reconnecting'))).then((s) => {
        if (s.state !== 'online') throw s.error ?? disconnected();
      });
    }
    this.connecting ??= this.firstConnect(signal).finally(() => { this.connecting = undefined; });
    return this.connecting;
  }

  private async firstConnect(signal?: AbortSignal): Promise<void> {
    const run = this.newRun(signal);
    this.status.next({ state: 'connecting' });
    try {
      await this.connectOnce(run.signal);
    } catch (err) {
      const error = ImppError.from(err, 'transport/unreachable', 'Could not connect.');
      if (this.run === run) this.end(run.signal.aborted ? 'offline' : 'failed', error);
      throw error;
    }
  }

  /** Closes the stream cleanly (RFC 7395 §3.6) and stops reconnecting; idempotent. */
  async disconnect(): Promise<void> {
    this.run?.abort();
    this.run = undefined;
    const stream = this.stream;
    this.stream = undefined;
    this.stopKeepalive();
    await stream?.close();
    this.end('offline', new ImppError('client/disconnected', 'Disconnected.'));
  }

  /** Sends now when online (counted by XEP-0198); when reconnecting, after the resume. @throws client/disconnected */
  send(stanza: XmlElement): void {
    this.router.noteSent(stanza);
    const state = this.status.value.state;
    if (state === 'offline' || state === 'failed') throw disconnected();
    this.out.send(stanza);
  }

  /** Sends an IQ get/set (an id is added when missing); resolves with the matching result (see StanzaLink). */
  iq(stanza: XmlElement, timeoutMs = this.opts.iqTimeoutMs ?? 15_000): Promise<XmlElement> {
    const state = this.status.value.state;
    if (state === 'offline' || state === 'failed') return Promise.reject(disconnected());
    const { stanza: out, reply } = this.router.request(stanza, timeoutMs);
    this.send(out);
    return reply;
  }

  /**
   * Answers inbound IQ get/set whose payload is in `ns` (the latest registration wins). An IQ
   * that nothing answers — no handler here and no synchronous reply from a `stanza$` subscriber —
   * gets `service-unavailable` (BAD-INPUTS #32). Unsubscribe to unregister.
   */
  handleIq(ns: string, handler: IqHandler): Subscription {
    return this.router.handle(ns, handler);
  }

  private newRun(signal?: AbortSignal): AbortController {
    this.run?.abort();
    const run = new AbortController();
    signal?.addEventListener('abort', () => run.abort(), { once: true });
    this.run = run;
    return run;
  }

  private async connectOnce(signal: AbortSignal): Promise<void> {
    const t0 = performance.now();
    const holder: { s?: XmppStream } = {};
    const onLost = (e: ImppError): void => { if (holder.s && this.stream === holder.s) this.lost(e); };
    const { stream, features } = await XmppStream.open({
      url: this.opts.service, domain: this.account.domain, factory: this.opts.webSocket, timeoutMs: this.opts.timeoutMs ?? 10_000, onLost,
    }, signal);
    holder.s = stream;
    const abort = (): void => stream.fail(new ImppError('client/disconnected', 'Connecting was aborted.'));
    signal.addEventListener('abort', abort, { once: true });
    try {
      const socketMs = performance.now() - t0;
      // A new session binds the resource of the previous one: a server that still keeps that one
      // (hibernating, XEP-0198 §5) replaces it (RFC 6120 §7.7.2.2) instead of copying every message
      // to it for minutes, and what peers address to that full JID (receipts) reaches us.
      const resource = this.opts.resource ?? this.bound?.resource;
      const n = await negotiate(stream, features, {
        creds: this.creds, allowPlain: this.opts.allowPlain ?? false, resume: this.sm.resumeRequest(), resource,
      });
      const timings = { socketMs, authMs: n.authMs, totalMs: performance.now() - t0, mechanism: n.mechanism, resumed: n.kind === 'resumed' };
      if (n.kind === 'resumed') {
        await this.verifyResumed(stream);
        this.out.resumed(stream, n.resumed);
        return this.online(stream, timings);
      }
      // A new session: XEP-0198 §5 <failed h/> still acknowledges; the rest goes back to the owner.
      if (n.resumeFailed?.attrs['h'] !== undefined) this.out.onAck(Number(n.resumeFailed.attrs['h']));
      const lost = this.out.takeLost(true);
      this.unverified = 0;
      this.router.rejectAll(new TransportError('transport/closed', 'The XMPP session ended before the answer came; send again.'));
      if (n.enabled) this.sm.onEnabled(n.enabled);
      this.bound = withScheme(parseAddress(n.jid), 'xmpp');
      this.out.stream = stream;
      this.online(stream, timings);
      if (lost.length) this.unackedSubject.next(lost);
    } catch (err) {
      stream.fail(ImppError.from(err, 'transport/stream-error', 'Negotiation failed.'));
      throw err;
    } finally {
      signal.removeEventListener('abort', abort);
    }
  }

  /** Nothing counted goes out on a resumed link before it is proven aligned (see resume-probe.ts). */
  private async verifyResumed(stream: XmppStream): Promise<void> {
    try {
      await probeResumed(stream, this.sm.request(), this.opts.keepaliveTimeoutMs ?? 10_000);
      this.unverified = 0;
    } catch (err) {
      // What the server sent on this link is sound (only its reading of ours may be off): the
      // stanzas it resent after <resumed/> are taken, uncounted (a next resume gets them again;
      // a new session would drop them from the server: #6 lost messages that way). Its acks are not.
      stream.route((e) => void (isStanza(e) && this.router.deliver(e, (x) => this.inbound.next(x))));
      // Misread: never resume that session again. A lost link may be just that: one more try.
      if (misread(err) || ++this.unverified >= 2) {
        this.sm.forgetResumption();
        this.unverified = 0;
      }
      throw err;
    }
  }

  private online(stream: XmppStream, timings: SessionTimings): void {
    this.stream = stream;
    this.timings = timings;
    // After <resumed/> every stanza counts (§5), also those that came while we verified the link.
    stream.route((e, early) => this.receive(e, !early || timings.resumed));
    this.stopKeepalive = startKeepalive({
      idleMs: this.opts.keepaliveMs ?? 30_000,
      timeoutMs: this.opts.keepaliveTimeoutMs ?? 10_000,
      lastReceived: () => stream.lastReceived,
      probe: () => (this.sm.enabled ? stream.send(this.sm.request())
        : void this.iq(el('iq', { type: 'get', to: this.account.domain }, el('ping', { xmlns: 'urn:xmpp:ping' }))).catch(() => undefined)),
      dead: () => stream.kill(new TransportError('transport/timeout', 'The server stopped answering (half-open link).')),
    });
    this.status.next({ state: 'online', resumed: timings.resumed });
    // An end between the last negotiation step and now reached no one (`onLost` waits for
    // `this.stream`): without this the session would stay online on a dead stream.
    if (stream.closed) this.lost(stream.closed);
  }

  private receive(e: XmlElement, counted: boolean): void {
    if (e.ns === NS_SM) {
      if (e.local === 'r' && this.sm.enabled) this.stream?.send(this.sm.answer());
      if (e.local === 'a') this.out.onAck(Number(e.attrs['h']));
      return;
    }
    if (!isStanza(e)) return;
    if (counted) this.sm.countInbound(); // those that came before <enabled/> are not
    this.router.deliver(e, (s) => this.inbound.next(s));
  }

  /** The bound stream ended without our asking. */
  private lost(error: ImppError): void {
    this.stream = undefined;
    this.stopKeepalive();
    this.out.suspend();
    if (this.opts.reconnect === false || isFatal(error)) return this.end('failed', error);
    this.status.next({ state: 'reconnecting', error });
    const run = this.newRun();
    const wake = (wakeUp: () => void): (() => void) => {
      this.wakeUp = wakeUp;
      return () => { if (this.wakeUp === wakeUp) this.wakeUp = undefined; };
    };
    void retry(run.signal, (signal) => this.connectOnce(signal), { ...this.opts.backoff, fatal: isFatal, wake }).catch((err: ImppError) => {
      if (this.run === run) this.end('failed', err);
    });
  }

  /** Offline or failed: pending IQs are rejected and unsent stanzas go back to the owner. */
  private end(state: 'offline' | 'failed', error: ImppError): void {
    this.stopKeepalive();
    this.run = undefined;
    // After a clean close the server has handled what we sent (RFC 7395 §3.6); only a failure loses it.
    this.out.suspend();
    const lost = this.out.takeLost(state === 'failed');
    this.router.rejectAll(error);
    this.status.next(state === 'failed' ? { state, error } : { state });
    if (lost.length) this.unackedSubject.next(lost);
  }
}

/**
 * Creates a session (not yet connected).
 * @example
 * ```ts
 * const session = createSession({ service: 'wss://example.com/xmpp-websocket', jid: 'alice@example.com', password });
 * session.handleIq('jabber:iq:version', () => el('query', { xmlns: 'jabber:iq:version' }, el('name', {}, 'impp-kit')));
 * await session.connect();
 * ```
 */
export function createSession(options: SessionOptions): XmppSession {
  return new XmppSession(options);
}
