import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstValueFrom, filter } from 'rxjs';
import { parseAddress } from '../../../src/core/address.js';
import type { ConversationEntry } from '../../../src/core/client-api.js';
import { createClient } from '../../../src/core/client.js';
import { ImppError } from '../../../src/core/errors.js';
import type { Delivery, InstantMessage } from '../../../src/core/message.js';
import { FakeTransport, tick } from './fake-transport.js';

const alice = parseAddress('alice@example.com');
const bob = parseAddress('bob@example.com');
const inbound = (id: string, extra: Partial<InstantMessage> = {}): InstantMessage => ({
  id, from: bob, to: alice, body: `hello ${id}`, contentType: 'text/plain', timestamp: 1, ...extra,
});
const states = (s: { state$: import('rxjs').Observable<Delivery> }) => {
  const seen: string[] = [];
  s.state$.subscribe((d) => seen.push(d.state));
  return seen;
};

test('send while offline stays queued, then goes out in order with its ids once online', async () => {
  const transport = new FakeTransport();
  const client = createClient({ outbox: 'memory', transport, autoConnect: false });
  const a = client.send(bob, 'first');
  const b = client.send(bob, 'second');
  const seenA = states(a);
  assert.deepEqual(seenA, ['queued']);
  assert.equal(transport.count('send'), 0);
  await client.connect();
  await tick();
  const sent = transport.commands.filter((c) => c.type === 'send').map((c) => (c as { message: InstantMessage }).message.id);
  assert.deepEqual(sent, [a.id, b.id]);
  assert.deepEqual(seenA, ['queued', 'sent']);
});

test('delivery states go queued → sent → delivered → read and never backwards', async () => {
  const transport = new FakeTransport();
  const client = createClient({ outbox: 'memory', transport });
  await tick();
  const out = client.send(bob, 'hi');
  const seen = states(out);
  await tick();
  transport.events.next({ type: 'receipt', id: out.id, peer: bob, state: 'delivered' });
  transport.events.next({ type: 'receipt', id: out.id, peer: bob, state: 'read' });
  transport.events.next({ type: 'receipt', id: out.id, peer: bob, state: 'delivered' }); // late duplicate
  assert.deepEqual(seen, ['queued', 'sent', 'delivered', 'read']);
});

test('a receipt that overtakes the server ack still passes through sent (queued → sent → delivered)', async () => {
  const transport = new FakeTransport();
  const client = createClient({ outbox: 'memory', transport });
  await tick();
  let ack!: () => void;
  transport.handler = (cmd) => (cmd.type === 'send' ? new Promise<void>((resolve) => (ack = resolve)) : Promise.resolve());
  const out = client.send(bob, 'hi');
  const seen = states(out);
  await tick();
  transport.events.next({ type: 'receipt', id: out.id, peer: bob, state: 'delivered' }); // before the ack
  ack();
  await tick();
  assert.deepEqual(seen, ['queued', 'sent', 'delivered']);
});

test('a read marker for the latest message marks every earlier message to that peer read (XEP-0333)', async () => {
  const transport = new FakeTransport();
  const client = createClient({ outbox: 'memory', transport });
  await tick();
  const one = client.send(bob, 'one');
  const two = client.send(bob, 'two');
  await tick();
  transport.events.next({ type: 'receipt', id: two.id, peer: bob, state: 'read' });
  const d1 = await firstValueFrom(one.state$);
  assert.equal(d1.state, 'read');
  await tick();
  const entries = await firstValueFrom(client.conversation(bob).messages$);
  assert.deepEqual(entries.map((e) => e.delivery?.state), ['read', 'read']);
});

test('a transport refusal fails the message with its typed reason; retry resends the same id', async () => {
  const transport = new FakeTransport();
  transport.handler = async (cmd) => {
    if (cmd.type === 'send') throw new ImppError('recipient/unknown', 'No such user.');
  };
  const client = createClient({ outbox: 'memory', transport });
  await tick();
  const out = client.send('nobody@example.com', 'hello?');
  const final = await firstValueFrom(out.state$.pipe(filter((d) => d.state === 'failed')));
  assert.equal(final.error?.code, 'recipient/unknown');
  transport.handler = async () => undefined;
  client.conversation('nobody@example.com').retry(out.id);
  await tick();
  const ids = transport.commands.filter((c) => c.type === 'send').map((c) => (c as { message: InstantMessage }).message.id);
  assert.deepEqual(ids, [out.id, out.id]);
  assert.equal((await firstValueFrom(out.state$)).state, 'sent');
});

test('a send that meets a dropped socket stays queued and is resent with the same id after reconnect', async () => {
  const transport = new FakeTransport();
  const client = createClient({ outbox: 'memory', transport });
  await tick();
  transport.handler = async () => { throw new ImppError('transport/closed', 'socket closed'); };
  const out = client.send(bob, 'survive');
  await tick();
  assert.equal((await firstValueFrom(out.state$)).state, 'queued');
  transport.handler = async () => undefined;
  transport.drop();
  await transport.connect();
  await tick();
  const ids = transport.commands.filter((c) => c.type === 'send').map((c) => (c as { message: InstantMessage }).message.id);
  assert.deepEqual(ids, [out.id, out.id]);
  assert.equal((await firstValueFrom(out.state$)).state, 'sent');
});

test('bad sends fail with typed errors and never throw: empty, too large (#42), invalid address, non-string', async () => {
  const transport = new FakeTransport();
  const client = createClient({ outbox: 'memory', transport });
  await tick();
  const code = async (o: { state$: import('rxjs').Observable<Delivery> }) => (await firstValueFrom(o.state$)).error?.code;
  assert.equal(await code(client.send(bob, '   ')), 'message/empty');
  assert.equal(await code(client.send(bob, 'x'.repeat(1024 * 1024))), 'message/too-large');
  assert.equal(await code(client.send('im:nobody', 'hi')), 'address/invalid');
  assert.equal(await code(client.send(bob, 42 as unknown as string)), 'client/invalid-argument');
  await tick();
  assert.equal(transport.count('send'), 0);
});

test('the same message live, as a carbon, from the archive and as a resend appears once in inbox$ (#39)', async () => {
  const transport = new FakeTransport();
  const client = createClient({ outbox: 'memory', transport });
  await tick();
  const inbox: string[] = [];
  client.inbox$.subscribe((m) => inbox.push(m.id));
  transport.events.next({ type: 'message', message: inbound('m1') }); // live, no stanza-id
  transport.events.next({ type: 'message', message: inbound('m1', { serverId: 'S1' }) }); // carbon/MAM with stanza-id
  transport.events.next({ type: 'message', message: inbound('other-id', { serverId: 'S1' }) }); // archive copy, same stanza-id
  transport.events.next({ type: 'message', message: inbound('m1') }); // resend
  transport.events.next({ type: 'message', message: inbound('m2', { body: 'hello m1' }) }); // same body is NOT a duplicate
  assert.deepEqual(inbox, ['m1', 'm2']);
  await tick();
  const entries = await firstValueFrom(client.conversation(bob).messages$);
  assert.equal(entries.length, 2);
});

test('a copy of our own message from another device joins the conversation as outgoing, not the inbox', async () => {
  const transport = new FakeTransport();
  const client = createClient({ outbox: 'memory', transport });
  await tick();
  const inbox: string[] = [];
  client.inbox$.subscribe((m) => inbox.push(m.id));
  transport.events.next({ type: 'message', message: { ...inbound('c1'), from: parseAddress('alice@example.com/phone'), to: bob } });
  await tick();
  const entries: readonly ConversationEntry[] = await firstValueFrom(client.conversation(bob).messages$);
  assert.deepEqual(inbox, []);
  assert.equal(entries[0]?.direction, 'out');
});

test('unread counts grow per peer and markRead clears them and marks the latest message read', async () => {
  const transport = new FakeTransport();
  const client = createClient({ outbox: 'memory', transport });
  await tick();
  let unread: ReadonlyMap<string, number> = new Map();
  client.unread$.subscribe((u) => (unread = u));
  transport.events.next({ type: 'message', message: inbound('u1') });
  transport.events.next({ type: 'message', message: inbound('u2') });
  assert.equal(unread.get(bob.id), 2);
  client.conversation(bob).markRead();
  assert.equal(unread.get(bob.id), undefined);
  const mark = transport.commands.find((c) => c.type === 'mark-read') as { id: string } | undefined;
  assert.equal(mark?.id, 'u2');
});

test('typing shows while the peer composes, clears on their message, and setTyping sends changes only', async () => {
  const transport = new FakeTransport();
  const client = createClient({ outbox: 'memory', transport });
  await tick();
  const convo = client.conversation(bob);
  const typing: boolean[] = [];
  convo.typing$.subscribe((t) => typing.push(t));
  transport.events.next({ type: 'typing', from: parseAddress('bob@example.com/pc'), typing: true });
  transport.events.next({ type: 'message', message: inbound('t1') });
  assert.deepEqual(typing, [false, true, false]);
  convo.setTyping(true);
  convo.setTyping(true);
  convo.setTyping(false);
  assert.equal(transport.count('typing'), 2);
});

test('commands while disconnected reject with client/disconnected; invalid addresses reject with address/invalid', async () => {
  const transport = new FakeTransport();
  const client = createClient({ outbox: 'memory', transport, autoConnect: false });
  await assert.rejects(client.approve(bob), (e: unknown) => ImppError.is(e, 'client/disconnected'));
  await client.connect();
  await assert.rejects(client.addBuddy('pres:'), (e: unknown) => ImppError.is(e, 'address/invalid'));
  await assert.rejects(client.addBuddy('alice@example.com'), (e: unknown) => ImppError.is(e, 'client/invalid-argument'));
});

test('a failing connect shows failed with the reason on connection$, then a retry can succeed', async () => {
  const transport = new FakeTransport();
  const real = transport.connect.bind(transport);
  transport.connect = async () => { throw new ImppError('auth/not-authorized', 'Wrong password.'); };
  const client = createClient({ outbox: 'memory', transport });
  const failed = await firstValueFrom(client.connection$.pipe(filter((c) => c.state === 'failed')));
  assert.equal(failed.error?.code, 'auth/not-authorized');
  transport.connect = real;
  await client.connect();
  assert.equal((await firstValueFrom(client.connection$)).state, 'online');
});

test('an archive copy of a message we sent (same id, now with a stanza-id) does not appear twice', async () => {
  const transport = new FakeTransport();
  const client = createClient({ outbox: 'memory', transport });
  await tick();
  const out = client.send(bob, 'mine');
  await tick();
  transport.handler = async (cmd) => (cmd.type === 'history'
    ? [{ ...out.message, from: parseAddress('alice@example.com/phone'), serverId: 'A1' }, inbound('older', { serverId: 'A0' })]
    : undefined);
  const added = await client.conversation(bob).loadOlder(10);
  assert.equal(added, 1);
  await tick();
  const entries = await firstValueFrom(client.conversation(bob).messages$);
  assert.deepEqual(entries.map((e) => e.message.id), ['older', out.id]);
});
