// Loss and stall modes of XEP-0198 resumption the soak found (issue #6), against a scripted server.
//
// Prosody 0.12 reads a resumed WebSocket through the frame buffer of the session's first one
// (mod_smacks moves the session onto the new connection, but mod_c2s's `session.data` still
// feeds the old mod_websocket filter). When the dead link ended in the middle of one of our
// frames, the new link's first bytes complete that frame, later frames are misread and some are
// skipped, and the server then counts (XEP-0198 `h`) stanzas after the skipped ones: the client
// maps `h` onto its oldest unacknowledged stanzas and marks as `sent` messages the server never
// handled. prosody-resume.test.ts shows this against the real server; here MisreadingServer
// plays it back deterministically.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { el, type XmlElement } from '../../../src/core/codecs/xml.js';
import { createSession, type SessionOptions, type SessionStatus, type XmppSession } from '../../../src/core/transports/xmpp/session.js';
import { FakeServer, type FakeSocket, until } from '../xmpp/fake-server.js';

/** Skips the first `misread` client frames of the next resumed link, as Prosody does after a cut mid-frame. */
class MisreadingServer extends FakeServer {
  misread = 0;
  private skipping = new WeakMap<FakeSocket, number>();
  override handle(sock: FakeSocket, text: string): void {
    const left = this.skipping.get(sock) ?? 0;
    if (left > 0) return void this.skipping.set(sock, left - 1);
    super.handle(sock, text);
    if (text.startsWith('<resume') && this.misread > 0) {
      this.skipping.set(sock, this.misread);
      this.misread = 0;
    }
  }
}

/** Sessions of the running test: disconnected after it even when it fails (else they keep reconnecting and the file never ends). */
const sessions: XmppSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.disconnect()));
});

/**
 * `keepaliveTimeoutMs` also bounds the wait for the answer to the probe `<r/>` on a resumed link:
 * long by default (a slow machine must not fail a good resume); tests where it must run out pass
 * {@link PROBE_TIMES_OUT}.
 */
const PROBE_TIMES_OUT = { keepaliveTimeoutMs: 200 };
function setup(server: FakeServer, extra: Partial<SessionOptions> = {}) {
  const session = createSession({
    service: 'ws://fake/xmpp-websocket', jid: 'alice@localhost', password: 'pw', allowPlain: true,
    webSocket: server.factory, backoff: { baseMs: 1, spreadMs: 0 }, timeoutMs: 500, keepaliveMs: 0, keepaliveTimeoutMs: 1000, ...extra,
  });
  sessions.push(session);
  const states: SessionStatus[] = [];
  const acked: string[] = [];
  const handedBack: string[] = [];
  session.status$.subscribe((s) => states.push(s));
  session.acked$.subscribe((s) => void (s.local === 'message' && acked.push(s.attrs['id']!)));
  session.unacked$.subscribe((u) => u.forEach((s) => handedBack.push(s.attrs['id']!)));
  const received = () => server.received.filter((s) => s.local === 'message').map((s) => s.attrs['id']!);
  return { session, states, acked, handedBack, received };
}
const msg = (id: string) => el('message', { to: 'bob@localhost', id, type: 'chat' }, el('body', {}, id));

describe('XEP-0198 resumption over a link the server may misread (#6)', () => {
  it('nothing counts as acknowledged that the server did not handle, when a resumed link misreads our first frames', async () => {
    const server = new MisreadingServer();
    const t = setup(server, PROBE_TIMES_OUT);
    await t.session.connect();
    t.session.send(msg('m1'));
    t.session.send(msg('m2'));
    await until(() => t.acked.length === 2);
    server.misread = 2; // the link dies in the middle of a frame: the next resumed link misreads two frames
    server.current.close(1006);
    await until(() => t.states.at(-1)?.state === 'reconnecting');
    for (const id of ['m3', 'm4', 'm5']) t.session.send(msg(id));
    // The probe on the resumed link goes unanswered; then a new session is bound.
    await until(() => t.states.filter((s) => s.state === 'online').length === 2);
    assert.deepEqual(t.acked.filter((id) => !t.received().includes(id)), [], 'acknowledged but never handled by the server');
    assert.deepEqual(t.handedBack, ['m3', 'm4', 'm5'], 'the unconfirmed ones go back to the owner (the outbox sends them again)');
  });

  it('a resumed link whose <r/> goes unanswered is dropped and the next connect binds a new session', async () => {
    const server = new MisreadingServer();
    const t = setup(server, PROBE_TIMES_OUT);
    await t.session.connect();
    server.misread = 1;
    server.current.close(1006);
    await until(() => server.sent('<resume').length === 1);
    const binds = server.sent('<iq').filter((f) => f.includes('urn:ietf:params:xml:ns:xmpp-bind')).length;
    await until(() => server.sent('<iq').filter((f) => f.includes('urn:ietf:params:xml:ns:xmpp-bind')).length === binds + 1, 2000);
    await until(() => t.states.at(-1)?.state === 'online');
    assert.equal(server.sent('<resume').length, 1, 'that session is not resumed again');
    assert.equal(t.states.some((s) => s.resumed), false, 'never online as resumed');
  });

  it('a resumed link lost before the server answered gets one more resume (it may just have been a lost link), a second one a new session', async () => {
    class DropsOnProbe extends FakeServer {
      drops = 1;
      override handle(sock: FakeSocket, text: string): void {
        const resumed = this.frames.filter((f) => f.startsWith('<resume')).length;
        if (text.startsWith('<r ') && resumed > 0 && this.drops > 0 && sock === this.current && this.frames.at(-2)?.startsWith('<resume')) {
          this.drops--;
          return sock.close(1006);
        }
        super.handle(sock, text);
      }
    }
    const server = new DropsOnProbe();
    const t = setup(server);
    await t.session.connect();
    server.current.close(1006);
    await until(() => t.states.at(-1)?.state === 'online' && t.states.at(-1)?.resumed === true, 2000);
    assert.equal(server.sent('<resume').length, 2, 'resumed again after the lost probe');
    server.drops = 2;
    server.current.close(1006);
    await until(() => server.sent('<resume').length === 4 && t.states.at(-1)?.state === 'online', 2000);
    assert.equal(t.states.at(-1)?.resumed, false, 'after two unverified resumes a new session');
  });

  it('once the server answered an <r/> on the resumed link, what waited goes out in order and is acknowledged', async () => {
    const server = new MisreadingServer();
    const t = setup(server);
    await t.session.connect();
    server.current.close(1006);
    await until(() => t.states.at(-1)?.state === 'reconnecting');
    for (const id of ['m1', 'm2', 'm3']) t.session.send(msg(id));
    await until(() => t.acked.length === 3);
    assert.deepEqual(t.received(), ['m1', 'm2', 'm3']);
    assert.equal(t.states.at(-1)?.resumed, true);
    const afterResume = server.frames.slice(server.frames.findIndex((f) => f.startsWith('<resume')) + 1);
    assert.match(afterResume[0]!, /^<r /, 'the first frame on a resumed link is the <r/> probe');
  });

  it('a new session binds the resource of the one it replaces (the server drops that one instead of keeping it for minutes)', async () => {
    const server = new FakeServer({ forgetSessions: true });
    const t = setup(server);
    await t.session.connect();
    const first = t.session.jid.resource;
    server.current.close(1006);
    await until(() => server.sent('<iq').filter((f) => f.includes('xmpp-bind')).length === 2 && t.states.at(-1)?.state === 'online');
    const binds = server.sent('<iq').filter((f) => f.includes('xmpp-bind'));
    assert.doesNotMatch(binds[0]!, /<resource>/, 'the first time the server chooses');
    assert.match(binds[1]!, new RegExp(`<resource>${first}</resource>`));
  });

  it('a link that ends right after the last negotiation step does not leave the session online on a dead stream', async () => {
    // Node's `ws` (like any host that dispatches several frames in one task) can deliver
    // <enabled/> and the close together: the end came before the session took the stream.
    class EndsWithEnabled extends FakeServer {
      once = true;
      override handle(sock: FakeSocket, text: string): void {
        if (!(this.once && text.startsWith('<enable'))) return super.handle(sock, text);
        this.once = false;
        setTimeout(() => {
          sock.onmessage?.({ data: '<enabled xmlns="urn:xmpp:sm:3" id="sm-x" resume="true"/>' });
          sock.readyState = 3;
          sock.onclose?.({ code: 1006, reason: '' });
        }, 0);
      }
    }
    const server = new EndsWithEnabled();
    const t = setup(server);
    await t.session.connect().catch(() => undefined);
    await until(() => server.sockets.length >= 2 && t.states.at(-1)?.state === 'online', 2000);
    assert.deepEqual(t.states.map((s) => s.state), ['offline', 'connecting', 'online', 'reconnecting', 'online']);
    t.session.send(msg('m1'));
    await until(() => t.received().includes('m1'));
  });

  it('stanzas the server sends between <resumed/> and its answer to our probe count toward the h we acknowledge', async () => {
    // XEP-0198 §5: after <resumed/> every stanza the server sends is counted, also those that came
    // while the session still waited for the probe's <a/> (it re-sends its queue first).
    const chat = (id: string) => `<message xmlns="jabber:client" from="bob@localhost/pc" to="alice@localhost" type="chat" id="${id}"><body>${id}</body></message>`;
    class QueueBeforeAnswer extends FakeServer {
      override handle(sock: FakeSocket, text: string): void {
        if (text.startsWith('<r ') && this.frames.at(-2)?.startsWith('<resume')) sock.deliver(chat('in-gap'));
        super.handle(sock, text);
      }
    }
    const server = new QueueBeforeAnswer();
    const t = setup(server);
    const got: string[] = [];
    t.session.stanza$.subscribe((s) => void (s.local === 'message' && got.push(s.attrs['id']!)));
    await t.session.connect();
    for (const id of ['b1', 'b2']) server.current.deliver(chat(id));
    await until(() => got.length === 2);
    server.current.close(1006);
    await until(() => t.states.at(-1)?.state === 'online' && t.states.at(-1)?.resumed === true);
    await until(() => got.includes('in-gap'));
    const resumeH = Number(/ h=["'](\d+)/.exec(server.sent('<resume').at(-1)!)![1]);
    assert.equal(resumeH, 2, 'the two stanzas of the first link');
    const answers = server.sent('<a ').length;
    server.current.deliver('<r xmlns="urn:xmpp:sm:3"/>');
    await until(() => server.sent('<a ').length > answers);
    const h = Number(/ h=["'](\d+)/.exec(server.sent('<a ').at(-1)!)![1]);
    assert.equal(h, resumeH + 1, 'the stanza that came before the probe was answered is counted');
  });

  it('stanzas the server resent after <resumed/> reach the owner even when the probe goes unanswered (a new session follows)', async () => {
    // Prosody re-sends its queue right after <resumed/>. If the link then fails its probe and the
    // next connect binds a new session, the server drops that queue (it archived the messages):
    // taken from the failed link, they are not lost with it.
    const chat = (id: string) => `<message xmlns="jabber:client" from="bob@localhost/pc" to="alice@localhost" type="chat" id="${id}"><body>${id}</body></message>`;
    class ResendsThenMisreads extends MisreadingServer {
      override handle(sock: FakeSocket, text: string): void {
        super.handle(sock, text);
        if (text.startsWith('<resume')) sock.deliver(chat('queued-while-away'));
      }
    }
    const server = new ResendsThenMisreads();
    const t = setup(server, PROBE_TIMES_OUT);
    const got: string[] = [];
    t.session.stanza$.subscribe((s) => void (s.local === 'message' && got.push(s.attrs['id']!)));
    await t.session.connect();
    server.misread = 1; // the probe <r/> is skipped: no answer, the resumption is given up
    server.current.close(1006);
    await until(() => t.states.filter((s) => s.state === 'online').length === 2);
    assert.equal(t.states.some((s) => s.resumed), false, 'a new session, not a resume');
    assert.deepEqual(got, ['queued-while-away']);
  });
});
