// impp-kit adapter: createClient over the XMPP WebSocket transport, as an app would use it,
// with the SCRAM keys of the first login reused for later ones (`credentials`, in memory only).
import { createClient, parseAddress, type ImppClient } from '../../src/index.js';
import { xmppTransport } from '../../src/core/transports/xmpp/index.js';
import { createSession } from '../../src/core/transports/xmpp/session.js';
import type { ScramKeys } from '../../src/core/transports/xmpp/scram.js';
import type { BenchClient, BenchLibrary, ConnectOptions } from './types.js';
import { install } from './harness.js';

const keys = new Map<string, ScramKeys>();
// `?outbox=memory` measures the same client without the IndexedDB outbox (diagnosis variant).
const outbox = new URLSearchParams(location.search).get('outbox') === 'memory' ? 'memory' : 'auto';
const timings: { authMs: number; totalMs: number }[] = [];

async function connect(o: ConnectOptions): Promise<BenchClient> {
  const cached = keys.get(o.jid);
  const session = createSession({
    service: o.service, jid: o.jid, resource: o.resource,
    ...(cached ? { credentials: cached } : { password: o.password }),
  });
  const client: ImppClient = createClient({ transport: xmppTransport(session, parseAddress(`xmpp:${o.jid}`)), autoConnect: false, outbox });
  await client.connect();
  if (session.credentials) keys.set(o.jid, session.credentials);
  if (session.timings) timings.push({ authMs: session.timings.authMs, totalMs: session.timings.totalMs });
  let onMsg: ((from: string, body: string) => void) | undefined;
  const sub = client.inbox$.subscribe((m) => onMsg?.(m.from.id, m.body));
  return {
    jid: session.jid.toString().replace(/^xmpp:/, ''),
    send: (to, body) => { client.send(`xmpp:${to}`, body); },
    onMessage: (cb) => { onMsg = cb; },
    setPresence: (status) => client.setPresence({ availability: 'available', note: status }),
    close: async () => { sub.unsubscribe(); await client.disconnect(); },
  };
}

const lib: BenchLibrary = {
  name: outbox === 'memory' ? 'impp-kit, memory outbox' : 'impp-kit',
  connect,
  notes: () => [outbox === 'memory'
    ? 'same as impp-kit but `outbox: \'memory\'` (no IndexedDB write before the wire): isolates the durable outbox cost'
    : 'createClient + XMPP transport defaults (roster, carbons, blocklist, XEP-0198, receipts, IndexedDB outbox); SCRAM keys reused via `credentials`'],
};
(globalThis as any).imppTimings = timings;
install(lib);
