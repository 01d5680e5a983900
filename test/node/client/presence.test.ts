import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestScheduler } from 'rxjs/testing';
import { parseAddress } from '../../../src/core/address.js';
import { createClient } from '../../../src/core/client.js';
import { makePresence, unknownPresence, type Presence } from '../../../src/core/presence.js';
import { FakeTransport, tick } from './fake-transport.js';

const bob = parseAddress('bob@example.com');
const busy = (note = 'meeting'): Presence =>
  makePresence(bob, [{ id: 'pc', status: 'open', availability: 'busy', notes: [{ text: note }] }]);

test('presence$ is ref-counted: N subscribers share one watch, released by the last (marbles)', () => {
  const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
  const scheduler = new TestScheduler((a, b) => assert.deepEqual(plain(a), plain(b)));
  scheduler.run(({ expectObservable, expectSubscriptions, hot }) => {
    const transport = new FakeTransport();
    transport.online = true;
    transport.now = () => scheduler.now();
    const client = createClient({ outbox: 'memory', transport, autoConnect: false });
    transport.events.next({ type: 'connection', state: 'online' });
    const events = hot('--a--b-----|', { a: busy('one'), b: busy('two') });
    events.subscribe((p) => transport.events.next({ type: 'presence', presence: p }));
    const first = client.presence$('Bob@Example.com');
    const second = client.presence$('xmpp:bob@example.com/phone'); // same principal, same stream
    assert.equal(first, second);
    // Subscriber 1 from frame 0 to 7, subscriber 2 from frame 3 to 9.
    expectObservable(first, '^------!').toBe('u-a--b-', { u: unknownPresence(bob), a: busy('one'), b: busy('two') });
    expectObservable(second, '---^-----!').toBe('---a-b---', { a: busy('one'), b: busy('two') });
    scheduler.flush();
    // One watch at frame 0, one unwatch when the last subscriber left at frame 9.
    assert.deepEqual(transport.log, [{ t: 0, type: 'watch' }, { t: 9, type: 'unwatch' }]);
  });
});

test('a late subscriber gets the latest presence replayed, and a new watch after full release', async () => {
  const transport = new FakeTransport();
  const client = createClient({ outbox: 'memory', transport });
  await tick();
  const seen: Presence[] = [];
  const s1 = client.presence$('bob@example.com').subscribe((p) => seen.push(p));
  transport.events.next({ type: 'presence', presence: busy() });
  const late: Presence[] = [];
  const s2 = client.presence$('bob@example.com').subscribe((p) => late.push(p));
  assert.equal(late.at(-1)?.availability, 'busy');
  assert.equal(transport.count('watch'), 1);
  s1.unsubscribe();
  s2.unsubscribe();
  assert.equal(transport.count('unwatch'), 1);
  client.presence$('bob@example.com').subscribe().unsubscribe();
  assert.equal(transport.count('watch'), 2, 'a fresh subscription after release watches again');
});

test('presence$ of an invalid address reports address/invalid and never errors or completes', async () => {
  const transport = new FakeTransport();
  const client = createClient({ outbox: 'memory', transport });
  const errors: string[] = [];
  client.errors$.subscribe((e) => errors.push(e.code));
  let ended = false;
  const sub = client.presence$('im:nobody').subscribe({ error: () => (ended = true), complete: () => (ended = true) });
  await tick();
  assert.deepEqual(errors, ['address/invalid']);
  assert.equal(ended, false);
  assert.equal(transport.count('watch'), 0);
  sub.unsubscribe();
});

test('a malformed transport event goes to errors$ and later events still flow', async () => {
  const transport = new FakeTransport();
  const client = createClient({ outbox: 'memory', transport });
  await tick();
  const errors: string[] = [];
  client.errors$.subscribe((e) => errors.push(e.code));
  const seen: string[] = [];
  client.presence$(bob).subscribe((p) => seen.push(p.availability));
  transport.events.next({ type: 'presence', presence: { entity: undefined } } as never);
  transport.events.next({ type: 'presence', presence: busy() });
  assert.equal(errors.length, 1);
  assert.deepEqual(seen, ['unknown', 'busy']);
});

test('watches are renewed after a reconnect, and presence is unknown while disconnected', async () => {
  const transport = new FakeTransport();
  const client = createClient({ outbox: 'memory', transport });
  await tick();
  const seen: string[] = [];
  client.presence$(bob).subscribe((p) => seen.push(p.availability));
  transport.events.next({ type: 'presence', presence: busy() });
  transport.drop();
  await transport.connect();
  assert.deepEqual(seen, ['unknown', 'busy', 'unknown']);
  assert.equal(transport.count('watch'), 2);
});

test('buddies$ coalesces a flood of 1,000 presence updates into a few emissions (#37)', async () => {
  const transport = new FakeTransport();
  const client = createClient({ outbox: 'memory', transport });
  await tick();
  const items = Array.from({ length: 1000 }, (_, i) => ({ address: parseAddress(`u${i}@example.com`), groups: [], subscription: 'both' as const }));
  transport.events.next({ type: 'roster', items });
  let emissions = 0;
  let last: readonly { presence: Presence }[] = [];
  client.buddies$.subscribe((b) => { emissions++; last = b; });
  for (const item of items) transport.events.next({ type: 'presence', presence: makePresence(item.address, [{ id: 'r', status: 'open', notes: [] }]) });
  await tick(80);
  assert.ok(emissions <= 3, `expected ≤ 3 emissions, got ${emissions}`);
  assert.equal(last.length, 1000);
  assert.ok(last.every((b) => b.presence.availability === 'available'));
});

test('our own presence is available once online (transports publish it), offline otherwise, then what we set', async () => {
  const transport = new FakeTransport();
  const client = createClient({ outbox: 'memory', transport, autoConnect: false });
  const seen: string[] = [];
  client.selfPresence$.subscribe((p) => seen.push(p.availability));
  await client.connect();
  await client.setPresence({ availability: 'busy', note: 'meeting' });
  transport.drop();
  await transport.connect();
  assert.deepEqual(seen, ['offline', 'available', 'busy', 'offline', 'busy']);
});
