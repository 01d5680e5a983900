import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BehaviorSubject, Subject } from 'rxjs';
import { parseAddress } from '../../../src/core/address.js';
import { parseXml, serializeXml, type XmlElement } from '../../../src/core/codecs/xml.js';
import { ImppError } from '../../../src/core/errors.js';
import type { ConnectionState, TransportEvent } from '../../../src/core/transports/transport.js';
import { xmppTransport, type SessionPort } from '../../../src/core/transports/xmpp/transport.js';
import { fakeLink, tick } from './fake-link.js';

function fakeSession() {
  const f = fakeLink();
  const status$ = new BehaviorSubject<{ state: ConnectionState; resumed?: boolean }>({ state: 'offline' });
  const unacked$ = new Subject<readonly XmlElement[]>();
  const log: string[] = [];
  f.respond(async (iq) => {
    const s = serializeXml(iq);
    log.push(s.includes('jabber:iq:roster') ? 'roster' : s.includes('carbons') ? 'carbons' : s.includes('blocklist') ? 'blocklist' : s);
    await new Promise((r) => setTimeout(r, 5)); // a round trip
    if (s.includes('jabber:iq:roster')) {
      return parseXml(`<iq xmlns="jabber:client" type="result" id="${iq.attrs['id']}"><query xmlns="jabber:iq:roster">
        <item jid="bob@localhost" subscription="both"/></query></iq>`);
    }
    return parseXml(`<iq xmlns="jabber:client" type="result" id="${iq.attrs['id']}"/>`);
  });
  const send = f.link.send;
  const link = { ...f.link, send: (s: Parameters<typeof send>[0]) => (log.push(serializeXml(s)), send(s)) };
  const session: SessionPort = {
    status$,
    unacked$,
    link,
    async connect() {
      status$.next({ state: 'connecting' });
      status$.next({ state: 'online' });
    },
    async disconnect() {
      status$.next({ state: 'offline' });
    },
  };
  return { f, session, status$, unacked$, log };
}

describe('xmpp transport (glue)', () => {
  it('logs in in order: roster, then carbons + blocklist, then initial presence; then online', async () => {
    const { session, log } = fakeSession();
    const t = xmppTransport(session, parseAddress('xmpp:alice@localhost'));
    const events: TransportEvent[] = [];
    t.events$.subscribe((e) => events.push(e));
    await t.connect();
    const presenceAt = log.findIndex((l) => l.startsWith('<presence'));
    assert.equal(log[0], 'roster');
    assert.deepEqual(log.slice(1, 3).sort(), ['blocklist', 'carbons']);
    assert.equal(presenceAt, 3);
    assert.equal(events.filter((e) => e.type === 'connection').at(-1)?.type === 'connection' && (events.filter((e) => e.type === 'connection').at(-1) as { state: string }).state, 'online');
    assert.ok(events.findIndex((e) => e.type === 'roster') < events.findIndex((e) => e.type === 'connection' && e.state === 'online'));
  });

  it('commands reject with client/disconnected while offline', async () => {
    const { session } = fakeSession();
    const t = xmppTransport(session, parseAddress('xmpp:alice@localhost'));
    await assert.rejects(t.command({ type: 'publish', availability: 'away' }), (e) => ImppError.is(e, 'client/disconnected'));
  });

  it('send: receipt request, markable, active; too large rejects with message/too-large', async () => {
    const { session, f } = fakeSession();
    const t = xmppTransport(session, parseAddress('xmpp:alice@localhost'));
    await t.connect();
    const msg = { id: 'm1', from: t.self, to: parseAddress('im:bob@localhost'), body: 'hi', contentType: 'text/plain', timestamp: 0 };
    await t.command({ type: 'send', message: msg });
    assert.match(f.wire().at(-1)!, /<message to="bob@localhost" type="chat" id="m1"><body>hi<\/body><origin-id xmlns="urn:xmpp:sid:0" id="m1"\/><request xmlns="urn:xmpp:receipts"\/><markable xmlns="urn:xmpp:chat-markers:0"\/><active/);
    await assert.rejects(t.command({ type: 'send', message: { ...msg, body: 'x'.repeat(70_000) } }), (e) => ImppError.is(e, 'message/too-large'));
  });

  it('publish offline sends unavailable; fetch of a roster contact answers from the cache', async () => {
    const { session, f } = fakeSession();
    const t = xmppTransport(session, parseAddress('xmpp:alice@localhost'));
    await t.connect();
    await t.command({ type: 'publish', availability: 'offline' });
    assert.equal(f.wire().at(-1), '<presence type="unavailable"/>');
    f.push('<presence from="bob@localhost/pc"><show>away</show></presence>');
    await tick();
    const p = await t.command({ type: 'fetch', address: parseAddress('pres:bob@localhost') });
    assert.equal(p.availability, 'away');
    const stranger = await t.command({ type: 'fetch', address: parseAddress('pres:zed@localhost') });
    assert.equal(stranger.availability, 'unknown');
    // #36: presence from a non-roster JID, or a roster contact we are not subscribed to, is dropped.
    f.push('<iq type="set" id="p1"><query xmlns="jabber:iq:roster"><item jid="carol@localhost" subscription="from"/></query></iq>');
    const events: string[] = [];
    t.events$.subscribe((e) => e.type === 'presence' && events.push(e.presence.entity.id));
    await tick();
    f.push('<presence from="carol@localhost/x"/>');
    f.push('<presence from="zed@localhost/x"/>');
    f.push('<presence from="bob@localhost/pc"><show>dnd</show></presence>');
    await new Promise((r) => setTimeout(r, 150)); // past the per-address coalescing window
    assert.deepEqual(events, ['bob@localhost']);
  });

  it('a new session after a drop logs in again; a resumed one does not', async () => {
    const { session, status$, log } = fakeSession();
    const t = xmppTransport(session, parseAddress('xmpp:alice@localhost'));
    await t.connect();
    const n = log.filter((l) => l === 'roster').length;
    status$.next({ state: 'reconnecting' });
    status$.next({ state: 'online', resumed: true });
    await tick();
    assert.equal(log.filter((l) => l === 'roster').length, n);
    status$.next({ state: 'reconnecting' });
    status$.next({ state: 'online' });
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(log.filter((l) => l === 'roster').length, n + 1);
  });

  it('after a failed resume, unacknowledged messages are resent with their ids once logged in again (#51)', async () => {
    const { session, status$, unacked$, f } = fakeSession();
    const t = xmppTransport(session, parseAddress('xmpp:alice@localhost'));
    await t.connect();
    status$.next({ state: 'reconnecting' });
    status$.next({ state: 'online' });
    unacked$.next([
      parseXml('<message to="bob@localhost" id="m7" type="chat"><body>again</body></message>'),
      parseXml('<message to="bob@localhost"><composing xmlns="http://jabber.org/protocol/chatstates"/></message>'),
      parseXml('<presence/>'),
    ]);
    await new Promise((r) => setTimeout(r, 40));
    const wire = f.wire();
    const presenceAt = wire.lastIndexOf('<presence/>');
    const resentAt = wire.findIndex((w) => w.includes('id="m7"'));
    assert.ok(resentAt > presenceAt, 'resent after the new initial presence');
    assert.equal(wire.filter((w) => w.includes('composing')).length, 0, 'chat states are not resent');
  });
});
