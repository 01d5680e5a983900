// A server going away (RFC 6120 §4.9.3.20 <system-shutdown/>; WebSocket 1001/1012/1013) reads as
// transport/server-shutdown; every lost link waits inside the herd window (issue #6) unless
// connect() asks for a retry now.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { parseXml } from '../../../src/core/codecs/xml.js';
import { readStreamError } from '../../../src/core/transports/xmpp/framing.js';
import { createSession, type SessionStatus } from '../../../src/core/transports/xmpp/session.js';
import { isFatal } from '../../../src/core/transports/xmpp/session-options.js';
import { closedError, type WebSocketFactory } from '../../../src/core/transports/xmpp/socket.js';
import { FakeServer, until, wait } from './fake-server.js';

const SHUTDOWN = '<stream:error xmlns:stream="http://etherx.jabber.org/streams"><system-shutdown xmlns="urn:ietf:params:xml:ns:xmpp-streams"/>'
  + '<text xmlns="urn:ietf:params:xml:ns:xmpp-streams">Received SIGTERM</text></stream:error>';
// With random() = 0.5 a lost link waits 0.5 · 400 = 200 ms (the herd window).
const BACKOFF = { baseMs: 1, spreadMs: 400 };

function setup(factory?: (server: FakeServer) => WebSocketFactory) {
  const server = new FakeServer();
  const session = createSession({
    service: 'ws://fake/xmpp-websocket', jid: 'alice@localhost', password: 'pw', allowPlain: true,
    webSocket: factory ? factory(server) : server.factory, backoff: BACKOFF, timeoutMs: 500, keepaliveMs: 0,
  });
  const states: SessionStatus[] = [];
  session.status$.subscribe((s) => states.push(s));
  return { server, session, states, online: () => states.filter((s) => s.state === 'online').length };
}

describe('server shutdown signals', () => {
  it('<system-shutdown/> reads as transport/server-shutdown, which is not fatal', () => {
    const e = readStreamError(parseXml(SHUTDOWN));
    assert.equal(e.code, 'transport/server-shutdown');
    assert.equal(e.condition, 'system-shutdown');
    assert.match(e.message, /Received SIGTERM/);
    assert.equal(isFatal(e), false);
  });

  it('WebSocket 1001, 1012 and 1013 read as transport/server-shutdown; 1000 and 1006 as transport/closed', () => {
    for (const code of [1001, 1012, 1013]) assert.equal(closedError(code).code, 'transport/server-shutdown', String(code));
    for (const code of [1000, 1006, 1011]) assert.equal(closedError(code).code, 'transport/closed', String(code));
  });
});

describe('session reconnect window', () => {
  beforeEach(() => mock.method(Math, 'random', () => 0.5));
  afterEach(() => mock.restoreAll());

  for (const [what, end, code] of [
    ['a silent drop (1006, as Prosody does with XEP-0198)', (s: FakeServer) => s.current.close(1006), 'transport/closed'],
    ['<system-shutdown/>', (s: FakeServer) => s.current.deliver(SHUTDOWN), 'transport/server-shutdown'],
    ['WebSocket close 1012', (s: FakeServer) => s.current.close(1012), 'transport/server-shutdown'],
  ] as const) {
    it(`after ${what} the first retry waits in the herd window`, async () => {
      const t = setup();
      await t.session.connect();
      end(t.server);
      await until(() => t.states.at(-1)?.state === 'reconnecting');
      assert.equal(t.states.at(-1)?.error?.code, code);
      await wait(150);
      assert.equal(t.server.sockets.length, 1, 'no attempt before 200 ms (0.5 of the 400 ms window)');
      await until(() => t.online() === 2, 1000);
      await t.session.disconnect();
    });
  }

  it('connect() while reconnecting retries at once ("Retry now")', async () => {
    mock.method(Math, 'random', () => 0.99); // ~400 ms wait otherwise
    const t = setup();
    await t.session.connect();
    t.server.current.close(1006);
    await until(() => t.states.at(-1)?.state === 'reconnecting');
    const t0 = performance.now();
    await t.session.connect();
    assert.ok(performance.now() - t0 < 150, `back after ${Math.round(performance.now() - t0)} ms`);
    assert.equal(t.online(), 2);
    await t.session.disconnect();
  });
});
