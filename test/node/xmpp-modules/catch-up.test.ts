// Issue #6, loss mode 2: after a new (not resumed) session, messages the server accepted for our
// dying session are fetched from our archive (XEP-0313, RSM `after` the last archive id we saw),
// in archive order, with live messages held until the catch-up ends.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BehaviorSubject } from 'rxjs';
import { parseAddress } from '../../../src/core/address.js';
import { parseXml, serializeXml, type XmlElement } from '../../../src/core/codecs/xml.js';
import { TransportError } from '../../../src/core/errors.js';
import type { ConnectionState, TransportEvent } from '../../../src/core/transports/transport.js';
import type { CursorStore } from '../../../src/core/transports/xmpp/catch-up.js';
import { xmppTransport, type SessionPort } from '../../../src/core/transports/xmpp/transport.js';
import { fakeLink } from './fake-link.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const self = parseAddress('xmpp:alice@localhost');
const RSM = 'http://jabber.org/protocol/rsm';

const chat = (n: number, sid?: string) =>
  `<message from="bob@localhost/pc" to="alice@localhost/web" type="chat" id="b${n}"><body>bob #${n}</body><request xmlns="urn:xmpp:receipts"/>`
  + `${sid ? `<stanza-id xmlns="urn:xmpp:sid:0" by="alice@localhost" id="${sid}"/>` : ''}</message>`;
const result = (qid: string, id: string, n: number) =>
  `<message to="alice@localhost/web"><result xmlns="urn:xmpp:mam:2" queryid="${qid}" id="${id}"><forwarded xmlns="urn:xmpp:forward:0">`
  + `<delay xmlns="urn:xmpp:delay" stamp="2024-05-06T07:08:09Z"/>${chat(n).replace('<message ', '<message xmlns="jabber:client" ')}</forwarded></result></message>`;
const fin = (iq: XmlElement, complete: boolean, first?: string, last?: string) => parseXml(`<iq xmlns="jabber:client" type="result" id="${iq.attrs['id']}">`
  + `<fin xmlns="urn:xmpp:mam:2"${complete ? ' complete="true"' : ''}><set xmlns="${RSM}">${first ? `<first>${first}</first><last>${last}</last>` : ''}</set></fin></iq>`);

/** A fake session whose server has an archive `archive` (ids A1…) and answers MAM queries in pages of `pageSize`. */
function archiveServer(archive: { id: string; n: number }[], opts: { pageSize?: number; gate?: Promise<void>; failWith?: string; cutAfter?: number } = {}) {
  const f = fakeLink('alice@localhost/web');
  const queries: string[] = [];
  f.respond(async (iq) => {
    const x = serializeXml(iq);
    if (!x.includes('urn:xmpp:mam:2')) return parseXml(`<iq xmlns="jabber:client" type="result" id="${iq.attrs['id']}"/>`);
    queries.push(x);
    await opts.gate;
    if (opts.failWith) throw Object.assign(new Error(opts.failWith), { condition: opts.failWith });
    const qid = /queryid="([^"]+)"/.exec(x)![1]!;
    const max = Number(/<max>(\d+)<\/max>/.exec(x)![1]);
    const after = /<after>([^<]*)<\/after>/.exec(x)?.[1];
    const beforeLast = x.includes('<before/>');
    let slice: typeof archive;
    if (after !== undefined) {
      const at = archive.findIndex((a) => a.id === after);
      if (at < 0) throw Object.assign(new Error('item-not-found'), { condition: 'item-not-found' });
      slice = archive.slice(at + 1, at + 1 + Math.min(max, opts.pageSize ?? max));
      const complete = at + 1 + slice.length >= archive.length;
      slice.slice(0, opts.cutAfter).forEach((a) => f.push(result(qid, a.id, a.n)));
      if (opts.cutAfter !== undefined) throw new TransportError('transport/closed', 'The XMPP session ended before the answer came; send again.'); // as the session's rejectAll
      return fin(iq, complete, slice[0]?.id, slice.at(-1)?.id);
    }
    slice = beforeLast ? archive.slice(-max) : archive.slice(0, max);
    slice.forEach((a) => f.push(result(qid, a.id, a.n)));
    return fin(iq, beforeLast ? slice.length === archive.length : slice.length === archive.length, slice[0]?.id, slice.at(-1)?.id);
  });
  const status$ = new BehaviorSubject<{ state: ConnectionState; resumed?: boolean }>({ state: 'offline' });
  const session: SessionPort = {
    status$, link: f.link,
    async connect() { status$.next({ state: 'connecting' }); status$.next({ state: 'online' }); },
    async disconnect() { status$.next({ state: 'offline' }); },
  };
  return { f, session, status$, queries };
}

const memoryCursors = (init?: string): CursorStore & { value: string | undefined } => {
  const c = { value: init, get: () => c.value, set: (_: string, id: string) => void (c.value = id) };
  return c;
};

function start(server: ReturnType<typeof archiveServer>, cursors: CursorStore) {
  const t = xmppTransport(server.session, self, { catchUp: { cursors } });
  const events: TransportEvent[] = [];
  t.events$.subscribe((e) => events.push(e));
  const bodies = () => events.flatMap((e) => (e.type === 'message' ? [e.message.body] : []));
  return { t, events, bodies };
}

describe('XMPP archive catch-up (XEP-0313, #6)', () => {
  it('a new session pages the archive forward from the stored cursor and delivers what was missed, in order', async () => {
    const archive = [1, 2, 3, 4, 5].map((n) => ({ id: `A${n}`, n }));
    const server = archiveServer(archive, { pageSize: 2 });
    const cursors = memoryCursors('A2');
    const { t, bodies } = start(server, cursors);
    await t.connect();
    await wait(30);
    assert.deepEqual(bodies(), ['bob #3', 'bob #4', 'bob #5']);
    assert.match(server.queries[0]!, /<after>A2<\/after>/);
    assert.equal(server.queries.length, 2, 'two pages of 2');
    assert.equal(cursors.value, 'A5', 'the cursor moves to the end of the archive');
    const receipts = server.f.wire().filter((x) => x.includes('<received'));
    assert.deepEqual(receipts.map((x) => /id="(b\d)"/.exec(x)?.[1]), ['b3', 'b4', 'b5'], 'the sender gets its receipts');
  });

  it('live messages that arrive during the catch-up wait behind it (per-sender order), and repeats keep their ids', async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => { open = r; });
    const server = archiveServer([1, 2, 3, 4].map((n) => ({ id: `A${n}`, n })), { gate });
    const { t, events, bodies } = start(server, memoryCursors('A1'));
    const connected = t.connect();
    await wait(30);
    server.f.push(chat(4, 'A4')); // live, while the archive query is out
    server.f.push(chat(5, 'A5'));
    await wait(10);
    assert.deepEqual(bodies(), [], 'held');
    open();
    await connected;
    await wait(20);
    assert.deepEqual(bodies(), ['bob #2', 'bob #3', 'bob #4', 'bob #4', 'bob #5'], 'archived first, then live (the client drops the repeat of #4 by id)');
    const fours = events.flatMap((e) => (e.type === 'message' && e.message.body === 'bob #4' ? [[e.message.id, e.message.serverId]] : []));
    assert.deepEqual(fours, [['b4', 'A4'], ['b4', 'A4']]);
  });

  it('live messages move the stored cursor, so a reloaded page continues from the last one seen', async () => {
    const server = archiveServer([]);
    const cursors = memoryCursors('');
    const { t } = start(server, cursors);
    await t.connect();
    await wait(20);
    server.f.push(chat(1, 'S1'));
    server.f.push(chat(2, 'S2'));
    assert.equal(cursors.value, 'S2');
    const page2 = archiveServer([{ id: 'S1', n: 1 }, { id: 'S2', n: 2 }, { id: 'S3', n: 3 }]);
    const next = start(page2, cursors);
    await next.t.connect();
    await wait(20);
    assert.deepEqual(next.bodies(), ['bob #3']);
  });

  it('a resumed session does not query the archive', async () => {
    const server = archiveServer([{ id: 'A1', n: 1 }]);
    const { t } = start(server, memoryCursors('A1'));
    await t.connect();
    await wait(20);
    const before = server.queries.length;
    server.status$.next({ state: 'reconnecting' });
    server.status$.next({ state: 'online', resumed: true });
    await wait(20);
    assert.equal(server.queries.length, before);
    server.status$.next({ state: 'reconnecting' });
    server.status$.next({ state: 'online', resumed: false });
    await wait(20);
    assert.equal(server.queries.length, before + 1, 'a new session does');
  });

  it('first run (no cursor) only finds the end of the archive; an empty archive pages from its start next time', async () => {
    const server = archiveServer([]);
    const cursors = memoryCursors();
    const { t, bodies } = start(server, cursors);
    await t.connect();
    await wait(20);
    assert.match(server.queries[0]!, /<max>1<\/max><before\/>/);
    assert.equal(cursors.value, '');
    const later = archiveServer([{ id: 'A1', n: 1 }]);
    const next = start(later, cursors);
    await next.t.connect();
    await wait(20);
    assert.doesNotMatch(later.queries[0]!, /<after>|<before/, 'from the start');
    assert.deepEqual([bodies(), next.bodies()], [[], ['bob #1']]);
  });

  it('a cursor the server no longer has (restart with a memory archive) pages what it has from the start', async () => {
    const server = archiveServer([{ id: 'N1', n: 7 }, { id: 'N2', n: 8 }]);
    const cursors = memoryCursors('OLD');
    const { t, bodies } = start(server, cursors);
    await t.connect();
    await wait(20);
    assert.deepEqual(bodies(), ['bob #7', 'bob #8']);
    assert.equal(cursors.value, 'N2');
  });

  it('a failing archive is reported as a typed error, releases held messages and keeps the cursor', async () => {
    const server = archiveServer([], { failWith: 'service-unavailable' });
    const cursors = memoryCursors('A1');
    const { t, events, bodies } = start(server, cursors);
    await t.connect();
    server.f.push(chat(9));
    await wait(20);
    const errors = events.flatMap((e) => (e.type === 'error' ? [e.error.code] : []));
    assert.deepEqual(errors, ['transport/unsupported']);
    assert.deepEqual(bodies(), ['bob #9']);
    assert.equal(cursors.value, 'A1');
  });

  it('a catch-up cut by a new session keeps its progress and live messages keep waiting, unreceipted', async () => {
    const archive = [1, 2, 3, 4].map((n) => ({ id: `A${n}`, n }));
    const server = archiveServer(archive, { cutAfter: 2 });
    const cursors = memoryCursors('A1');
    const { t, bodies } = start(server, cursors);
    const connected = t.connect().catch(() => undefined);
    await wait(20);
    server.f.push(chat(9, 'A9')); // live, during the catch-up
    await wait(20);
    assert.deepEqual(bodies(), ['bob #2', 'bob #3'], 'archived results are passed on as they arrive; #9 still waits');
    assert.equal(cursors.value, 'A3', 'progress kept');
    const receipted = () => server.f.wire().filter((x) => x.includes('<received')).map((x) => /id="(b\d)"/.exec(x)?.[1]);
    assert.deepEqual(receipted(), ['b2', 'b3'], 'no receipt for a message the app has not got');
    server.f.respond((iq) => { // the next session's server answers in full
      const x = serializeXml(iq);
      if (!x.includes('urn:xmpp:mam:2')) return parseXml(`<iq xmlns="jabber:client" type="result" id="${iq.attrs['id']}"/>`);
      const qid = /queryid="([^"]+)"/.exec(x)![1]!;
      assert.match(x, /<after>A3<\/after>/);
      server.f.push(result(qid, 'A4', 4));
      return fin(iq, true, 'A4', 'A4');
    });
    server.status$.next({ state: 'reconnecting' });
    server.status$.next({ state: 'online', resumed: false });
    await connected;
    await wait(30);
    assert.deepEqual(bodies(), ['bob #2', 'bob #3', 'bob #4', 'bob #9']);
    assert.deepEqual(receipted(), ['b2', 'b3', 'b4', 'b9']);
    assert.equal(cursors.value, 'A9');
  });

  it('a disconnect during a catch-up hands waiting messages over but neither moves the cursor nor marks them seen', async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => { open = r; });
    const server = archiveServer([{ id: 'A1', n: 1 }, { id: 'A2', n: 2 }], { gate });
    const cursors = memoryCursors('A1');
    const seen = memoryCursors();
    const t = xmppTransport(server.session, self, { catchUp: { cursors, seen } });
    void t.connect().catch(() => undefined);
    await wait(20);
    server.f.push(chat(2, 'A2'));
    await t.disconnect();
    open();
    await wait(20);
    assert.equal(cursors.value, 'A1', 'the next page still catches #2 up');
    assert.equal(seen.value ?? '', '', 'and shows it: no earlier page showed it');
  });

  it('a message an earlier page passed on is not passed on again by the next page (a resend after a lost receipt)', async () => {
    const seen = memoryCursors();
    const page1 = archiveServer([]);
    const a = xmppTransport(page1.session, self, { catchUp: { cursors: memoryCursors(''), seen } });
    const first: string[] = [];
    a.events$.subscribe((e) => void (e.type === 'message' && first.push(e.message.body)));
    await a.connect();
    page1.f.push(chat(1));
    await wait(10);
    const page2 = archiveServer([]);
    const b = xmppTransport(page2.session, self, { catchUp: { cursors: memoryCursors(''), seen } });
    const second: string[] = [];
    b.events$.subscribe((e) => void (e.type === 'message' && second.push(e.message.body)));
    await b.connect();
    page2.f.push(chat(1)); // the sender offers it again
    page2.f.push(chat(2));
    await wait(10);
    assert.deepEqual([first, second], [['bob #1'], ['bob #2']]);
    assert.equal(page2.f.wire().filter((x) => x.includes('<received') && x.includes('"b1"')).length, 1, 'but it is receipted (the sender stops offering it)');
  });
});
