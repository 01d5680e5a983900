// The IndexedDB outbox applies writes in the order they were issued (#6): with XEP-0198 acks a
// message's `sent` write (which keeps the row's place) and its receipt's delete come together;
// the delete must win, or a later page would restore and resend a delivered message.
import { expect } from '@open-wc/testing';
import { parseAddress } from '../../../src/core/address.js';
import type { InstantMessage } from '../../../src/core/message.js';
import { indexedDbOutboxStore } from '../../../src/core/outbox-store.js';

describe('IndexedDB outbox: write order', () => {
  it('a delete issued right after a sent-mark is not undone by it', async () => {
    const owner = `order-${Math.random().toString(36).slice(2)}`;
    const store = await indexedDbOutboxStore(owner);
    const m: InstantMessage = { id: 'm1', from: parseAddress('alice@example.com'), to: parseAddress('bob@example.com'), body: 'hi', contentType: 'text/plain', timestamp: Date.now() };
    await store.put(m);
    const reloaded = await indexedDbOutboxStore(owner); // another page: it knows nothing of m's row
    const marked = reloaded.put(m, Date.now()); // the ack…
    const deleted = reloaded.delete(m.id); // …and the receipt, before the first write finished
    await Promise.all([marked, deleted]);
    expect(await (await indexedDbOutboxStore(owner)).load()).to.deep.equal([]);
  });
});
