// strophe.js 5 adapter: defaults (SCRAM-SHA-1 via WebCrypto, RFC 7395 WebSocket).
import { $msg, $pres, Strophe } from 'strophe.js';
import type { BenchClient, BenchLibrary, ConnectOptions } from './types.js';
import { install } from './harness.js';

// SCRAM keys strophe exposes after a login (`scram_keys`), passed back as the password next time.
const saved = new Map<string, unknown>();

async function connect(o: ConnectOptions): Promise<BenchClient> {
  const conn = new (Strophe as any).Connection(o.service);
  let onMsg: ((from: string, body: string) => void) | undefined;
  conn.addHandler((m: Element) => {
    const body = m.getElementsByTagName('body')[0];
    if (onMsg && body) onMsg(m.getAttribute('from') ?? '', body.textContent ?? '');
    return true;
  }, null, 'message');
  let closed: (() => void) | undefined;
  await new Promise<void>((res, rej) => {
    conn.connect(o.resource ? `${o.jid}/${o.resource}` : o.jid, saved.get(o.jid) ?? o.password, (status: number) => {
      const S = (Strophe as any).Status;
      if (status === S.CONNECTED) res();
      else if (status === S.AUTHFAIL || status === S.CONNFAIL || status === S.ERROR) rej(new Error(`strophe status ${status}`));
      else if (status === S.DISCONNECTED) closed?.();
    });
  });
  if (conn.scram_keys) saved.set(o.jid, conn.scram_keys);
  if (o.presence !== false) conn.send($pres());
  return {
    jid: conn.jid,
    send: (to, body) => conn.send($msg({ to, type: 'chat' }).c('body').t(body)),
    onMessage: (cb) => { onMsg = cb; },
    setPresence: (status) => conn.send($pres().c('status').t(status)),
    close: () => new Promise<void>((res) => { closed = res; conn.disconnect(); }),
  };
}

const lib: BenchLibrary = {
  name: 'strophe.js',
  connect,
  notes: () => ['SCRAM-SHA-1 via WebCrypto; keys reused by passing its `scram_keys` back as the password; defaults (no XEP-0198 unless enabled)'],
};
install(lib);
