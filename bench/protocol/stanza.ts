// stanza 12 adapter: defaults (SCRAM-SHA-1 with its own JS crypto, XEP-0198 on).
import * as XMPP from 'stanza';
import type { BenchClient, BenchLibrary, ConnectOptions } from './types.js';
import { install } from './harness.js';

// Salted SCRAM credentials stanza hands back, kept for the page session (stanza's own cache hook).
const saved = new Map<string, any>();

async function connect(o: ConnectOptions): Promise<BenchClient> {
  const c = XMPP.createClient({
    jid: o.jid, password: o.password, resource: o.resource,
    credentials: saved.get(o.jid),
    transports: { websocket: o.service, bosh: false },
  } as any);
  c.on('credentials:update', (creds: any) => saved.set(o.jid, { ...creds, password: o.password }));
  let onMsg: ((from: string, body: string) => void) | undefined;
  c.on('message', (m: any) => { if (onMsg && m.body !== undefined) onMsg(m.from, m.body); });
  await new Promise<void>((res, rej) => {
    c.once('session:started', () => res());
    c.once('auth:failed', () => rej(new Error('auth failed')));
    c.connect();
  });
  if (o.presence !== false) c.sendPresence();
  return {
    jid: c.jid,
    send: (to, body) => { c.sendMessage({ to, body, type: 'chat' }); },
    onMessage: (cb) => { onMsg = cb; },
    setPresence: (status) => { c.sendPresence({ status }); },
    close: () => new Promise<void>((res) => { c.once('disconnected', () => res()); c.disconnect(); }),
  };
}

const lib: BenchLibrary = {
  name: 'stanza',
  connect,
  notes: () => ['SCRAM-SHA-1 (pure-JS hashing); salted credentials reused via its credentials:update event; XEP-0198 on (default)'],
};
install(lib);
