// Cross-tab replication of the in-page service: every tab a full replica, converging.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Replica } from '../../../src/core/transports/in-page/channel.js';
import { key, wins, type MsgRec } from '../../../src/core/transports/in-page/state.js';
import { InPageService } from '../../../src/core/transports/in-page/service.js';
import { at, device, freshChannel, next, tab, tick } from './helpers.js';

const closers: (() => void)[] = [];
after(() => closers.forEach((c) => c()));
const open = (channel: string) => { const s = tab(channel); closers.push(() => s.close()); return s; };

test('a subscription and presence flow between users in two tabs', async () => {
  const channel = freshChannel();
  const tabA = open(channel), tabB = open(channel);
  const alice = device(tabA, 'alice', { device: 'pc' }), bob = device(tabB, 'bob', { device: 'phone' });
  await alice.t.connect();
  await bob.t.connect();
  await alice.t.command({ type: 'add-buddy', address: bob.address });
  const w = await next(bob.t.events$, 'watcher', (e) => e.watcher.address.id === alice.address.id);
  assert.equal(w.watcher.state, 'pending');
  await bob.t.command({ type: 'approve', address: alice.address });
  await bob.t.command({ type: 'publish', availability: 'busy', note: 'in a call' });
  const p = await next(alice.t.events$, 'presence', (e) => e.presence.entity.id === bob.address.id && e.presence.availability === 'busy');
  assert.deepEqual(p.presence.tuples.map((t) => [t.id, t.notes[0]?.text]), [['phone', 'in a call']]);
});

test('a message sent in one tab is delivered by the tab hosting the recipient, which sends the receipt back', async () => {
  const channel = freshChannel();
  const tabA = open(channel), tabB = open(channel);
  const alice = device(tabA, 'alice'), bob = device(tabB, 'bob');
  await alice.t.connect();
  await bob.t.connect();
  await tick();
  const message = { id: 'x1', from: alice.address, to: bob.address, body: 'hi', contentType: 'text/plain', timestamp: 1 };
  await alice.t.command({ type: 'send', message });
  assert.equal((await next(bob.t.events$, 'message')).message.body, 'hi');
  assert.equal((await next(alice.t.events$, 'receipt', (e) => e.id === 'x1')).state, 'delivered');
  await bob.t.command({ type: 'mark-read', peer: alice.address, id: 'x1' });
  assert.equal((await next(alice.t.events$, 'receipt', (e) => e.state === 'read')).id, 'x1');
  assert.equal(bob.log.filter((e) => e.type === 'message').length, 1, 'delivered once');
});

test('a late tab gets a snapshot: it knows the users, their presence and history', async () => {
  const channel = freshChannel();
  const tabA = open(channel);
  const alice = device(tabA, 'alice', { device: 'pc' }), bob = device(tabA, 'bob');
  await alice.t.connect();
  await bob.t.connect();
  await alice.t.command({ type: 'send', message: { id: 'early', from: alice.address, to: bob.address, body: 'before you came', contentType: 'text/plain', timestamp: 1 } });
  await tick();
  const tabC = open(channel);
  const bob2 = device(tabC, 'bob', { device: 'tablet' });
  await bob2.t.connect(); // waits for the snapshot
  assert.ok(tabC.state.exists(alice.address.id), 'alice is known in the late tab');
  const fetched = await bob2.t.command({ type: 'fetch', address: alice.address });
  assert.deepEqual(fetched.tuples.map((t) => t.id), ['pc']);
  const history = await bob2.t.command({ type: 'history', peer: alice.address, max: 10 });
  assert.deepEqual(history.map((m) => m.body), ['before you came']);
  assert.ok(!bob2.log.some((e) => e.type === 'message'), 'an already delivered message is not delivered again to a new device');
});

test('concurrent writes to one key converge on the last writer', async () => {
  const channel = freshChannel();
  const hooks = { changed: () => undefined, signal: () => undefined };
  const r1 = new Replica(channel, hooks), r2 = new Replica(channel, hooks);
  closers.push(() => r1.close(), () => r2.close());
  await Promise.all([r1.ready, r2.ready]);
  r1.put('k', 'one');
  r2.put('k', 'two'); // neither has seen the other's write yet
  await tick();
  assert.equal(r1.get('k'), r2.get('k'));
  r1.put('k', 'three'); // r1's clock has moved past r2's write: this one wins everywhere
  await tick();
  assert.deepEqual([r1.get('k'), r2.get('k')], ['three', 'three']);
});

test('message states never go backwards, whatever the arrival order', async () => {
  const channel = freshChannel();
  const hooks = { wins, changed: () => undefined, signal: () => undefined };
  const r1 = new Replica(channel, hooks), r2 = new Replica(channel, hooks);
  closers.push(() => r1.close(), () => r2.close());
  const k = key('m', 'alice@in-page.invalid', 'id1');
  const base: MsgRec = { id: 'id1', from: 'alice@in-page.invalid', to: 'bob@in-page.invalid', body: 'x', contentType: 'text/plain', ts: 1, dev: 'pc', state: 'stored', seq: 1 };
  r1.put(k, { ...base, state: 'read' });
  for (let i = 0; i < 5; i++) r2.put('noise', i); // r2's clock runs ahead
  r2.put(k, { ...base, state: 'delivered' });
  await tick();
  assert.equal((r1.get(k) as MsgRec).state, 'read');
  assert.equal((r2.get(k) as MsgRec).state, 'read');
});

test('typing notifications cross tabs', async () => {
  const channel = freshChannel();
  const tabA = open(channel), tabB = open(channel);
  const alice = device(tabA, 'alice'), bob = device(tabB, 'bob');
  await alice.t.connect();
  await bob.t.connect();
  await alice.t.command({ type: 'typing', to: bob.address, typing: true });
  const e = await next(bob.t.events$, 'typing');
  assert.deepEqual([e.from.id, e.typing], [at('alice').id, true]);
});

test('devices of a tab that vanished without signing out are swept after the expiry', async () => {
  const channel = freshChannel();
  const fast = { heartbeatMs: 30, expiryMs: 150 };
  const tabA = new InPageService(channel, fast), tabB = new InPageService(channel, fast);
  closers.push(() => tabA.close(), () => tabB.close());
  const bob = device(tabA, 'bob', { device: 'phone' }), alice = device(tabB, 'alice');
  await bob.t.connect();
  await alice.t.connect();
  await tick();
  assert.deepEqual((await alice.t.command({ type: 'fetch', address: bob.address })).tuples.map((t) => t.id), ['phone']);
  tabA.close(); // the tab crashed: no pagehide, no sign-out, no more heartbeats
  await tick(400);
  assert.deepEqual((await alice.t.command({ type: 'fetch', address: bob.address })).tuples, [], 'swept');
});

test('a live tab puts its device back if another tab removed it', async () => {
  const channel = freshChannel();
  const tabA = open(channel), tabB = open(channel);
  const bob = device(tabA, 'bob', { device: 'phone' }), alice = device(tabB, 'alice');
  await bob.t.connect();
  await alice.t.connect();
  await tick();
  tabB.state.replica.put(key('d', bob.address.id, 'phone'), null); // e.g. a sweep of a throttled tab
  await tick(50);
  assert.deepEqual((await alice.t.command({ type: 'fetch', address: bob.address })).tuples.map((t) => t.id), ['phone']);
});

test('garbage on the channel is ignored and the service keeps working', async () => {
  const channel = freshChannel();
  const tabA = open(channel);
  const alice = device(tabA, 'alice'), bob = device(tabA, 'bob');
  await alice.t.connect();
  await bob.t.connect();
  const rogue = new BroadcastChannel(channel);
  for (const junk of [null, 42, 'x', { v: 1, from: 'r', op: 'put', k: 'not json', e: { v: 1, c: 9, t: 'r' } },
    { v: 1, from: 'r', op: 'signal', s: { kind: 'typing', from: 42 } }, { v: 1, from: 'r', op: 'snap', entries: 'nope' },
    { v: 99, from: 'r', op: 'put', k: key('b', bob.address.id, alice.address.id), e: { v: true, c: 1e9, t: 'r' } }]) rogue.postMessage(junk);
  await tick(50);
  rogue.close();
  await alice.t.command({ type: 'send', message: { id: 'after-junk', from: alice.address, to: bob.address, body: 'still fine', contentType: 'text/plain', timestamp: 1 } });
  assert.equal((await next(bob.t.events$, 'message')).message.body, 'still fine');
});
