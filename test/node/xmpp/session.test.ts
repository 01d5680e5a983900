import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { el, type XmlElement } from '../../../src/core/codecs/xml.js';
import { ImppError } from '../../../src/core/errors.js';
import { IqErrorReply } from '../../../src/core/transports/xmpp/iq-router.js';
import { createSession, type SessionOptions, type SessionStatus } from '../../../src/core/transports/xmpp/session.js';
import { FakeServer, until, wait } from './fake-server.js';

function setup(server = new FakeServer(), extra: Partial<SessionOptions> = {}) {
  const session = createSession({
    service: 'ws://fake/xmpp-websocket', jid: 'alice@localhost', password: 'pw', allowPlain: true,
    webSocket: server.factory, backoff: { baseMs: 1, spreadMs: 0 }, timeoutMs: 500, keepaliveMs: 0, ...extra,
  });
  const states: SessionStatus[] = [];
  const stanzas: XmlElement[] = [];
  const unacked: (readonly XmlElement[])[] = [];
  session.status$.subscribe((s) => states.push(s));
  session.stanza$.subscribe((s) => stanzas.push(s));
  session.unacked$.subscribe((u) => unacked.push(u));
  return { server, session, states, stanzas, unacked, seq: () => states.map((s) => s.state + (s.resumed ? '+resumed' : '')).join(' ') };
}
const msg = (id: string) => el('message', { to: 'bob@localhost', id, type: 'chat' }, el('body', {}, id));

describe('XMPP session (fake server)', () => {
  it('connects, binds and enables stream management', async () => {
    const t = setup();
    await t.session.connect();
    assert.equal(t.session.jid.toString(), 'xmpp:alice@localhost/r1');
    assert.equal(t.seq(), 'offline connecting online');
    assert.equal(t.server.sent('<enable').length, 1);
    assert.ok(t.session.link);
    await t.session.disconnect();
  });

  it('stanzas sent from an online-status subscriber go out at once (new session and resume)', async () => {
    const t = setup();
    t.session.status$.subscribe((s) => {
      if (s.state === 'online') t.session.send(el('presence', { id: s.resumed ? 'after-resume' : 'initial' }));
    });
    await t.session.connect();
    await until(() => t.server.received.length === 1);
    t.server.current.close();
    await until(() => t.server.received.length === 2);
    assert.deepEqual(t.server.received.map((s) => s.attrs['id']), ['initial', 'after-resume']);
    await t.session.disconnect();
  });

  it('a wrong password fails with auth/not-authorized after exactly one attempt', async () => {
    const t = setup(new FakeServer({ password: 'other' }));
    await assert.rejects(t.session.connect(), (e) => ImppError.is(e, 'auth/not-authorized'));
    await wait(50);
    assert.equal(t.server.authAttempts, 1);
    assert.equal(t.server.sockets.length, 1);
    assert.equal(t.states.at(-1)?.state, 'failed');
  });

  it('PLAIN is refused unless allowed', async () => {
    const t = setup(new FakeServer(), { allowPlain: false });
    await assert.rejects(t.session.connect(), (e) => ImppError.is(e, 'auth/mechanism-unavailable'));
    assert.equal(t.server.authAttempts, 0);
  });

  it('answers unhandled IQ get/set with service-unavailable, once (BAD-INPUTS #32)', async () => {
    const t = setup();
    await t.session.connect();
    t.session.handleIq('jabber:iq:version', () => el('query', { xmlns: 'jabber:iq:version' }, el('name', {}, 'impp-kit')));
    t.session.handleIq('urn:test:deny', () => { throw new IqErrorReply('forbidden', 'auth'); });
    t.session.stanza$.subscribe((s) => {
      if (s.attrs['id'] === 'q4') t.session.send(el('iq', { type: 'result', id: 'q4', to: s.attrs['from'] })); // a module answering itself
    });
    const push = (id: string, ns: string, type = 'get') => t.server.current.deliver(
      `<iq xmlns="jabber:client" type="${type}" id="${id}" from="bob@localhost/x"><query xmlns="${ns}"/></iq>`);
    push('q1', 'urn:unknown');
    push('q2', 'jabber:iq:version');
    push('q3', 'urn:test:deny', 'set');
    push('q4', 'urn:self-answered');
    push('q5', 'urn:unknown', 'result');
    await until(() => t.server.received.length >= 4);
    await wait(20);
    const replies = t.server.received.map((s) => `${s.attrs['id']}:${s.attrs['type']}:${(s.children[0] as XmlElement | undefined)?.local ?? ''}`);
    assert.deepEqual(replies.sort(), ['q1:error:error', 'q2:result:query', 'q3:error:error', 'q4:result:']);
    assert.match(JSON.stringify(t.server.received[0]), /service-unavailable/);
    await t.session.disconnect();
  });

  it('matches an IQ result on id and sender; a spoofed result is ignored (BAD-INPUTS #33)', async () => {
    const t = setup();
    await t.session.connect();
    const p = t.session.iq(el('iq', { type: 'get', to: 'bob@localhost/x', id: 'v1' }, el('query', { xmlns: 'jabber:iq:version' })));
    t.server.current.deliver('<iq xmlns="jabber:client" type="result" id="v1" from="mallory@localhost/x"/>');
    t.server.current.deliver('<iq xmlns="jabber:client" type="result" id="v1" from="bob@localhost/x"><query xmlns="jabber:iq:version"/></iq>');
    assert.equal((await p).attrs['from'], 'bob@localhost/x');
    const own = t.session.iq(el('iq', { type: 'get', id: 'r1' }, el('query', { xmlns: 'jabber:iq:roster' })));
    t.server.current.deliver('<iq xmlns="jabber:client" type="result" id="r1"/>'); // no from = our account
    await own;
    const err = t.session.iq(el('iq', { type: 'get', to: 'localhost', id: 'e1' }, el('query', { xmlns: 'x' })));
    t.server.current.deliver('<iq xmlns="jabber:client" type="error" id="e1" from="localhost"><error type="cancel"><item-not-found xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></iq>');
    await assert.rejects(err, (e) => ImppError.is(e, 'recipient/unknown') && (e as unknown as { condition: string }).condition === 'item-not-found');
    await assert.rejects(t.session.iq(el('iq', { type: 'get', to: 'localhost' }), 30), (e) => ImppError.is(e, 'transport/timeout'));
    await t.session.disconnect();
  });

  it('a malformed frame delivers nothing partial, sends not-well-formed, then resumes (#27, #49)', async () => {
    const t = setup();
    await t.session.connect();
    t.server.current.deliver('<message xmlns="jabber:client" from="bob@localhost/x" id="ok1"><body>one</body></message>');
    t.server.current.deliver('<message xmlns="jabber:client" from="bob@localhost/x" id="bad"><body>two</bo');
    await until(() => t.seq().endsWith('online+resumed'));
    assert.deepEqual(t.stanzas.map((s) => s.attrs['id']), ['ok1']);
    assert.ok(t.server.frames.some((f) => f.includes('<not-well-formed')));
    assert.equal(t.server.sent('<resume').length, 1);
    await t.session.disconnect();
  });

  it('a frame over 256 KiB is a policy-violation and the session reconnects (#30)', async () => {
    const t = setup();
    await t.session.connect();
    t.server.current.deliver(`<message xmlns="jabber:client" from="bob@localhost/x"><body>${'x'.repeat(300 * 1024)}</body></message>`);
    await until(() => t.seq().endsWith('online+resumed'));
    assert.ok(t.server.frames.some((f) => f.includes('<policy-violation')));
    assert.equal(t.stanzas.length, 0);
    assert.equal(t.states.find((s) => s.state === 'reconnecting')?.error?.code, 'transport/policy-violation');
    await t.session.disconnect();
  });

  it('resends unacked stanzas after a resume, and queues sends made while reconnecting (#49)', async () => {
    const server = new FakeServer({ swallow: true });
    const t = setup(server);
    await t.session.connect();
    t.session.send(msg('m1'));
    await wait(20);
    server.opts.swallow = false;
    server.current.close();
    await until(() => t.seq().includes('reconnecting'));
    t.session.send(msg('m2'));
    await until(() => t.seq().endsWith('online+resumed'));
    await until(() => server.received.length === 2);
    assert.deepEqual(server.received.map((s) => s.attrs['id']), ['m1', 'm2']);
    assert.deepEqual(t.unacked, []);
    await t.session.disconnect();
  });

  it('a failed resume hands the unacked messages back instead of resending them (#51)', async () => {
    const server = new FakeServer({ swallow: true });
    const t = setup(server);
    await t.session.connect();
    t.session.send(msg('m1'));
    t.session.send(el('presence', {}));
    const pendingIq = assert.rejects(t.session.iq(el('iq', { type: 'get', id: 'lost' }, el('query', { xmlns: 'jabber:iq:roster' }))),
      (e) => ImppError.is(e, 'transport/closed'));
    await wait(20);
    server.opts.swallow = false;
    server.opts.forgetSessions = true;
    server.current.close();
    await until(() => t.seq().endsWith('reconnecting online'));
    await pendingIq;
    assert.deepEqual(t.unacked.map((u) => u.map((s) => s.attrs['id'] ?? s.local)), [['m1', 'presence']]);
    assert.equal(server.received.length, 0, 'nothing resent blindly');
    assert.equal(server.sent('<enable').length, 2, 'a new SM session');
    await t.session.disconnect();
  });

  it('<failed h/> still acknowledges; later sends are acked on the new session', async () => {
    const server = new FakeServer({ answerR: false });
    const t = setup(server);
    const acked: string[] = [];
    t.session.acked$.subscribe((s) => acked.push(s.attrs['id']!));
    await t.session.connect();
    t.session.send(msg('m1'));
    await until(() => server.received.length === 1);
    server.opts.swallow = true;
    t.session.send(msg('m2'));
    await wait(20);
    Object.assign(server.opts, { swallow: false, forgetSessions: true, answerR: true });
    server.current.close();
    await until(() => t.seq().endsWith('reconnecting online'));
    assert.deepEqual(acked, ['m1'], 'the server handled m1 (h=1 on <failed/>)');
    assert.deepEqual(t.unacked.map((u) => u.map((s) => s.attrs['id'])), [['m2']]);
    t.session.send(msg('m3'));
    await until(() => acked.length === 2);
    assert.equal(acked[1], 'm3');
    await t.session.disconnect();
  });

  it('detects a half-open link by an unanswered <r/> and reconnects (#50)', async () => {
    const t = setup(new FakeServer({ answerR: false }), { keepaliveMs: 60, keepaliveTimeoutMs: 60 });
    await t.session.connect();
    await until(() => t.seq().includes('reconnecting'));
    assert.equal(t.states.find((s) => s.state === 'reconnecting')?.error?.code, 'transport/timeout');
    assert.ok(t.server.sent('<r ').length >= 1);
    await t.session.disconnect();
  });

  it('a conflict stream error fails the session without reconnecting', async () => {
    const t = setup();
    await t.session.connect();
    t.server.current.deliver('<stream:error xmlns:stream="http://etherx.jabber.org/streams"><conflict xmlns="urn:ietf:params:xml:ns:xmpp-streams"/></stream:error>');
    await until(() => t.states.at(-1)?.state === 'failed');
    await wait(30);
    assert.equal(t.server.sockets.length, 1);
    assert.match(t.states.at(-1)?.error?.message ?? '', /conflict/);
  });

  it('disconnect closes the stream; sending afterwards throws client/disconnected', async () => {
    const t = setup();
    await t.session.connect();
    await t.session.disconnect();
    assert.ok(t.server.frames.at(-1)?.startsWith('<close'));
    assert.equal(t.states.at(-1)?.state, 'offline');
    assert.throws(() => t.session.send(msg('x')), (e) => ImppError.is(e, 'client/disconnected'));
    await assert.rejects(t.session.iq(el('iq', { type: 'get' })), (e) => ImppError.is(e, 'client/disconnected'));
  });
});
