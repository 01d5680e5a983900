// The XMPP session layer against a real Prosody 0.12 (started once per run by wtr-plugins.mjs).
import { expect } from '@open-wc/testing';
import { el, type XmlElement } from '../../src/core/codecs/xml.js';
import { ImppError } from '../../src/core/errors.js';
import type { WebSocketLike } from '../../src/core/transports/xmpp/socket.js';
import { createSession, type SessionOptions, type SessionStatus, type XmppSession } from '../../src/core/transports/xmpp/session.js';

interface Server { wsUrl: string; domain: string }
interface User { jid: string; password: string }

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const body = await (await fetch(url, init)).json();
  if (body.error) throw new Error(`test server: ${body.error}`);
  return body as T;
}
const server = (): Promise<Server> => getJson('/__impp/prosody.json');
const newUser = (): Promise<User> => getJson('/__impp/users', { method: 'POST' });
const until = async (cond: () => boolean, ms = 5000): Promise<void> => {
  for (const end = Date.now() + ms; !cond();) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** A session whose WebSockets we can see, force-close, or refuse to open ("network down"). */
async function open(user: User, extra: Partial<SessionOptions> = {}) {
  const { wsUrl } = await server();
  const sockets: WebSocketLike[] = [];
  let down = false;
  const session = createSession({
    service: wsUrl, jid: user.jid, password: user.password, backoff: { baseMs: 50, spreadMs: 0 },
    webSocket: (url, protocols) => {
      if (down) throw new Error('network down (test)');
      const ws = new WebSocket(url, protocols) as unknown as WebSocketLike;
      sockets.push(ws);
      return ws;
    },
    ...extra,
  });
  const states: SessionStatus[] = [];
  const stanzas: XmlElement[] = [];
  session.status$.subscribe((s) => states.push(s));
  session.stanza$.subscribe((s) => stanzas.push(s));
  return { session, sockets, states, stanzas, network: (up: boolean) => { down = !up; } };
}

const sessions: XmppSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.disconnect()));
});

describe('XMPP session against Prosody', () => {
  it('signs in with SCRAM-SHA-1 and binds; a reconnect reuses the cached SaltedPassword', async () => {
    const t = await open(await newUser(), { resource: 'web' });
    sessions.push(t.session);
    await t.session.connect();
    expect(t.session.timings?.mechanism).to.equal('SCRAM-SHA-1');
    expect(t.session.jid.resource).to.equal('web');
    expect(t.states.map((s) => s.state)).to.deep.equal(['offline', 'connecting', 'online']);
    const first = t.session.timings!;
    const cached: number[] = [];
    for (let i = 0; i < 5; i++) {
      await t.session.disconnect();
      await t.session.connect();
      cached.push(t.session.timings!.totalMs);
    }
    const median = [...cached].sort((a, b) => a - b)[2]!;
    console.log(`[xmpp] connect+auth+bind: first ${first.totalMs.toFixed(1)} ms (auth ${first.authMs.toFixed(1)} ms, PBKDF2 10000 iterations); ` +
      `with cached SaltedPassword median ${median.toFixed(1)} ms (auth ${t.session.timings!.authMs.toFixed(1)} ms)`);
    expect(t.session.credentials?.iterations).to.equal(10000);
  });

  it('a wrong password fails with auth/not-authorized after exactly one attempt', async () => {
    const user = await newUser();
    const t = await open({ ...user, password: `${user.password}x` });
    sessions.push(t.session);
    let error: unknown;
    await t.session.connect().catch((e) => { error = e; });
    expect(ImppError.is(error, 'auth/not-authorized')).to.equal(true);
    await new Promise((r) => setTimeout(r, 1000));
    expect(t.sockets.length).to.equal(1);
    expect(t.states.at(-1)?.state).to.equal('failed');
  });

  it('IQ round trips: server ping, a handler answering a peer, service-unavailable for the unhandled', async () => {
    // bob uses the default (native WebSocket) factory.
    const [alice, bob] = await Promise.all([open(await newUser()), open(await newUser(), { webSocket: undefined })]);
    sessions.push(alice.session, bob.session);
    await Promise.all([alice.session.connect(), bob.session.connect()]);
    const pong = await alice.session.iq(el('iq', { type: 'get', to: 'localhost' }, el('ping', { xmlns: 'urn:xmpp:ping' })));
    expect(pong.attrs['type']).to.equal('result');
    bob.session.handleIq('jabber:iq:version', () => el('query', { xmlns: 'jabber:iq:version' }, el('name', {}, 'impp-kit')));
    const to = bob.session.jid.toString().replace(/^xmpp:/, '');
    const version = await alice.session.iq(el('iq', { type: 'get', to }, el('query', { xmlns: 'jabber:iq:version' })));
    expect(JSON.stringify(version)).to.contain('impp-kit');
    let error: unknown;
    await alice.session.iq(el('iq', { type: 'get', to }, el('query', { xmlns: 'urn:example:unknown' }))).catch((e) => { error = e; });
    expect((error as { condition?: string }).condition).to.equal('service-unavailable');
  });

  it('stream management: resumes after the socket is force-closed, with nothing lost either way', async () => {
    const [alice, bob] = await Promise.all([open(await newUser()), open(await newUser())]);
    sessions.push(alice.session, bob.session);
    await Promise.all([alice.session.connect(), bob.session.connect()]);
    const acked: XmlElement[] = [];
    alice.session.acked$.subscribe((s) => acked.push(s));
    const bobJid = bob.session.jid.toString().replace(/^xmpp:/, '');
    const send = (id: string) => alice.session.send(el('message', { to: bobJid, id, type: 'chat' }, el('body', {}, id)));
    send('m1');
    await until(() => acked.length === 1);
    // Kill both sockets: bob's session hibernates (messages to him queue), alice sends while reconnecting.
    bob.sockets.at(-1)!.close();
    alice.sockets.at(-1)!.close();
    await until(() => alice.states.at(-1)?.state === 'reconnecting');
    send('m2');
    await until(() => alice.states.at(-1)?.resumed === true && bob.states.at(-1)?.resumed === true);
    send('m3');
    await until(() => bob.stanzas.filter((s) => s.local === 'message').length >= 3);
    expect(bob.stanzas.filter((s) => s.local === 'message').map((s) => s.attrs['id'])).to.deep.equal(['m1', 'm2', 'm3']);
    await until(() => acked.length === 3);
    expect(alice.sockets.length).to.equal(2);
    console.log(`[xmpp] resume after force-close: ${alice.session.timings!.totalMs.toFixed(1)} ms`);
  });

  it('a failed resume (session replaced meanwhile) hands unacked messages back instead of resending', async () => {
    const user = await newUser();
    const [alice, bob] = await Promise.all([open(user, { resource: 'desk' }), open(await newUser())]);
    sessions.push(alice.session, bob.session);
    await Promise.all([alice.session.connect(), bob.session.connect()]);
    const unacked: (readonly XmlElement[])[] = [];
    alice.session.unacked$.subscribe((u) => unacked.push(u));
    // Hold alice's reconnect until another login has taken the resource over (RFC 6120 §7.7.2.2).
    alice.network(false);
    const { wsUrl } = await server();
    const pending = alice.session.iq(el('iq', { type: 'get' }, el('query', { xmlns: 'jabber:iq:roster' }))).catch((e: unknown) => e);
    const bobJid = bob.session.jid.toString().replace(/^xmpp:/, '');
    alice.session.send(el('message', { to: bobJid, id: 'u1', type: 'chat' }, el('body', {}, 'u1')));
    alice.sockets.at(-1)!.close(); // the frames go out first; their <a/> never comes back
    await until(() => alice.states.at(-1)?.state === 'reconnecting');
    const intruder = createSession({ service: wsUrl, jid: user.jid, password: user.password, resource: 'desk' });
    sessions.push(intruder);
    await intruder.connect();
    alice.network(true);
    await until(() => alice.states.at(-1)?.state === 'online');
    expect(alice.states.at(-1)?.resumed).to.equal(false);
    expect(unacked.map((u) => u.map((s) => s.attrs['id']))).to.deep.equal([['u1']]);
    expect(ImppError.is(await pending, 'transport/closed')).to.equal(true);
    expect(bob.stanzas.filter((s) => s.local === 'message').map((s) => s.attrs['id'])).to.deep.equal(['u1'], 'the server did get it: resending is the owner\'s call (dedupe by id)');
  });
});
