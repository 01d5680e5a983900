// Focused reproductions of the loss and order modes the soak (test/integration/soak.test.ts,
// issue #6) found. Each names the promise it checks (BAD-INPUTS "Reliability promise", rows
// 51, 54); they fail until src/ is fixed (see the #6 report for causes and proposed fixes).
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { BehaviorSubject, Subject } from 'rxjs';
import { parseAddress } from '../../../src/core/address.js';
import { createClient } from '../../../src/core/client.js';
import { parseXml, serializeXml, type XmlElement } from '../../../src/core/codecs/xml.js';
import { ImppError } from '../../../src/core/errors.js';
import type { InstantMessage } from '../../../src/core/message.js';
import { memoryOutboxStore, type OutboxStore } from '../../../src/core/outbox-store.js';
import type { ConnectionState } from '../../../src/core/transports/transport.js';
import { xmppTransport, type SessionPort } from '../../../src/core/transports/xmpp/transport.js';
import { FakeTransport } from '../client/fake-transport.js';
import { fakeLink } from '../xmpp-modules/fake-link.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An XMPP session port whose server answers IQs but never acknowledges (XEP-0198) or receipts messages. */
function silentServerSession() {
  const f = fakeLink('alice@localhost/web');
  f.respond(async (iq) => parseXml(`<iq xmlns="jabber:client" type="result" id="${iq.attrs['id']}"/>`));
  const status$ = new BehaviorSubject<{ state: ConnectionState; resumed?: boolean }>({ state: 'offline' });
  const unacked$ = new Subject<readonly XmlElement[]>();
  const session: SessionPort = {
    status$, unacked$, link: f.link,
    async connect() { status$.next({ state: 'connecting' }); status$.next({ state: 'online' }); },
    async disconnect() { status$.next({ state: 'offline' }); },
  };
  const bodies = () => f.sent.filter((s) => s.local === 'message').map(serializeXml).filter((x) => x.includes('<body>'));
  const sent = () => f.sent.map(serializeXml);
  return { session, status$, unacked$, bodies, sent };
}

const self = parseAddress('xmpp:alice@localhost');

describe('soak findings (#6)', () => {
  it('row 54: a message the server never acknowledged is still in the outbox store after a reload', async () => {
    const store = memoryOutboxStore(); // stands for IndexedDB: it outlives the page
    const page1 = silentServerSession();
    const client1 = createClient({ transport: xmppTransport(page1.session, self), outbox: store });
    await wait(20);
    const out = client1.send('bob@localhost', 'typed just before the reload');
    await wait(20);
    assert.equal(page1.bodies().length, 1, 'handed to the stream');
    // The page goes away now: no <a h/> ever came, so the server may never have had it.
    const left = await store.load();
    assert.deepEqual(left.map((r) => r.message.id), [out.id],
      'sender.ts deletes the row when the transport merely took the stanza (state "sent"), before any XEP-0198 ack');
  });

  it('row 51: after a new session (resume failed), sent-but-unreceipted messages go out again with the same id', async () => {
    const s = silentServerSession();
    const client = createClient({ transport: xmppTransport(s.session, self), outbox: memoryOutboxStore() });
    await wait(20);
    const out = client.send('bob@localhost', 'acked by a server that then restarted');
    await wait(20);
    assert.equal(s.bodies().length, 1);
    // The server had acked it (nothing handed back on unacked$), then restarted: new session.
    s.status$.next({ state: 'reconnecting' });
    s.status$.next({ state: 'online', resumed: false });
    await wait(50);
    const again = s.bodies().filter((x) => x.includes(out.id));
    assert.equal(again.length, 2, 'no receipt ever came: the message must be offered again after the new session');
  });

  it('per-sender order: messages restored from an earlier page go out before ones typed on the new page', async () => {
    const inner = memoryOutboxStore();
    const older: InstantMessage = { id: 'older-1', from: parseAddress('alice@example.com'), to: parseAddress('bob@example.com'), body: 'typed before the reload', contentType: 'text/plain', timestamp: Date.now() - 1000 };
    await inner.put(older);
    // IndexedDB opens asynchronously: the new page can send before the old rows are loaded.
    const store: OutboxStore = { ...inner, load: async () => { await wait(30); return inner.load(); } };
    const transport = new FakeTransport('alice@example.com');
    const wire: string[] = [];
    transport.handler = async (cmd) => { if (cmd.type === 'send') wire.push(cmd.message.body); };
    const client = createClient({ transport, outbox: store, autoConnect: false });
    client.send('bob@example.com', 'typed after the reload');
    await wait(60);
    await client.connect();
    await wait(30);
    assert.deepEqual(wire, ['typed before the reload', 'typed after the reload']);
  });

  it('row 54: a page whose first connect hits a transient failure still sends its outbox once the service is back', async () => {
    const transport = new FakeTransport('alice@example.com');
    let attempts = 0;
    transport.connect = async () => {
      attempts++;
      if (attempts === 1) throw new ImppError('transport/closed', 'The connection closed (WebSocket code 1006).');
      transport.online = true;
      transport.events.next({ type: 'connection', state: 'online' });
    };
    const sent: string[] = [];
    transport.handler = async (cmd) => { if (cmd.type === 'send') sent.push(cmd.message.id); };
    // The retry is drawn over the 30 s herd window: pin the draw near its start (1% → 300 ms).
    const random = mock.method(Math, 'random', () => 0.01);
    try {
      const client = createClient({ transport, outbox: memoryOutboxStore() });
      const out = client.send('bob@example.com', 'restored from the outbox');
      await wait(2000);
      assert.deepEqual(sent, [out.id], `connect attempts: ${attempts}; the client stays "failed" after one transient error`);
    } finally {
      random.mock.restore();
    }
  });

  // Receipts and XEP-0333 markers are not archived: one lost with a session is sent again.
  for (const { what, ns, payload, why } of [
    { what: 'a receipt', ns: 'urn:xmpp:receipts', payload: '<received xmlns="urn:xmpp:receipts" id="b1"/>',
      why: 'without it the sender keeps the message `sent` and offers it again after every reload' },
    { what: 'a displayed marker (XEP-0333)', ns: 'urn:xmpp:chat-markers:0', payload: '<displayed xmlns="urn:xmpp:chat-markers:0" id="b1"/>',
      why: 'without it the sender never learns the message was read' },
  ]) {
    it(`${what} the old session never got acknowledged goes out again on the next one (it is not archived)`, async () => {
      const s = silentServerSession();
      const t = xmppTransport(s.session, self, { catchUp: false });
      await t.connect();
      await wait(20);
      const stanza = parseXml(`<message xmlns="jabber:client" to="bob@localhost/pc" id="r1">${payload}</message>`);
      s.status$.next({ state: 'reconnecting' });
      s.unacked$.next([stanza]); // the resume failed: the session hands back what the server may not have
      s.status$.next({ state: 'online', resumed: false });
      await wait(50);
      const sent = s.sent().filter((x) => x.includes(ns));
      assert.equal(sent.length, 1, why);
      assert.match(sent[0]!, / id="b1"/);
    });
  }

  it('a login overtaken by a new session does not report the connection failed (the new login decides)', async () => {
    const f = fakeLink('alice@localhost/web');
    let rejectFirst: (e: unknown) => void = () => undefined;
    let rosterFetches = 0;
    f.respond((iq) => {
      if (serializeXml(iq).includes('jabber:iq:roster') && rosterFetches++ === 0) return new Promise((_, reject) => { rejectFirst = reject; });
      return parseXml(`<iq xmlns="jabber:client" type="result" id="${iq.attrs['id']}"/>`);
    });
    const status$ = new BehaviorSubject<{ state: ConnectionState; resumed?: boolean }>({ state: 'offline' });
    const session: SessionPort = {
      status$, link: f.link,
      async connect() { status$.next({ state: 'connecting' }); status$.next({ state: 'online' }); },
      async disconnect() { status$.next({ state: 'offline' }); },
    };
    const t = xmppTransport(session, self, { catchUp: false });
    const states: string[] = [];
    t.events$.subscribe((e) => void (e.type === 'connection' && states.push(e.state)));
    const connected = t.connect();
    await wait(10);
    status$.next({ state: 'reconnecting' });
    status$.next({ state: 'online', resumed: false }); // a new session: the session rejects the old one's IQs
    rejectFirst(new ImppError('transport/closed', 'The XMPP session ended before the answer came; send again.'));
    await connected;
    await wait(10);
    assert.deepEqual(states, ['connecting', 'reconnecting', 'online'], 'no "failed" in between');
  });

  it('per-sender order: after a new session, queued messages and unreceipted repeats go out oldest first', async () => {
    const transport = new FakeTransport('alice@example.com');
    const wire: string[] = [];
    let refuse = (_: string) => false;
    transport.handler = async (cmd) => {
      if (cmd.type !== 'send') return;
      if (refuse(cmd.message.body)) throw new ImppError('transport/closed', 'not acknowledged before the link died');
      wire.push(cmd.message.body);
    };
    const client = createClient({ transport, outbox: memoryOutboxStore(), autoConnect: false });
    await client.connect();
    refuse = (body) => body.startsWith('one'); // its ack was lost with the link: it stays queued
    client.send('bob@example.com', 'one (queued again)');
    await wait(30);
    client.send('bob@example.com', 'two (sent, never receipted)');
    await wait(60);
    refuse = () => false;
    wire.length = 0;
    transport.drop();
    await wait(30);
    await transport.connect(); // a new session: both go out again
    await wait(100);
    assert.deepEqual(wire, ['one (queued again)', 'two (sent, never receipted)']);
  });
});
