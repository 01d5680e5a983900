// Exactly-once across reloads (#39, #6): what a page passed on is remembered for the next page of
// the same account (src/core/transports/xmpp/seen.ts), bounded in size and in how often it writes.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { parseXml } from '../../../src/core/codecs/xml.js';
import type { InstantMessage } from '../../../src/core/message.js';
import type { CursorStore } from '../../../src/core/transports/xmpp/local-store.js';
import { readMessage } from '../../../src/core/transports/xmpp/messages.js';
import { bareJid } from '../../../src/core/transports/xmpp/jid.js';
import { recentlySeen } from '../../../src/core/transports/xmpp/seen.js';
import { fakeLink } from './fake-link.js';

const ACCOUNT = 'alice@localhost';
const self = bareJid(fakeLink().link.jid);
const message = (n: number): InstantMessage => readMessage(parseXml(
  `<message xmlns="jabber:client" from="bob@localhost/pc" to="alice@localhost" type="chat" id="b${n}"><body>bob #${n}</body></message>`,
), { self }) as InstantMessage;

/** A store that records when (mocked `Date.now()`) each write happened. */
function store(): CursorStore & { writes: number[]; value?: string } {
  const s: CursorStore & { writes: number[]; value?: string } = {
    writes: [],
    get: () => s.value,
    set: (_, v) => { s.value = v; s.writes.push(Date.now()); },
  };
  return s;
}
const microtasks = () => new Promise<void>((r) => setImmediate(r));

describe('inbound messages remembered across page loads (seen.ts)', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 }));
  afterEach(() => mock.timers.reset());

  it('a reloaded page knows the last 10,000 messages an earlier page passed on, and no older ones', async () => {
    const s = store();
    const first = recentlySeen(ACCOUNT, s);
    const total = 10_001;
    for (let n = 0; n < total; n++) first.add(message(n));
    await microtasks();
    mock.timers.tick(1_000); // whatever is still due is written
    const reloaded = recentlySeen(ACCOUNT, s);
    assert.equal(s.value!.split(' ').length, 10_000, 'keys kept in storage');
    assert.equal(reloaded.before(message(0)), false, 'the oldest one was dropped');
    for (const n of [1, 5_000, total - 1]) assert.equal(reloaded.before(message(n)), true, `#${n} is remembered`);
    assert.equal(reloaded.before(message(total)), false, 'one never passed on is not');
  });

  it('during a burst it writes at once, then at most every 200 ms, and the last write holds every message', async () => {
    const s = store();
    const seen = recentlySeen(ACCOUNT, s);
    seen.add(message(0));
    await microtasks();
    assert.equal(s.writes.length, 1, 'the first one is written at the end of its task');
    // A catch-up: one message every 10 ms for a second.
    for (let n = 1; n <= 100; n++) {
      mock.timers.tick(10);
      seen.add(message(n));
      await microtasks();
    }
    mock.timers.tick(1_000);
    const gaps = s.writes.slice(1).map((at, i) => at - s.writes[i]!);
    assert.ok(s.writes.length > 2, 'it does write during the burst');
    assert.ok(gaps.every((g) => g >= 200), `writes ${gaps.join(', ')} ms apart`);
    const reloaded = recentlySeen(ACCOUNT, s);
    for (let n = 0; n <= 100; n++) assert.equal(reloaded.before(message(n)), true, `#${n} is remembered`);
  });

  describe('when the page goes away', () => {
    const g = globalThis as { addEventListener?: unknown; removeEventListener?: unknown };
    const saved = { add: Object.getOwnPropertyDescriptor(g, 'addEventListener'), remove: Object.getOwnPropertyDescriptor(g, 'removeEventListener') };
    const listeners = new Map<string, Set<() => void>>();
    beforeEach(() => {
      listeners.clear();
      g.addEventListener = (type: string, f: () => void) => void (listeners.get(type) ?? listeners.set(type, new Set()).get(type)!).add(f);
      g.removeEventListener = (type: string, f: () => void) => void listeners.get(type)?.delete(f);
    });
    afterEach(() => {
      for (const [name, d] of [['addEventListener', saved.add], ['removeEventListener', saved.remove]] as const) {
        if (d) Object.defineProperty(g, name, d);
        else delete g[name];
      }
    });

    it('what waits for the next write is written at once on pagehide', async () => {
      const s = store();
      const seen = recentlySeen(ACCOUNT, s);
      seen.add(message(1));
      await microtasks();
      seen.add(message(2)); // its write waits for SAVE_MS
      await microtasks();
      assert.equal(s.writes.length, 1);
      assert.equal(recentlySeen(ACCOUNT, s).before(message(2)), false, 'not written yet');
      for (const f of [...(listeners.get('pagehide') ?? [])]) f();
      assert.equal(s.writes.length, 2, 'written on pagehide, without waiting');
      assert.equal(recentlySeen(ACCOUNT, s).before(message(2)), true);
      assert.equal(listeners.get('pagehide')?.size ?? 0, 0, 'the listener is removed once written');
      mock.timers.tick(1_000);
      assert.equal(s.writes.length, 2, 'and the pending write has nothing left to do');
    });
  });
});
