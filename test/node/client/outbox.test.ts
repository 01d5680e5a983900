import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstValueFrom, filter } from 'rxjs';
import { createClient } from '../../../src/core/client.js';
import type { InstantMessage } from '../../../src/core/message.js';
import { memoryOutboxStore } from '../../../src/core/outbox-store.js';
import { RESEND_WINDOW_MS } from '../../../src/core/sender.js';
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

/** A store holding one message an earlier page saw confirmed almost a resend window (RESEND_WINDOW_MS) ago. */
async function confirmedBeforeReload() {
  const store = memoryOutboxStore();
  const first = createClient({ transport: new FakeTransport(), outbox: store, autoConnect: false });
  const out = first.send('bob@example.com', 'confirmed, never receipted');
  await tick();
  const confirmedAt = Date.now() - RESEND_WINDOW_MS + 600;
  await store.put(out.message, confirmedAt);
  return { store, id: out.id, confirmedAt };
}

test('a message the service confirmed before a reload comes back `sent` (not queued) and is offered again once, as a repeat', async () => {
  const { store, id, confirmedAt } = await confirmedBeforeReload();
  const transport = new FakeTransport();
  const second = createClient({ transport, outbox: store });
  const states: string[] = [];
  second.conversation('bob@example.com').messages$.subscribe((e) => e[0]?.delivery && states.push(e[0].delivery.state));
  await tick(20);
  const sends = transport.commands.filter((c) => c.type === 'send') as { message: InstantMessage; confirmedAt?: number }[];
  assert.deepEqual(sends.map((c) => [c.message.id, c.confirmedAt]), [[id, confirmedAt]], 'offered again once, saying when the service confirmed it');
  assert.deepEqual([...new Set(states)], ['sent'], 'never shown as queued again');
  await tick(800);
  assert.deepEqual(await store.load(), [], 'its window closed RESEND_WINDOW_MS after that confirmation (the transport kept it)');
});

test('a repeat the service confirmed again (it had lost the message) starts a new resend window', async () => {
  const { store, id } = await confirmedBeforeReload();
  const transport = new FakeTransport();
  transport.handler = async (cmd) => (cmd.type === 'send' && cmd.confirmedAt !== undefined ? 'repeated' : undefined);
  createClient({ transport, outbox: store });
  await tick(800);
  const rows = await store.load();
  assert.deepEqual(rows.map((r) => r.message.id), [id], 'still kept after the first window closed');
  assert.ok(rows[0]!.sentAt! > Date.now() - 1000, 'marked with the new confirmation');
});
