// Issue #6, loss mode 1: an XMPP message is `sent` (and leaves the outbox's queue) only once the
// server acknowledged it (XEP-0198 `<a h/>`), not when it was written to the socket.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BehaviorSubject, Subject } from 'rxjs';
import { parseAddress } from '../../../src/core/address.js';
import { createClient } from '../../../src/core/client.js';
import { parseXml, serializeXml, type XmlElement } from '../../../src/core/codecs/xml.js';
import type { DeliveryState } from '../../../src/core/message.js';
import { memoryOutboxStore } from '../../../src/core/outbox-store.js';
import type { ConnectionState } from '../../../src/core/transports/transport.js';
import { xmppTransport, type SessionPort } from '../../../src/core/transports/xmpp/transport.js';
import { fakeLink } from './fake-link.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const self = parseAddress('xmpp:alice@localhost');

/** A session port with XEP-0198: the test plays the server's acks and failed resumes. */
function smSession(smEnabled = true) {
  const f = fakeLink('alice@localhost/web');
  f.respond(async (iq) => parseXml(`<iq xmlns="jabber:client" type="result" id="${iq.attrs['id']}"/>`));
  const status$ = new BehaviorSubject<{ state: ConnectionState; resumed?: boolean }>({ state: 'offline' });
  const unacked$ = new Subject<readonly XmlElement[]>();
  const acked$ = new Subject<XmlElement>();
  const session: SessionPort & { smEnabled: boolean } = {
    status$, unacked$, acked$, smEnabled, link: f.link,
    async connect() { status$.next({ state: 'connecting' }); status$.next({ state: 'online' }); },
    async disconnect() { status$.next({ state: 'offline' }); },
  };
  const bodies = () => f.sent.filter((s) => s.local === 'message' && s.children.some((c) => typeof c !== 'string' && c.local === 'body'));
  return { f, session, status$, unacked$, acked$, bodies };
}

/** An empty archive (XEP-0313) that keeps our place, or (`keptPlace = false`: a restart) does not. */
function emptyArchive(s: ReturnType<typeof smSession>) {
  const archive = { keptPlace: true };
  s.f.respond(async (iq) => {
    const x = serializeXml(iq);
    if (x.includes('urn:xmpp:mam:2') && x.includes('<after>') && !archive.keptPlace) {
      throw Object.assign(new Error('item-not-found'), { condition: 'item-not-found' });
    }
    const fin = x.includes('urn:xmpp:mam:2') ? '<fin xmlns="urn:xmpp:mam:2" complete="true"/>' : '';
    return parseXml(`<iq xmlns="jabber:client" type="result" id="${iq.attrs['id']}">${fin}</iq>`);
  });
  return archive;
}

async function clientOver(s: ReturnType<typeof smSession>) {
  const store = memoryOutboxStore();
  const client = createClient({ transport: xmppTransport(s.session, self, { catchUp: false }), outbox: store });
  await wait(20);
  const states: DeliveryState[] = [];
  const out = client.send('bob@localhost', 'hello');
  out.state$.subscribe((d) => states.push(d.state));
  await wait(20);
  return { client, store, out, states };
}

describe('XMPP delivery acks (XEP-0198, #6)', () => {
  it('a written but unacknowledged message stays queued (and in the outbox store) until the server acks it', async () => {
    const s = smSession();
    const { store, out, states } = await clientOver(s);
    assert.equal(s.bodies().length, 1, 'written to the stream');
    assert.deepEqual(states, ['queued'], 'not sent before the ack');
    assert.equal((await store.load()).find((r) => r.message.id === out.id)?.sentAt, undefined, 'still a queued row');
    s.acked$.next(s.bodies()[0]!);
    await wait(20);
    assert.deepEqual(states, ['queued', 'sent']);
    assert.equal(typeof (await store.load()).find((r) => r.message.id === out.id)?.sentAt, 'number', 'now a sent row (resend window)');
  });

  it('without XEP-0198 a message counts as sent once written', async () => {
    const s = smSession(false);
    const { states } = await clientOver(s);
    assert.deepEqual(states, ['queued', 'sent']);
  });

  it('after a failed resume the unacknowledged message goes out once more, same id, and is sent on its ack', async () => {
    const s = smSession();
    const { out, states } = await clientOver(s);
    const first = s.bodies()[0]!;
    s.status$.next({ state: 'reconnecting' });
    s.status$.next({ state: 'online', resumed: false });
    s.unacked$.next([first]); // the session hands it back: the server may never have had it
    await wait(50);
    const wire = s.bodies().map(serializeXml).filter((x) => x.includes(out.id));
    assert.equal(wire.length, 2, 'sent again exactly once (by the outbox, not also by the transport)');
    assert.deepEqual(states, ['queued']);
    s.acked$.next(s.bodies().at(-1)!);
    await wait(20);
    assert.deepEqual(states, ['queued', 'sent']);
  });

  it('a disconnect before the ack leaves the message queued in the store for the next page', async () => {
    const s = smSession();
    const { client, store, out, states } = await clientOver(s);
    await client.disconnect();
    await wait(20);
    assert.deepEqual(states, ['queued']);
    assert.deepEqual((await store.load()).map((r) => [r.message.id, r.sentAt]), [[out.id, undefined]]);
  });

  it('after a resume, a repeat of a message the server acknowledged in this session is not written again', async () => {
    const s = smSession();
    const t = xmppTransport(s.session, self, { catchUp: false });
    await t.connect();
    await wait(20);
    const message = { id: 'm1', from: self, to: parseAddress('xmpp:bob@localhost'), body: 'hi', contentType: 'text/plain', timestamp: Date.now() };
    const sent = t.command({ type: 'send', message });
    s.acked$.next(s.bodies()[0]!);
    await sent;
    s.status$.next({ state: 'reconnecting' });
    s.status$.next({ state: 'online', resumed: true });
    await t.command({ type: 'send', message });
    assert.equal(s.bodies().length, 1, 'the resumed session still holds it');
    s.status$.next({ state: 'reconnecting' });
    s.status$.next({ state: 'online', resumed: false }); // a new session: the server may have lost it
    await wait(20);
    void t.command({ type: 'send', message });
    assert.equal(s.bodies().length, 2);
  });

  it('after a new session, a repeat acked in an earlier one goes out again only if the archive lost our place (a restart)', async () => {
    const s = smSession();
    const archive = emptyArchive(s);
    const cursor = { v: 'A1', get: () => cursor.v, set: (_: string, v: string) => void (cursor.v = v) };
    const t = xmppTransport(s.session, self, { catchUp: { cursors: cursor } });
    await t.connect();
    const message = { id: 'm1', from: self, to: parseAddress('xmpp:bob@localhost'), body: 'hi', contentType: 'text/plain', timestamp: Date.now() };
    const sent = t.command({ type: 'send', message });
    s.acked$.next(s.bodies()[0]!);
    await sent;
    const newSession = async () => {
      s.status$.next({ state: 'reconnecting' });
      s.status$.next({ state: 'online', resumed: false });
      await wait(30);
      await t.command({ type: 'send', message }).catch(() => undefined); // the outbox's repeat (unreceipted)
    };
    await newSession();
    assert.equal(s.bodies().length, 1, 'the archive kept our place: the server has it, no repeat on the wire');
    archive.keptPlace = false;
    void newSession();
    await wait(60);
    assert.equal(s.bodies().length, 2, 'the archive lost our place: sent again');
  });

  it('a repeat an earlier page saw confirmed is skipped while no session found the archive lost our place since; sent again otherwise', async () => {
    const s = smSession();
    const archive = emptyArchive(s);
    const memory = new Map<string, string>();
    const store = { get: (k: string) => memory.get(k), set: (k: string, v: string) => void memory.set(k, v) };
    const cursors = { get: () => 'A1', set: () => undefined };
    // A new page: no acks of its own, only what the outbox store says (confirmed at `confirmedAt`).
    const t = xmppTransport(s.session, self, { catchUp: { cursors, losses: store } });
    await t.connect();
    const message = { id: 'm1', from: self, to: parseAddress('xmpp:bob@localhost'), body: 'hi', contentType: 'text/plain', timestamp: Date.now() };
    assert.equal(await t.command({ type: 'send', message, confirmedAt: Date.now() - 1000 }), 'kept');
    assert.equal(s.bodies().length, 0, 'our archive kept our place and no loss is recorded: the server has it');

    archive.keptPlace = false; // the server restarted
    s.status$.next({ state: 'reconnecting' });
    s.status$.next({ state: 'online', resumed: false });
    await wait(30);
    archive.keptPlace = true; // the next sessions find the place this one left: intact again…
    s.status$.next({ state: 'reconnecting' });
    s.status$.next({ state: 'online', resumed: false });
    await wait(30);
    const repeat = t.command({ type: 'send', message, confirmedAt: Date.now() - 1000 });
    await wait(10);
    assert.equal(s.bodies().length, 1, '…but it was confirmed before the loss: sent again');
    s.acked$.next(s.bodies()[0]!);
    assert.equal(await repeat, 'repeated', 'and reported as confirmed anew');
    const recorded = Number(memory.get('alice@localhost'));
    archive.keptPlace = false; // a session that finds the loss itself…
    await wait(5);
    s.status$.next({ state: 'reconnecting' });
    s.status$.next({ state: 'online', resumed: false });
    for (let i = 0; i < 200 && !(Number(memory.get('alice@localhost')) > recorded); i++) await wait(10);
    assert.ok(Number(memory.get('alice@localhost')) > recorded, 'that session recorded the loss');
    await wait(5);
    const confirmedAgain = Date.now();
    await wait(5);
    s.status$.next({ state: 'reconnecting' });
    s.status$.next({ state: 'online', resumed: true }); // …and then resumes
    await wait(30);
    assert.equal(await t.command({ type: 'send', message, confirmedAt: confirmedAgain }), 'kept',
      'a repeat confirmed after that loss is not repeated again on each reconnect of that session');
    assert.equal(s.bodies().length, 1);
    assert.equal(await t.command({ type: 'send', message: { ...message, id: 'm2' }, confirmedAt: Date.now() }), 'kept',
      'one confirmed after the loss is kept');
  });

  it('a link resumed while its new session still waits for the archive\'s verdict goes online only with the verdict (a repeat is not skipped before it)', async () => {
    const s = smSession();
    const archive = emptyArchive(s);
    const memory = new Map<string, string>();
    const losses = { get: (k: string) => memory.get(k), set: (k: string, v: string) => void memory.set(k, v) };
    const t = xmppTransport(s.session, self, { catchUp: { cursors: { get: () => 'A1', set: () => undefined }, losses } });
    await t.connect();
    const states: string[] = [];
    t.events$.subscribe((e) => void (e.type === 'connection' && states.push(e.state)));
    // The server restarts: the new session's catch-up query waits for its answer…
    archive.keptPlace = false;
    let answer: (() => void) | undefined;
    const plain = (iq: XmlElement) => parseXml(`<iq xmlns="jabber:client" type="result" id="${iq.attrs['id']}"/>`);
    s.f.respond((iq) => {
      if (!serializeXml(iq).includes('urn:xmpp:mam:2')) return plain(iq);
      return new Promise<XmlElement>((_, reject) => {
        answer = () => reject(Object.assign(new Error('item-not-found'), { condition: 'item-not-found' }));
      });
    });
    const confirmedAt = Date.now() - 1000; // confirmed by the server before its restart
    s.status$.next({ state: 'reconnecting' });
    s.status$.next({ state: 'online', resumed: false });
    await wait(30);
    assert.ok(answer, 'the catch-up asked the archive');
    // …while the link drops and resumes.
    s.status$.next({ state: 'reconnecting' });
    s.status$.next({ state: 'online', resumed: true });
    await wait(10);
    assert.equal(states.at(-1), 'reconnecting', 'not online before the archive said whether it kept our place');
    const message = { id: 'm1', from: self, to: parseAddress('xmpp:bob@localhost'), body: 'hi', contentType: 'text/plain', timestamp: Date.now() };
    await assert.rejects(t.command({ type: 'send', message, confirmedAt }), /offline/);
    answer!();
    await wait(30);
    assert.equal(states.at(-1), 'online', 'online with the verdict');
    const repeat = t.command({ type: 'send', message, confirmedAt });
    await wait(10);
    assert.equal(s.bodies().length, 1, 'the archive lost our place: the repeat goes out');
    s.acked$.next(s.bodies()[0]!);
    assert.equal(await repeat, 'repeated');
  });

  it('a login that finishes after the link was lost again reports online only once the link is back', async () => {
    const s = smSession();
    let answer: (() => void) | undefined;
    const result = (iq: XmlElement) => parseXml(`<iq xmlns="jabber:client" type="result" id="${iq.attrs['id']}"/>`);
    s.f.respond((iq) => (answer ? result(iq) : new Promise((r) => { answer = () => r(result(iq)); }))); // the roster fetch waits
    const t = xmppTransport(s.session, self, { catchUp: false });
    const states: string[] = [];
    t.events$.subscribe((e) => void (e.type === 'connection' && states.push(e.state)));
    const connecting = t.connect();
    await wait(10);
    s.status$.next({ state: 'reconnecting' }); // lost during the roster fetch
    answer!();
    let done = false;
    void connecting.then(() => { done = true; });
    await wait(20);
    assert.equal(states.includes('online'), false);
    assert.equal(done, false, 'connect() waits for the link');
    s.status$.next({ state: 'online', resumed: true });
    await connecting;
    assert.equal(states.at(-1), 'online', 'the resume brings it online');
  });
});
