import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstValueFrom, filter } from 'rxjs';
import { createClient } from '../../../src/core/client.js';
import type { InstantMessage } from '../../../src/core/message.js';
import { memoryOutboxStore } from '../../../src/core/outbox-store.js';
import { FakeTransport, tick } from './fake-transport.js';

test('without IndexedDB the outbox falls back to memory and says so once on errors$', async () => {
  const codes: string[] = [];
  for (let i = 0; i < 3; i++) {
    const client = createClient({ transport: new FakeTransport() });
    client.errors$.subscribe((e) => codes.push(e.code));
  }
  await tick();
  assert.deepEqual(codes, ['storage/unavailable']);
});

test('a message is written to the store before the transport sees it, marked when sent, deleted once receipted', async () => {
  const order: string[] = [];
  const inner = memoryOutboxStore();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const store = {
    kind: 'memory' as const,
    load: inner.load,
    put: async (m: InstantMessage, sentAt?: number) => { await gate; order.push(sentAt === undefined ? 'stored' : 'marked sent'); await inner.put(m, sentAt); },
    delete: async (id: string) => { order.push('deleted'); await inner.delete(id); },
  };
  const transport = new FakeTransport();
  transport.handler = async (cmd) => { order.push(cmd.type); };
  const client = createClient({ transport, outbox: store });
  await tick();
  const out = client.send('bob@example.com', 'durable');
  await tick();
  assert.deepEqual(order, [], 'nothing reaches the wire before the write commits');
  release();
  await firstValueFrom(out.state$.pipe(filter((d) => d.state === 'sent')));
  await tick();
  assert.deepEqual(order, ['stored', 'send', 'marked sent']);
  assert.equal((await inner.load())[0]?.sentAt !== undefined, true, 'kept for the resend window (#51)');
  transport.events.next({ type: 'receipt', id: out.id, peer: out.message.to, state: 'delivered' });
  await tick();
  assert.deepEqual(order, ['stored', 'send', 'marked sent', 'deleted']);
  assert.deepEqual(await inner.load(), []);
});

test('a new client restores unconfirmed messages as queued with their original ids and sends them', async () => {
  const store = memoryOutboxStore();
  const offline = new FakeTransport();
  const first = createClient({ transport: offline, outbox: store, autoConnect: false });
  const out = first.send('bob@example.com', 'after reload');
  await tick();
  assert.equal((await store.load()).length, 1);
  // "Reload": a new client over the same store.
  const transport = new FakeTransport();
  const second = createClient({ transport, outbox: store });
  const entries = await firstValueFrom(second.conversation('bob@example.com').messages$.pipe(filter((e) => e.length > 0)));
  assert.equal(entries[0]?.message.id, out.id);
  await tick();
  const sent = transport.commands.filter((c) => c.type === 'send').map((c) => (c as { message: InstantMessage }).message.id);
  assert.deepEqual(sent, [out.id]);
});
