// `npm run demo:xmpp`: a private loopback Prosody with three seeded colleagues (alice, bob,
// carol — each already the others' approved contact), plus the demo server. Open the printed
// URL: demo/xmpp.html signs each of them in with the same components as the in-page demo.
import { client as xmppClient, xml } from '@xmpp/client';
import { startProsody } from './prosody.mjs';
import { startServer } from './serve.mjs';

const USERS = [['alice', 'alice-demo'], ['bob', 'bob-demo'], ['carol', 'carol-demo']];

/** Mutual, pre-approved subscriptions (RFC 6121 §3.4), set up over c2s with an independent client. */
async function seed(p) {
  const names = USERS.map(([u]) => u);
  for (const [user, password] of USERS) {
    const xmpp = xmppClient({ service: `xmpp://127.0.0.1:${p.ports.c2s}`, domain: p.host, username: user, password, resource: 'seed' });
    xmpp.on('error', () => undefined);
    await xmpp.start();
    for (const other of names.filter((n) => n !== user)) {
      const jid = `${other}@${p.host}`;
      await xmpp.iqCaller.set(xml('query', { xmlns: 'jabber:iq:roster' }, xml('item', { jid, name: other[0].toUpperCase() + other.slice(1) })));
      await xmpp.send(xml('presence', { to: jid, type: 'subscribed' }));
      await xmpp.send(xml('presence', { to: jid, type: 'subscribe' }));
    }
    await new Promise((r) => setTimeout(r, 200));
    await xmpp.stop();
  }
}

const prosody = await startProsody({ users: USERS, log: true });
try {
  await seed(prosody);
} catch (e) {
  console.warn(`Seeding contacts failed (${e.message}); add them from the buddy list instead.`);
}
const server = await startServer({});
const url = `${server.url}demo/xmpp.html?service=${encodeURIComponent(prosody.wsUrl)}`;
console.log(`\nXMPP demo: ${url}`);
console.log(`Accounts: ${USERS.map(([u, p]) => `${u}@${prosody.host} / ${p}`).join(', ')}`);
console.log('Ctrl-C stops the demo and its Prosody.');
const stop = async () => {
  await prosody.stop();
  await server.close?.();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
