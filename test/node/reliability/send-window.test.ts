// A backlog goes out in steps (issue #6): after a reload restores minutes of unreceipted
// messages, or after a long outage, the soak's pages sent thousands of stanzas in one burst; the
// chaos proxy cut the link in the middle of it, Prosody could then not resume the session (see
// resume-alignment.test.ts), and the next session sent the whole burst again: the queue grew to
// thousands and nothing got through while links kept dying.
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { createClient } from '../../../src/core/client.js';
import { ImppError } from '../../../src/core/errors.js';
import { memoryOutboxStore } from '../../../src/core/outbox-store.js';
import { SEND_WINDOW } from '../../../src/core/sender.js';
import { FakeTransport, tick } from '../client/fake-transport.js';

/** A transport that acknowledges a send only when the test says so. */
function slowServer() {
  const transport = new FakeTransport('alice@example.com');
  const open: { body: string; ack: () => void; lose: () => void }[] = [];
  transport.handler = (cmd) => new Promise((resolve, reject) => {
    if (cmd.type !== 'send') return resolve(undefined);
    open.push({ body: cmd.message.body, ack: () => resolve(undefined), lose: () => reject(new ImppError('transport/closed', 'link lost')) });
  });
  return { transport, open };
}

describe('the outbox sends a backlog in steps (#6)', () => {
  it(`at most ${SEND_WINDOW} messages wait for the service at once; the next go out as those are confirmed, in order`, async () => {
    const { transport, open } = slowServer();
    const client = createClient({ transport, outbox: memoryOutboxStore(), autoConnect: false });
    for (let i = 0; i < SEND_WINDOW * 2; i++) client.send('bob@example.com', `m${i}`);
    await client.connect();
    await tick(10);
    assert.equal(open.length, SEND_WINDOW, 'one window on the wire');
    open.splice(0, 10).forEach((o) => o.ack());
    await tick(10);
    assert.equal(open.length, SEND_WINDOW, 'ten confirmed, ten more sent');
    assert.deepEqual(open.slice(-10).map((o) => o.body), Array.from({ length: 10 }, (_, i) => `m${SEND_WINDOW + i}`));
  });

  it('a repeat and a message still queued go out in the order they were sent, even sent in the same millisecond', async () => {
    let now = 1_000;
    const clock = mock.method(Date, 'now', () => now);
    try {
      const transport = new FakeTransport('alice@example.com');
      const wire: string[] = [];
      transport.handler = async (cmd) => {
        if (cmd.type !== 'send') return;
        wire.push(cmd.message.body);
        if (cmd.message.body === 'two' && wire.length === 2) throw new ImppError('transport/closed', 'the link died before its ack');
      };
      const client = createClient({ transport, outbox: memoryOutboxStore(), autoConnect: false });
      await client.connect();
      client.send('bob@example.com', 'one'); // confirmed: a repeat after the next new session
      client.send('bob@example.com', 'two'); // handed back: still queued
      await tick(10);
      now = 2_000;
      transport.drop();
      await transport.connect();
      await tick(10);
      assert.deepEqual(wire.slice(2), ['one', 'two']);
    } finally {
      clock.mock.restore();
    }
  });

  it('what a lost link handed back goes out before what waited behind it (per-sender order)', async () => {
    const { transport, open } = slowServer();
    const client = createClient({ transport, outbox: memoryOutboxStore(), autoConnect: false });
    await client.connect();
    for (let i = 0; i < SEND_WINDOW + 100; i++) client.send('bob@example.com', `m${i}`);
    await tick(10);
    assert.equal(open.length, SEND_WINDOW);
    transport.drop();
    open.splice(0).forEach((o) => o.lose()); // the link died before the service confirmed any
    await tick(10);
    await transport.connect();
    await tick(10);
    assert.deepEqual(open.map((o) => o.body), Array.from({ length: SEND_WINDOW }, (_, i) => `m${i}`), 'the oldest first again, not the ones that waited');
  });
});
