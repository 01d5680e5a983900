// The durable outbox on Chromium's real IndexedDB (#54): a "reload" is a new client over the
// same database. The transport is a fake port (the port is not under test here).
import { expect } from '@open-wc/testing';
import { filter, firstValueFrom, Subject } from 'rxjs';
import { parseAddress } from '../../../src/core/address.js';
import { createClient } from '../../../src/core/client.js';
import { ImppError } from '../../../src/core/errors.js';
import type { InstantMessage } from '../../../src/core/message.js';
import { indexedDbOutboxStore } from '../../../src/core/outbox-store.js';
import type { Transport, TransportCommand, TransportEvent } from '../../../src/core/transports/transport.js';

function fakeTransport(self: string, online: boolean) {
  const events = new Subject<TransportEvent>();
  const sent: InstantMessage[] = [];
  const transport: Transport = {
    protocol: 'fake',
    self: parseAddress(self),
    events$: events,
    connect: async () => { if (!online) throw new ImppError('transport/unreachable', 'offline for this test'); events.next({ type: 'connection', state: 'online' }); },
    disconnect: async () => { events.next({ type: 'connection', state: 'offline' }); },
    command: (async (cmd: TransportCommand) => { if (cmd.type === 'send') sent.push(cmd.message); }) as Transport['command'],
  };
  return { transport, sent, events };
}

/** Polls `read` until `done` holds (the store is written asynchronously), failing after `ms`. */
async function waitFor<T>(read: () => Promise<T> | T, done: (v: T) => boolean, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('durable outbox (IndexedDB)', () => {
  it('restores queued messages after a reload with state queued and their original ids, then sends them once', async () => {
    const self = `u${Math.random().toString(36).slice(2)}@example.com`;
    const before = fakeTransport(self, false);
    const page1 = createClient({ transport: before.transport });
    const a = page1.send('bob@example.com', 'one');
    const b = page1.send('bob@example.com', 'two');
    const store = await indexedDbOutboxStore(`fake:${self}`);
    const rows = await waitFor(() => store.load(), (r) => r.length === 2);
    expect(rows.map((r) => r.message.id)).to.deep.equal([a.id, b.id]);

    const after = fakeTransport(self, true);
    const page2 = createClient({ transport: after.transport });
    const entries = await firstValueFrom(page2.conversation('bob@example.com').messages$.pipe(filter((e) => e.length === 2)));
    expect(entries.map((e) => e.message.id)).to.deep.equal([a.id, b.id]);
    await waitFor(() => after.sent.length, (n) => n >= 2);
    await new Promise((r) => setTimeout(r, 100)); // and nothing more: each is sent once
    expect(after.sent.map((m) => m.id)).to.deep.equal([a.id, b.id]);
    expect(after.sent.map((m) => m.body)).to.deep.equal(['one', 'two']);
    // Sent but not receipted: kept (marked sent) for the resend window. A receipt removes them.
    expect((await waitFor(() => store.load(), (r) => r.every((x) => x.sentAt !== undefined))).map((r) => r.sentAt !== undefined)).to.deep.equal([true, true]);
    for (const m of after.sent) after.events.next({ type: 'receipt', id: m.id, peer: m.to, state: 'delivered' });
    expect(await waitFor(() => store.load(), (r) => r.length === 0)).to.deep.equal([]);
  });
});
