// The floor: hand-written minimal stanzas over a bare WebSocket (RFC 7395 framing), SCRAM-SHA-1
// (RFC 5802) with WebCrypto and the salted keys cached in memory, bind, no XEP-0198, no roster.
// Whatever a library costs beyond this is its overhead.
import type { BenchClient, BenchLibrary, ConnectOptions } from './types.js';
import { install } from './harness.js';

const enc = new TextEncoder();
const b64 = (u: Uint8Array): string => btoa(String.fromCharCode(...u));
const unb64 = (s: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');
const unesc = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
const attr = (xml: string, name: string) => new RegExp(`\\s${name}=['"]([^'"]*)['"]`).exec(xml)?.[1];

type Bytes = Uint8Array<ArrayBuffer>;
/** The n-th capture group of `re` in `s`, or an error (the server said something unexpected). */
function group(re: RegExp, s: string, n = 1): string {
  const v = re.exec(s)?.[n];
  if (v === undefined) throw new Error(`unexpected frame: ${s.slice(0, 200)}`);
  return v;
}
async function hmac(key: Bytes, data: Bytes): Promise<Bytes> {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, data));
}
const keyCache = new Map<string, { clientKey: Bytes; serverKey: Bytes }>();
async function keys(user: string, password: string, salt: string, iterations: number) {
  const id = `${user}\n${salt}\n${iterations}`;
  let k = keyCache.get(id);
  if (!k) {
    const base = await crypto.subtle.importKey('raw', enc.encode(password), 'PBKDF2', false, ['deriveBits']);
    const salted = new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-1', salt: unb64(salt), iterations }, base, 160));
    k = { clientKey: await hmac(salted, enc.encode('Client Key')), serverKey: await hmac(salted, enc.encode('Server Key')) };
    keyCache.set(id, k);
  }
  return k;
}

/** A WebSocket whose frames are awaited one at a time. */
class Frames {
  private queue: string[] = [];
  private waiters: ((f: string) => void)[] = [];
  handler: ((f: string) => void) | undefined;
  constructor(readonly ws: WebSocket) {
    ws.onmessage = (e) => {
      const f = e.data as string;
      if (this.handler) this.handler(f);
      else if (this.waiters.length) this.waiters.shift()!(f);
      else this.queue.push(f);
    };
  }
  next(): Promise<string> {
    return this.queue.length ? Promise.resolve(this.queue.shift()!) : new Promise((r) => this.waiters.push(r));
  }
  /** Next frame that is not an <open/> (features or a reply). */
  async nextNonOpen(): Promise<string> {
    for (;;) { const f = await this.next(); if (!f.startsWith('<open')) return f; }
  }
  send(s: string) { this.ws.send(s); }
}

const open = (domain: string) => `<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='${domain}' version='1.0'/>`;

async function connect(o: ConnectOptions): Promise<BenchClient> {
  const user = group(/^([^@]+)@/, o.jid);
  const domain = group(/@([^/]+)/, o.jid);
  const ws = new WebSocket(o.service, 'xmpp');
  await new Promise<void>((res, rej) => { ws.onopen = () => res(); ws.onerror = () => rej(new Error('ws error')); });
  const fr = new Frames(ws);
  fr.send(open(domain));
  await fr.nextNonOpen(); // features
  const cnonce = b64(crypto.getRandomValues(new Uint8Array(18)));
  const bare = `n=${user},r=${cnonce}`;
  fr.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>${btoa(`n,,${bare}`)}</auth>`);
  const ch = await fr.next();
  const first = atob(group(/>([^<]*)</, ch));
  const a = new Map(first.split(',').map((p) => [p.slice(0, 1), p.slice(2)]));
  const k = await keys(user, o.password, a.get('s') ?? '', Number(a.get('i')));
  const storedKey = new Uint8Array(await crypto.subtle.digest('SHA-1', k.clientKey));
  const without = `c=biws,r=${a.get('r') ?? ''}`;
  const authMsg = enc.encode(`${bare},${first},${without}`);
  const sig = await hmac(storedKey, authMsg);
  const proof = k.clientKey.map((x, i) => x ^ (sig[i] ?? 0));
  fr.send(`<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>${btoa(`${without},p=${b64(proof)}`)}</response>`);
  const ok = await fr.next();
  if (!ok.startsWith('<success')) throw new Error(`auth failed: ${ok}`);
  const v = atob(group(/>([^<]*)</, ok)).slice(2);
  if (v !== b64(await hmac(k.serverKey, authMsg))) throw new Error('bad server signature');
  fr.send(open(domain));
  await fr.nextNonOpen(); // features after restart
  fr.send(`<iq type='set' id='b1' xmlns='jabber:client'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>${o.resource ? `<resource>${esc(o.resource)}</resource>` : ''}</bind></iq>`);
  const bound = await fr.next();
  const jid = group(/<jid>([^<]*)<\/jid>/, bound);
  if (o.presence !== false) fr.send(`<presence xmlns='jabber:client'/>`);
  let onMsg: ((from: string, body: string) => void) | undefined;
  fr.handler = (f) => {
    if (onMsg && f.startsWith('<message')) {
      const body = /<body>([^<]*)<\/body>/.exec(f);
      if (body) onMsg(attr(f, 'from') ?? '', unesc(body[1] ?? ''));
    } else if (f.startsWith('<iq') && /type=['"]get['"]/.test(f)) {
      fr.send(`<iq xmlns='jabber:client' type='error' to='${attr(f, 'from')}' id='${attr(f, 'id')}'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`);
    }
  };
  let n = 0;
  return {
    jid,
    send: (to, body) => fr.send(`<message xmlns='jabber:client' type='chat' to='${esc(to)}' id='m${++n}'><body>${esc(body)}</body></message>`),
    onMessage: (cb) => { onMsg = cb; },
    setPresence: (status) => fr.send(`<presence xmlns='jabber:client'><status>${esc(status)}</status></presence>`),
    close: () => new Promise<void>((res) => {
      const t = setTimeout(() => { ws.close(); res(); }, 2000);
      fr.handler = (f) => { if (f.startsWith('<close')) { clearTimeout(t); ws.close(); res(); } };
      ws.onclose = () => { clearTimeout(t); res(); };
      fr.send(`<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>`);
    }),
  };
}

const raw: BenchLibrary = {
  name: 'raw WebSocket (floor)',
  connect,
  notes: () => ['hand-written stanzas, SCRAM-SHA-1 via WebCrypto with salted keys cached in memory; no XEP-0198, no roster, no receipts'],
};
install(raw);
