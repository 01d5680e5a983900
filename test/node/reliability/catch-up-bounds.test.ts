// Loss and order modes of the XEP-0313 catch-up the soak found (issue #6). An archive at its size
// limit drops its oldest items (Prosody: `storage_archive_item_limit`, 1000 by default for the
// memory store); a catch-up that lost its place reads the archive from its start, which is where
// the items go. Before the fix, losing the place a second time ended the catch-up: the live
// messages that waited were released and the rest of the archive was not read until the next
// new session. Same for a catch-up cut by its page or time bounds.
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { parseXml, serializeXml } from '../../../src/core/codecs/xml.js';
import type { InstantMessage } from '../../../src/core/message.js';
import type { TransportEvent } from '../../../src/core/transports/transport.js';
import { CATCH_UP_LIMITS, catchUp } from '../../../src/core/transports/xmpp/archive-pages.js';
import { archiveCatchUp, PARK_MS, type CursorStore } from '../../../src/core/transports/xmpp/catch-up.js';
import { mam } from '../../../src/core/transports/xmpp/mam.js';
import { readMessage } from '../../../src/core/transports/xmpp/messages.js';
import { bareJid } from '../../../src/core/transports/xmpp/jid.js';
import { fakeLink } from '../xmpp-modules/fake-link.js';

const chat = (n: number) => `<message xmlns="jabber:client" from="bob@localhost/pc" to="alice@localhost" type="chat" id="b${n}"><body>bob #${n}</body></message>`;
const memory = (value?: string): CursorStore & { value?: string } => {
  const c: CursorStore & { value?: string } = { value, get: () => c.value, set: (_, v) => void (c.value = v) };
  return c;
};

/** An archive (ids A<n>) answering RSM `after` queries; `between()` runs before each query after the first. */
function archive(items: number[], between: (items: number[], query: number) => void = () => undefined) {
  const f = fakeLink('alice@localhost/web');
  const maxes: number[] = [];
  let queries = 0;
  f.respond(async (iq) => {
    const x = serializeXml(iq);
    if (queries > 0) between(items, queries);
    queries++;
    const qid = /queryid="([^"]+)"/.exec(x)![1]!;
    const max = Number(/<max>(\d+)<\/max>/.exec(x)![1]);
    maxes.push(max);
    const after = /<after>([^<]*)<\/after>/.exec(x)?.[1];
    const at = after === undefined ? -1 : items.findIndex((n) => `A${n}` === after);
    if (after !== undefined && at < 0) throw Object.assign(new Error('item-not-found'), { condition: 'item-not-found' });
    const ids = x.includes('var="ids"') ? [...x.matchAll(/<value>(A\d+)<\/value>/g)].map((m) => m[1]) : undefined;
    const page = ids ? items.filter((n) => ids.includes(`A${n}`)) : items.slice(at + 1, at + 1 + max);
    for (const n of page) {
      f.push(`<message to="alice@localhost/web"><result xmlns="urn:xmpp:mam:2" queryid="${qid}" id="A${n}"><forwarded xmlns="urn:xmpp:forward:0">`
        + `<delay xmlns="urn:xmpp:delay" stamp="2024-05-06T07:08:09Z"/>${chat(n)}</forwarded></result></message>`);
    }
    const complete = ids !== undefined || at + 1 + page.length >= items.length;
    return parseXml(`<iq xmlns="jabber:client" type="result" id="${iq.attrs['id']}"><fin xmlns="urn:xmpp:mam:2"${complete ? ' complete="true"' : ''}>`
      + `<set xmlns="http://jabber.org/protocol/rsm">${page.length ? `<first>A${page[0]}</first><last>A${page.at(-1)}</last>` : ''}</set></fin></iq>`);
  });
  return Object.assign(f, { maxes });
}

/** Runs `body` with setTimeout faked (no real PARK_MS timer may outlive a test). */
async function fakeTimers(body: () => Promise<void>): Promise<void> {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    await body();
  } finally {
    mock.timers.reset();
  }
}

function gate(cursors: CursorStore, limits: { pageSize: number; maxPages?: number }) {
  const passed: string[] = [];
  const g = archiveCatchUp((e) => void (e.type === 'message' && passed.push(e.message.body.replace('bob #', ''))), {
    account: 'alice@localhost', cursors, seen: memory(), limits,
  });
  const self = bareJid(fakeLink().link.jid);
  /** A live message; `delayed`: with a XEP-0203 <delay> of that time (from the server's offline store). */
  const live = (n: number, delayed?: Date): void => {
    const xml = delayed ? chat(n).replace('</message>', `<delay xmlns="urn:xmpp:delay" from="localhost" stamp="${delayed.toISOString()}"/></message>`) : chat(n);
    const message = readMessage(parseXml(xml), { self, serverId: `A${n}` }) as InstantMessage;
    g.live({ type: 'message', message });
  };
  const toEvent = ({ message }: { message?: InstantMessage }): TransportEvent | undefined => (message ? { type: 'message', message } : undefined);
  return { g, passed, live, toEvent };
}

describe('archive catch-up under its bounds and a shrinking archive (#6)', () => {
  it('an archive that loses our place again while we read it from its start is read from its start again', async () => {
    // Our place (OLD) is gone; while we read A1–A4 the archive drops A1–A5 and takes A11, A12.
    const f = archive([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], (items, q) => {
      if (q === 2) items.splice(0, 5, ...[]), items.push(11, 12);
    });
    const t = gate(memory('OLD'), { pageSize: 4 });
    t.g.hold();
    const error = await t.g.run(mam(f.link), t.toEvent);
    assert.equal(error, undefined);
    assert.deepEqual(t.passed, ['1', '2', '3', '4', '6', '7', '8', '9', '10', '11', '12'], 'all the archive still had (A5 was dropped before we could read it)');
  });

  it('after the archive lost our place, messages that waited behind the catch-up wait for their senders\' repeats (per-sender order)', async () => {
    await fakeTimers(async () => {
      // The server restarted: our place is gone, and so is #2, which we had not read yet. #3 and
      // #4 had reached us live and waited; the new archive is empty.
      const f = archive([]);
      const t = gate(memory('OLD'), { pageSize: 4 });
      t.g.hold(); // a session whose catch-up never got an answer
      t.live(3);
      t.live(4);
      t.g.hold(); // the next one, after the server restarted
      await t.g.run(mam(f.link), t.toEvent);
      assert.deepEqual(t.passed, [], '#3 and #4 wait: showing them now would put them before #2');
      for (const n of [2, 3]) t.live(n); // the sender offers again what we never receipted, oldest first
      assert.deepEqual(t.passed, ['2', '3']);
      mock.timers.tick(PARK_MS);
      assert.deepEqual(t.passed, ['2', '3', '4'], 'one never offered again is shown after PARK_MS');
    });
  });

  it('parked messages keep waiting while a later catch-up still reads the archive (their repeats may be in it)', async () => {
    await fakeTimers(async () => {
      let open!: () => void;
      const blocked = new Promise<void>((r) => { open = r; });
      const f = archive([]);
      const t = gate(memory('OLD'), { pageSize: 4 });
      t.g.hold();
      t.live(3);
      t.g.hold();
      await t.g.run(mam(f.link), t.toEvent); // #3 parked
      const slow = archive([2, 3]); // the next session's archive has the repeats; its answer is slow
      const respond = slow.link.iq;
      slow.link.iq = async (iq) => { await blocked; return respond(iq); };
      t.g.hold();
      const running = t.g.run(mam(slow.link), t.toEvent);
      mock.timers.tick(PARK_MS);
      assert.deepEqual(t.passed, [], 'not released while the catch-up has not read to the end');
      open();
      await running;
      assert.deepEqual(t.passed, ['2', '3'], 'the repeats, in order; the parked copy of #3 is dropped');
    });
  });

  it('messages that came in on the session which found the archive lost, or later, go on in order (they are newer than the loss)', async () => {
    await fakeTimers(async () => {
      const f = archive([]);
      const t = gate(memory('OLD'), { pageSize: 4 });
      t.g.hold();
      t.live(7);
      t.live(8);
      await t.g.run(mam(f.link), t.toEvent);
      assert.deepEqual(t.passed, ['7', '8']);
    });
  });

  it('after the archive lost our place, what the server\'s offline store hands the new session is older than the loss: it waits for its sender\'s repeat too', async () => {
    await fakeTimers(async () => {
      // The server restarted: its memory archive lost #2, while #3 (sent when we had no session)
      // survived in its offline store, which hands it to the new session with its old <delay>.
      const f = archive([]);
      const t = gate(memory('OLD'), { pageSize: 4 });
      t.g.hold();
      t.live(3, new Date(Date.now() - 60_000));
      t.live(9); // sent after the restart (no delay): newer than the loss
      await t.g.run(mam(f.link), t.toEvent);
      assert.deepEqual(t.passed, ['9'], '#3 waits: showing it now would put it before #2');
      for (const n of [2, 3]) t.live(n); // the sender's repeats, oldest first
      assert.deepEqual(t.passed, ['9', '2', '3'], 'the parked copy of #3 gave way to its repeat');
      mock.timers.tick(4 * PARK_MS);
      assert.deepEqual(t.passed, ['9', '2', '3'], 'and is not shown again');
    });
  });

  it('…but one the archive has was stored after the loss (a repeat that waited in the offline store): it goes on in order', async () => {
    await fakeTimers(async () => {
      // #2 and #3 were lost and repeated while we were offline: the offline store hands the
      // repeats over late (old <delay>), and the new archive has them too (stored after the
      // restart; our read of it ended just before they came). No other repeat of them will come.
      const f = archive([], (items, query) => void (query === 2 && items.push(2, 3)));
      const t = gate(memory('OLD'), { pageSize: 4 });
      t.g.hold();
      t.live(2, new Date(Date.now() - 5_000));
      t.live(3, new Date(Date.now() - 5_000));
      t.live(4);
      await t.g.run(mam(f.link), t.toEvent);
      assert.deepEqual(t.passed, ['2', '3', '4'], 'shown at once, in order');
      mock.timers.tick(4 * PARK_MS);
      assert.deepEqual(t.passed, ['2', '3', '4']);
    });
  });

  it('a catch-up that ends after a newer session began leaves that session\'s live messages waiting for its own catch-up', async () => {
    // The newer session's run starts only after its login's round trips; the old run ended in
    // between and opened the gate, so live messages passed before the archive's (full soak:
    // reordered=173).
    const f = archive([0, 1, 2]);
    const t = gate(memory('A0'), { pageSize: 4 });
    t.g.hold();
    const old = t.g.run(mam(f.link), t.toEvent);
    t.g.hold(); // a new session, logging in
    await old;
    t.live(9);
    assert.deepEqual(t.passed, ['1', '2'], '#9 waits for the new session\'s catch-up');
    await t.g.run(mam(f.link), t.toEvent);
    assert.deepEqual(t.passed, ['1', '2', '9']);
  });

  it('a catch-up cut by its page bound goes on from where it stopped before the live messages that waited', async () => {
    const f = archive([1, 2, 3, 4, 5, 6, 7]);
    const cursors = memory('A1');
    const t = gate(cursors, { pageSize: 2, maxPages: 2 });
    t.g.hold();
    t.live(8);
    const error = await t.g.run(mam(f.link), t.toEvent);
    assert.equal(error, undefined);
    assert.deepEqual(t.passed, ['2', '3', '4', '5', '6', '7', '8'], 'per-sender order kept');
    assert.equal(cursors.value, 'A8');
  });

  it('with the default limits the first page of a catch-up asks for 20 results (the login waits for it), the pages after it for pageSize', async () => {
    const items = Array.from({ length: 40 }, (_, i) => i);
    const f = archive(items);
    const got: string[] = [];
    const r = await catchUp(mam(f.link), 'A0', (x) => void got.push(x.id));
    assert.equal(r.error, undefined);
    assert.equal(got.length, items.length - 1, 'the whole archive after our place was read');
    assert.ok(CATCH_UP_LIMITS.pageSize > 20, 'the default page is larger than the first one');
    assert.deepEqual(f.maxes, [20, CATCH_UP_LIMITS.pageSize]);
  });
});
