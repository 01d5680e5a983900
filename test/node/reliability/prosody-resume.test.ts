// What Prosody 0.12.3 (Debian) does with a resumed WebSocket (issue #6), on a private server.
//
// mod_smacks moves a resumed session onto the new connection, but the connection's bytes still go
// through `session.data` of the session's first connection (mod_c2s), hence through that
// connection's mod_websocket frame buffer. Whatever a dead link left there (a frame cut in the
// middle) swallows the new link's first bytes, and the frames after it are counted (XEP-0198 `h`)
// as if nothing was missing. The first test shows it with a raw client; the second that our
// session, cut in the middle of its frames again and again, never takes such an `h` for an
// acknowledgement of what the server did not handle (src/core/transports/xmpp/session.ts
// `verifyResumed`).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { el, type XmlElement } from '../../../src/core/codecs/xml.js';
import { createSession } from '../../../src/core/transports/xmpp/session.js';
import type { WebSocketLike } from '../../../src/core/transports/xmpp/socket.js';

interface Prosody { wsUrl: string; ports: { http: number }; register(u: string, p: string): Promise<void>; stop(): Promise<void> }
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
let prosody: Prosody;
let users = 0;
const account = async () => {
  const user = `r${++users}`;
  await prosody.register(user, 'pw');
  return user;
};

before(async () => {
  // @ts-expect-error plain ESM script without types
  const { startProsody } = await import('../../../scripts/prosody.mjs');
  prosody = await startProsody({ install: false });
});
after(() => prosody?.stop());

/** A bare-bones XMPP client over one WebSocket: frames in, regex waits. */
function raw(url = prosody.wsUrl) {
  const ws = new WebSocket(url, 'xmpp');
  const frames: string[] = [];
  const waiting: { re: RegExp; resolve: (f: string) => void }[] = [];
  ws.on('message', (d) => {
    const f = String(d);
    const w = waiting.findIndex((x) => x.re.test(f));
    if (w >= 0) waiting.splice(w, 1)[0]!.resolve(f);
    else frames.push(f);
  });
  const expect = (re: RegExp, ms = 3000) => new Promise<string>((resolve, reject) => {
    const i = frames.findIndex((f) => re.test(f));
    if (i >= 0) return resolve(frames.splice(i, 1)[0]!);
    const t = setTimeout(() => reject(new Error(`no frame matching ${re}`)), ms);
    waiting.push({ re, resolve: (f) => (clearTimeout(t), resolve(f)) });
  });
  const send = (x: string) => ws.send(x);
  const open = () => send(`<open xmlns="urn:ietf:params:xml:ns:xmpp-framing" to="localhost" version="1.0"/>`);
  const login = async (user: string) => {
    await new Promise((r) => ws.once('open', r));
    open();
    await expect(/<stream:features/);
    send(`<auth xmlns="urn:ietf:params:xml:ns:xmpp-sasl" mechanism="PLAIN">${Buffer.from(`\0${user}\0pw`).toString('base64')}</auth>`);
    await expect(/<success/);
    open();
    await expect(/<stream:features/);
  };
  return { ws, send, expect, login };
}

describe('Prosody 0.12 and XEP-0198 resumption over WebSocket (#6)', () => {
  it('a resumed link reads on from a frame the dead link left unfinished, and counts the frames after it', async () => {
    const alice = await account();
    const bob = await account();
    const b = raw();
    await b.login(bob);
    b.send(`<iq type="set" id="b1" xmlns="jabber:client"><bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"/></iq>`);
    await b.expect(/id=.b1/);
    b.send(`<presence xmlns="jabber:client"/>`);

    const a1 = raw();
    await a1.login(alice);
    a1.send(`<iq type="set" id="a1" xmlns="jabber:client"><bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"/></iq>`);
    await a1.expect(/id=.a1/);
    a1.send(`<enable xmlns="urn:xmpp:sm:3" resume="true"/>`);
    const previd = /id=.([^'"]+)/.exec(await a1.expect(/<enabled/))![1]!;
    const m = (id: string) => `<message xmlns="jabber:client" to="${bob}@localhost" type="chat" id="${id}"><body>${id}</body></message>`;
    // The link dies after the first 6 bytes of a frame (a control frame: its payload, whatever
    // it is, is ignored, so what follows is read as whole frames again): FIN+pong, masked, and a
    // length that is exactly the size of the next frame we will send.
    const first = m('m1');
    assert.ok(6 + Buffer.byteLength(first) <= 125, 'a control frame carries at most 125 bytes');
    const socket = (a1.ws as unknown as { _socket: import('node:net').Socket })._socket;
    socket.write(Buffer.from([0x8a, 0x80 | (6 + Buffer.byteLength(first)), 0, 0, 0, 0]));
    await sleep(100);
    socket.destroy();
    await sleep(200);

    const a2 = raw();
    await a2.login(alice);
    a2.send(`<resume xmlns="urn:xmpp:sm:3" previd="${previd}" h="0"/>`);
    const resumed = await a2.expect(/<resumed/);
    assert.match(resumed, /h=.0/);
    a2.send(first); // swallowed: it completes the dead link's frame
    a2.send(m('m2'));
    a2.send(`<r xmlns="urn:xmpp:sm:3"/>`);
    const ack = await a2.expect(/<a /);
    assert.match(ack, /h=.1/, 'the server counts one stanza handled since the resume…');
    const atBob = await b.expect(/<message[^>]*type=.chat/);
    assert.match(atBob, /id=.m2/, '…but it was the second one: a client mapping h=1 onto its first would mark it sent');
    await assert.rejects(b.expect(/id=.m1/, 500));
    for (const c of [a2, b]) c.ws.close();
  });

  it('our session, cut in the middle of its frames again and again, never counts as acknowledged what the server did not handle', async () => {
    // @ts-expect-error plain ESM script without types
    const { startFaultProxy } = await import('../../../scripts/fault-proxy.mjs');
    const proxy = await startFaultProxy({ targetPort: prosody.ports.http, seed: 6, lifetimeMs: 120_000 });
    const alice = await account();
    const bob = await account();
    // Resumes sent on a link after the one before it was cut in the middle of our frames: the
    // ones that meet what the cut left in Prosody's frame buffer.
    const WANTED = 5;
    let resumesAfterCut = 0;
    let cutsSeen = 0;
    const ws = (url: string, p: string) => new WebSocket(url, p) as unknown as WebSocketLike;
    const watched = (url: string, p: string) => {
      const w = ws(url, p);
      const send = w.send.bind(w);
      w.send = (data) => {
        if (String(data).startsWith('<resume ') && proxy.stats.midFrame > cutsSeen) {
          cutsSeen = proxy.stats.midFrame;
          resumesAfterCut++;
        }
        send(data);
      };
      return w;
    };
    const a = createSession({ service: `ws://127.0.0.1:${proxy.port}/xmpp-websocket`, jid: `${alice}@localhost`, password: 'pw', webSocket: watched,
      backoff: { spreadMs: 0, capMs: 50 }, keepaliveMs: 1000, keepaliveTimeoutMs: 1000 });
    const b = createSession({ service: prosody.wsUrl, jid: `${bob}@localhost`, password: 'pw', webSocket: ws });
    const got = new Set<string>();
    b.stanza$.subscribe((s) => void (s.local === 'message' && s.attrs['id'] && got.add(s.attrs['id'])));
    const acked: string[] = [];
    a.acked$.subscribe((s) => void (s.local === 'message' && acked.push(s.attrs['id']!)));
    // What a failed resume hands back goes out again, as the outbox does.
    a.unacked$.subscribe((lost) => lost.forEach((s: XmlElement) => s.local === 'message' && a.send(s)));
    let state = '';
    a.status$.subscribe((s) => void (state = s.state));
    const until = async (cond: () => boolean, ms: number) => {
      for (const end = Date.now() + ms; !cond() && Date.now() < end;) await sleep(10);
    };
    await b.connect();
    b.send(el('presence', {}));
    await a.connect();
    let n = 0;
    const send = () => a.send(el('message', { to: `${bob}@localhost`, type: 'chat', id: `m${n++}` }, el('body', {}, `message ${n} ${'x'.repeat(n % 40)}`)));
    try {
      // Cut an online link while our frames go out, until enough resumes met such a cut
      // (bounded: a cut only lands on a link that carries something).
      for (const end = Date.now() + 60_000; resumesAfterCut < WANTED && Date.now() < end;) {
        await until(() => state === 'online', 5000);
        for (let i = 0; i < 3; i++) send();
        await sleep(20);
        const cuts = proxy.stats.midFrame;
        proxy.kill('mid-frame', { direction: 'up' });
        for (let i = 0; i < 3; i++) send();
        await until(() => proxy.stats.midFrame > cuts, 1000);
        await until(() => state !== 'online', 1000);
        await sleep(120);
      }
      assert.ok(resumesAfterCut >= WANTED, `only ${resumesAfterCut} resumes after a mid-frame cut in time`);
      for (const end = Date.now() + 15_000; Date.now() < end && got.size < n;) await sleep(100);
      assert.deepEqual(acked.filter((id) => !got.has(id)), [], 'acknowledged, never delivered');
      assert.equal(got.size, n, 'every message arrives in the end');
    } finally {
      await a.disconnect();
      await b.disconnect();
      await proxy.close();
    }
  });
});
