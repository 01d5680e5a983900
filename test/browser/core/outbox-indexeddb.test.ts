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

/**
 * Another tab of the same origin: an iframe is its own document, with its own page lock. It opens
 * the store, runs `code` (with `store` and `parseAddress` in scope) and answers with its result.
 */
async function otherTab<T>(owner: string, code: string): Promise<{ frame: HTMLIFrameElement; result: T }> {
  const tag = Math.random().toString(36).slice(2);
  const frame = document.createElement('iframe');
  const script = document.createElement('script');
  script.type = 'module';
  script.textContent = `
    import { indexedDbOutboxStore } from '/src/core/outbox-store.ts';
    import { parseAddress } from '/src/core/address.ts';
    const store = await indexedDbOutboxStore(${JSON.stringify(owner)});
    const result = await (async () => { ${code} })();
    parent.postMessage({ tag: ${JSON.stringify(tag)}, result }, '*');`;
  frame.srcdoc = `<!doctype html>${script.outerHTML}`;
  const answered = new Promise<T>((resolve) => addEventListener('message', function on(e: MessageEvent) {
    if (e.data?.tag === tag) (removeEventListener('message', on), resolve(e.data.result as T));
  }));
  document.body.append(frame);
  return { frame, result: await answered };
}

const putCode = (id: string) => `await store.put({ id: ${JSON.stringify(id)}, from: parseAddress('alice@example.com'),
  to: parseAddress('bob@example.com'), body: 'from tab ${id}', contentType: 'text/plain', timestamp: Date.now() });`;
const loadCode = 'return (await store.load()).map((r) => r.message.id);';

describe('durable outbox ownership across tabs (Web Locks)', () => {
  it("leaves a live tab's unconfirmed messages to that tab and adopts them once it is gone", async () => {
    const owner = `fake:u${Math.random().toString(36).slice(2)}@example.com`;
    const { frame } = await otherTab(owner, putCode('theirs'));
    const mine = await indexedDbOutboxStore(owner);
    expect((await mine.load()).map((r) => r.message.id)).to.deep.equal([]); // the other tab is alive: not ours

    frame.remove(); // the tab closes: its lock is released
    const later = await waitFor(() => mine.load(), (r) => r.length === 1);
    expect(later.map((r) => r.message.id)).to.deep.equal(['theirs']);
    expect(later[0]!.message.body).to.equal('from tab theirs');
    // Adopted: a further tab now leaves it to this page.
    const { frame: third, result } = await otherTab<string[]>(owner, loadCode);
    expect(result).to.deep.equal([]);
    third.remove();
  });

  it('gives an orphaned message to exactly one of several tabs opening at once', async () => {
    const owner = `fake:u${Math.random().toString(36).slice(2)}@example.com`;
    (await otherTab(owner, putCode('orphan'))).frame.remove();
    await new Promise((r) => setTimeout(r, 50)); // the closed tab's lock goes with its document
    const tabs = await Promise.all([1, 2, 3].map(() => otherTab<string[]>(owner, loadCode)));
    expect(tabs.map((t) => t.result).flat()).to.deep.equal(['orphan']);
    tabs.forEach((t) => t.frame.remove());
  });

  it("sends a closed tab's unconfirmed message from a tab that stays open, once", async () => {
    const self = `u${Math.random().toString(36).slice(2)}@example.com`;
    const { frame } = await otherTab(`fake:${self}`, putCode('left-behind'));
    const here = fakeTransport(self, true);
    const client = createClient({ transport: here.transport });
    const mine = client.send('bob@example.com', 'mine');
    await waitFor(() => here.sent.length, (n) => n >= 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(here.sent.map((m) => m.id)).to.deep.equal([mine.id]); // the other tab is alive: its message is its own

    frame.remove();
    await waitFor(() => here.sent.length, (n) => n >= 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(here.sent.map((m) => m.id)).to.deep.equal([mine.id, 'left-behind']);
    const entries = await firstValueFrom(client.conversation('bob@example.com').messages$);
    expect(entries.map((e) => e.message.body)).to.include('from tab left-behind');
  });
});
