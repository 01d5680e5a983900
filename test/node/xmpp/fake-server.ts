// A scripted in-memory XMPP-over-WebSocket server (RFC 7395 + PLAIN + bind + XEP-0198) for session
// unit tests. The real-server behaviour is proven against Prosody in test/integration.
import { parseXml, type XmlElement } from '../../../src/core/codecs/xml.js';
import type { WebSocketFactory, WebSocketLike } from '../../../src/core/transports/xmpp/socket.js';

const later = (f: () => void): void => void setTimeout(f, 0);
const FRAMING = 'xmlns="urn:ietf:params:xml:ns:xmpp-framing"';
const SM = 'urn:xmpp:sm:3';

export class FakeSocket implements WebSocketLike {
  protocol = 'xmpp';
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  authed = false;
  smOn = false;
  /** Client stanzas this stream handled (XEP-0198 h), per SM session. */
  smId: string | undefined;

  constructor(private readonly server: FakeServer) {
    later(() => { this.readyState = 1; this.onopen?.({}); });
  }

  send(data: string): void {
    if (this.readyState !== 1) return;
    this.server.frames.push(data);
    later(() => this.server.handle(this, data));
  }

  close(code = 1000): void {
    if (this.readyState >= 2) return;
    this.readyState = 3;
    later(() => this.onclose?.({ code, reason: '' }));
  }

  /** Server → client frame. */
  deliver(text: string): void {
    if (this.readyState === 1) later(() => this.onmessage?.({ data: text }));
  }
}

export interface FakeServerOptions {
  password?: string;
  mechanisms?: string[];
  sm?: boolean;
  /** Answer <r/> (false: a half-open link). */
  answerR?: boolean;
  /** Receive client stanzas without handling them (lost in flight). */
  swallow?: boolean;
  /** Forget SM sessions (a server restart): resumes fail. */
  forgetSessions?: boolean;
}

/** The server; `factory` goes into the session's `webSocket` option. */
export class FakeServer {
  readonly sockets: FakeSocket[] = [];
  /** Every frame the client sent, in order. */
  readonly frames: string[] = [];
  /** Client stanzas the server handled. */
  readonly received: XmlElement[] = [];
  readonly handled = new Map<string, number>();
  authAttempts = 0;
  private smSeq = 0;
  readonly factory: WebSocketFactory = () => {
    const s = new FakeSocket(this);
    this.sockets.push(s);
    return s;
  };

  constructor(readonly opts: FakeServerOptions = {}) {}

  get current(): FakeSocket {
    return this.sockets.at(-1)!;
  }

  /** Frames of a kind, e.g. `frames('<auth')`. */
  sent(prefix: string): string[] {
    return this.frames.filter((f) => f.startsWith(prefix));
  }

  handle(sock: FakeSocket, text: string): void {
    const e = parseXml(text, { maxBytes: 1 << 20 });
    const o = this.opts;
    if (e.local === 'open') {
      sock.deliver(`<open ${FRAMING} from="localhost" id="s${this.sockets.length}" version="1.0"/>`);
      const features = sock.authed
        ? `<bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"/>${o.sm === false ? '' : `<sm xmlns="${SM}"/>`}`
        : `<mechanisms xmlns="urn:ietf:params:xml:ns:xmpp-sasl">${(o.mechanisms ?? ['PLAIN']).map((m) => `<mechanism>${m}</mechanism>`).join('')}</mechanisms>`;
      return sock.deliver(`<stream:features xmlns:stream="http://etherx.jabber.org/streams">${features}</stream:features>`);
    }
    if (e.local === 'close') return sock.deliver(`<close ${FRAMING}/>`), sock.close();
    if (e.local === 'auth') {
      this.authAttempts++;
      const [, , pass] = atob(String(e.children[0] ?? '')).split('\0');
      if (pass !== (o.password ?? 'pw')) return sock.deliver('<failure xmlns="urn:ietf:params:xml:ns:xmpp-sasl"><not-authorized/></failure>');
      sock.authed = true;
      return sock.deliver('<success xmlns="urn:ietf:params:xml:ns:xmpp-sasl"/>');
    }
    if (e.ns === SM) return this.sm(sock, e);
    if (e.local === 'iq' && e.children.some((c) => typeof c !== 'string' && c.local === 'bind')) {
      return sock.deliver(`<iq xmlns="jabber:client" type="result" id="${e.attrs['id']}"><bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"><jid>alice@localhost/r${this.sockets.length}</jid></bind></iq>`);
    }
    if (o.swallow) return;
    if (sock.smId) this.handled.set(sock.smId, (this.handled.get(sock.smId) ?? 0) + 1);
    this.received.push(e);
  }

  private sm(sock: FakeSocket, e: XmlElement): void {
    if (e.local === 'enable') {
      sock.smId = `sm${++this.smSeq}`;
      this.handled.set(sock.smId, 0);
      return sock.deliver(`<enabled xmlns="${SM}" id="${sock.smId}" resume="true"/>`);
    }
    if (e.local === 'resume') {
      const prev = e.attrs['previd']!;
      if (this.opts.forgetSessions || !this.handled.has(prev)) {
        const h = this.handled.has(prev) ? ` h="${this.handled.get(prev)}"` : ''; // XEP-0198 §5: h on <failed/> when known
        return sock.deliver(`<failed xmlns="${SM}"${h}><item-not-found xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></failed>`);
      }
      sock.smId = prev;
      return sock.deliver(`<resumed xmlns="${SM}" previd="${prev}" h="${this.handled.get(prev)}"/>`);
    }
    if (e.local === 'r' && this.opts.answerR !== false) sock.deliver(`<a xmlns="${SM}" h="${this.handled.get(sock.smId ?? '') ?? 0}"/>`);
  }
}

export const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` every 5 ms up to `ms`. */
export async function until(cond: () => boolean, ms = 2000): Promise<void> {
  for (const end = Date.now() + ms; !cond();) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await wait(5);
  }
}
