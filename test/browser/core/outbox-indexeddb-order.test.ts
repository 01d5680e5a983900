// The IndexedDB outbox applies writes in the order they were issued (#6): with XEP-0198 acks a
// message's `sent` write (which keeps the row's place) and its receipt's delete come together;
// the delete must win, or a later page would restore and resend a delivered message. Writes
// issued together share a transaction: one commit per write held every send behind the store.
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

  it('writes issued together commit in a few transactions, each message as its last write left it, in send order', async () => {
    const owner = `batch-${Math.random().toString(36).slice(2)}`;
    const store = await indexedDbOutboxStore(owner);
    const msg = (i: number): InstantMessage => ({ id: `m${i}`, from: parseAddress('alice@example.com'), to: parseAddress('bob@example.com'), body: `#${i}`, contentType: 'text/plain', timestamp: Date.now() + i });
    const transaction = IDBDatabase.prototype.transaction;
    let transactions = 0;
    IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
      transactions++;
      return transaction.apply(this, args);
    };
    try {
      const writes: Promise<void>[] = [];
      for (let i = 0; i < 300; i++) writes.push(store.put(msg(i))); // sent…
      for (let i = 0; i < 300; i += 2) writes.push(store.put(msg(i), 1_000 + i)); // …acknowledged…
      for (let i = 0; i < 300; i += 3) writes.push(store.delete(`m${i}`)); // …receipted
      await Promise.all(writes);
    } finally {
      IDBDatabase.prototype.transaction = transaction;
    }
    expect(transactions, 'one commit per write before').to.be.below(10);
    const rows = await (await indexedDbOutboxStore(owner)).load();
    const expected = Array.from({ length: 300 }, (_, i) => i).filter((i) => i % 3 !== 0);
    expect(rows.map((r) => r.message.id)).to.deep.equal(expected.map((i) => `m${i}`));
    expect(rows.map((r) => r.sentAt)).to.deep.equal(expected.map((i) => (i % 2 === 0 ? 1_000 + i : undefined)));
  });
});
