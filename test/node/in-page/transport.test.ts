// The in-page transport on its own: command validation, ordering, lifecycle, history.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ImppError } from '../../../src/core/errors.js';
import { MAX_BODY_BYTES, type InstantMessage } from '../../../src/core/message.js';
import { inPage } from '../../../src/core/transports/in-page/index.js';
import type { TransportCommand } from '../../../src/core/transports/transport.js';
import { at, device, freshChannel, next, tab, tick } from './helpers.js';

const svc = tab(freshChannel());
after(() => svc.close());
const msg = (id: string, from: string, to: string, body = 'hi'): InstantMessage =>
  ({ id, from: at(from), to: at(to), body, contentType: 'text/plain', timestamp: Date.now() });

test('commands resolve before any event they cause (never re-entrant)', async () => {
  const a = device(svc, 'order-a'), b = device(svc, 'order-b');
  await a.t.connect();
  await b.t.connect();
  const order: string[] = [];
  a.t.events$.subscribe((e) => order.push(e.type === 'receipt' ? `receipt ${e.state}` : e.type));
  const sent = a.t.command({ type: 'send', message: msg('o1', 'order-a', 'order-b') }).then(() => order.push('resolved'));
  assert.equal(order.length, 0, 'nothing is emitted synchronously');
  await sent;
  await next(a.t.events$, 'receipt');
  assert.deepEqual(order.filter((x) => x === 'resolved' || x.startsWith('receipt')), ['resolved', 'receipt delivered']);
});

test('connect emits connecting then online, roster and own presence; disconnect emits offline', async () => {
  const a = device(svc, 'life', { device: 'pc' });
  await a.t.connect();
  assert.deepEqual(a.log.slice(0, 3).map((e) => (e.type === 'connection' ? e.state : e.type)), ['connecting', 'online', 'roster']);
  await a.t.disconnect();
  assert.deepEqual(a.log.at(-1), { type: 'connection', state: 'offline' });
  await a.t.disconnect(); // idempotent
  await assert.rejects(a.t.command({ type: 'watch', address: at('x') }), (e) => ImppError.is(e, 'client/disconnected'));
});

test('connect with an aborted signal rejects with transport/closed', async () => {
  const a = device(svc, 'aborted');
  await assert.rejects(a.t.connect(AbortSignal.abort()), (e) => ImppError.is(e, 'transport/closed'));
});

test('bad input never throws synchronously: it rejects with a typed ImppError', async () => {
  const a = device(svc, 'bad-input');
  await a.t.connect();
  const big = 'x'.repeat(MAX_BODY_BYTES + 1);
  const cases: [unknown, string][] = [
    [null, 'client/invalid-argument'],
    [{ type: 'bogus' }, 'client/invalid-argument'],
    [{ type: 'watch', address: 'im:' }, 'address/invalid'],
    [{ type: 'watch', address: { id: 42 } }, 'address/invalid'],
    [{ type: 'publish', availability: 'bogus' }, 'client/invalid-argument'],
    [{ type: 'publish', availability: 'away', note: 42 }, 'client/invalid-argument'],
    [{ type: 'add-buddy', address: at('z'), groups: 'Friends' }, 'client/invalid-argument'],
    [{ type: 'add-buddy', address: at('bad-input') }, 'client/invalid-argument'],
    [{ type: 'history', peer: at('z'), max: -1 }, 'client/invalid-argument'],
    [{ type: 'send', message: null }, 'client/invalid-argument'],
    [{ type: 'send', message: { ...msg('b1', 'bad-input', 'z'), body: big } }, 'message/too-large'],
    [{ type: 'send', message: { ...msg('b2', 'bad-input', 'z'), body: '' } }, 'message/empty'],
    [{ type: 'send', message: msg('b3', 'bad-input', 'never-connected') }, 'recipient/unknown'],
    [{ type: 'send', message: { ...msg('b4', 'bad-input', 'z'), to: 'xmpp://nope' } }, 'address/invalid'],
  ];
  for (const [cmd, code] of cases) {
    let p: Promise<unknown> | undefined;
    assert.doesNotThrow(() => { p = a.t.command(cmd as TransportCommand); }, `sync throw for ${JSON.stringify(cmd)?.slice(0, 60)}`);
    await assert.rejects(p!, (e) => ImppError.is(e, code as never), `${code} for ${JSON.stringify(cmd)?.slice(0, 60)}`);
  }
});

test('bad options throw a typed error from inPage()', () => {
  assert.throws(() => inPage({ user: '' }), (e) => ImppError.is(e, 'address/invalid'));
  assert.throws(() => inPage({ user: 'ok', device: '\u0001' }), (e) => ImppError.is(e, 'client/invalid-argument'));
  assert.throws(() => inPage({ user: 'ok', priority: 7 }), (e) => ImppError.is(e, 'client/invalid-argument'));
  assert.equal(inPage({ user: 'Alice', channel: `x-${Math.random()}` }).self.toString(), 'im:alice@in-page.invalid');
  assert.equal(inPage({ user: 'xmpp:Bob@Example.org', channel: `x-${Math.random()}` }).self.id, 'bob@example.org');
});

test('inPage() clients on one channel share one service', async () => {
  const channel = `shared-${Math.random()}`;
  const a = inPage({ user: 'share-a', channel }), b = inPage({ user: 'share-b', channel });
  await a.connect();
  await b.connect();
  await a.command({ type: 'send', message: msg('s1', 'share-a', 'share-b') }); // known: same service
  await a.disconnect();
  await b.disconnect();
});

test('a resend with the same id is stored and delivered once', async () => {
  const a = device(svc, 'resend-a'), b = device(svc, 'resend-b');
  await a.t.connect();
  await b.t.connect();
  const m = msg('r1', 'resend-a', 'resend-b');
  await a.t.command({ type: 'send', message: m });
  await a.t.command({ type: 'send', message: m });
  await tick();
  assert.equal(b.log.filter((e) => e.type === 'message').length, 1);
  assert.equal((await b.t.command({ type: 'history', peer: a.address, max: 10 })).length, 1);
});

test('history: newest last, pages by id, at most 500 per pair', async () => {
  const a = device(svc, 'hist-a'), b = device(svc, 'hist-b');
  await a.t.connect();
  await b.t.connect();
  for (let i = 0; i < 505; i++) await a.t.command({ type: 'send', message: msg(`h${i}`, 'hist-a', 'hist-b', `#${i}`) });
  const all = await b.t.command({ type: 'history', peer: a.address, max: 1000 });
  assert.equal(all.length, 500);
  assert.deepEqual([all[0]!.body, all.at(-1)!.body], ['#5', '#504']);
  const page = await a.t.command({ type: 'history', peer: b.address, max: 3, before: 'h100' });
  assert.deepEqual(page.map((m) => m.body), ['#97', '#98', '#99']);
});

test('invisible (offline) publishes a closed tuple without its note', async () => {
  const a = device(svc, 'inv', { device: 'pc' });
  await a.t.connect();
  await a.t.command({ type: 'publish', availability: 'offline', note: 'hidden' });
  const p = await next(a.t.events$, 'presence', (e) => e.presence.availability === 'offline');
  assert.deepEqual(p.presence.tuples.map((t) => [t.id, t.status, t.notes.length]), [['pc', 'closed', 0]]);
});

test('events$ never completes or errors across connect, bad commands and disconnect', async () => {
  const a = device(svc, 'stream');
  let ended = false;
  a.t.events$.subscribe({ error: () => (ended = true), complete: () => (ended = true) });
  await a.t.connect();
  await a.t.command({ type: 'history', peer: at('x'), max: 0 }).catch(() => undefined);
  await a.t.disconnect();
  await a.t.connect();
  await a.t.disconnect();
  await tick();
  assert.equal(ended, false);
});

test('disconnect while connecting abandons the connection', async () => {
  const late = tab(freshChannel()); // a new "tab": connect waits for other tabs' snapshots first
  const a = device(late, 'abandon');
  const connecting = a.t.connect();
  await a.t.disconnect();
  await assert.rejects(connecting, (e) => ImppError.is(e, 'transport/closed'));
  await tick();
  assert.deepEqual(a.log.map((e) => (e.type === 'connection' ? e.state : e.type)), ['connecting', 'offline']);
  await assert.rejects(a.t.command({ type: 'watch', address: at('x') }), (e) => ImppError.is(e, 'client/disconnected'));
  late.close();
});
