// @xmpp/client (xmpp.js) 0.14 adapter. Its package.json maps @xmpp/sasl-scram-sha-1 to `false`
// for browsers, so in Chromium it can only sign in with PLAIN (Prosody offers both here).
// @ts-expect-error @xmpp/client 0.14 ships no type declarations
import { client, xml } from '@xmpp/client';
import type { BenchClient, BenchLibrary, ConnectOptions } from './types.js';
import { install } from './harness.js';

async function connect(o: ConnectOptions): Promise<BenchClient> {
  const [username, domain] = o.jid.split('@');
  const x = client({ service: o.service, domain, resource: o.resource, username, password: o.password });
  x.on('error', () => undefined);
  let onMsg: ((from: string, body: string) => void) | undefined;
  x.on('stanza', (s: any) => {
    if (onMsg && s.is('message')) {
      const body = s.getChildText('body');
      if (body !== null) onMsg(s.attrs.from, body);
    }
  });
  const address = await x.start();
  if (o.presence !== false) await x.send(xml('presence'));
  return {
    jid: String(address),
    send: (to, body) => { x.send(xml('message', { type: 'chat', to }, xml('body', {}, body))); },
    onMessage: (cb) => { onMsg = cb; },
    setPresence: (status) => x.send(xml('presence', {}, xml('status', {}, status))),
    close: async () => { await x.stop(); },
  };
}

const lib: BenchLibrary = {
  name: '@xmpp/client',
  connect,
  notes: () => ['browser build: SCRAM-SHA-1 is mapped out (package.json "browser" field), so it signs in with PLAIN; XEP-0198 on (default)'],
};
install(lib);
