import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BehaviorSubject } from 'rxjs';
import { parseAddress } from '../../../src/core/address.js';
import { parseXml, serializeXml } from '../../../src/core/codecs/xml.js';
import { ImppError } from '../../../src/core/errors.js';
import type { InstantMessage } from '../../../src/core/message.js';
import type { ConnectionState, TransportEvent } from '../../../src/core/transports/transport.js';
import { mucInvites } from '../../../src/core/transports/xmpp/muc-invite.js';
import { muc } from '../../../src/core/transports/xmpp/muc.js';
import { messages } from '../../../src/core/transports/xmpp/messages.js';
import { xmppTransport, type SessionPort } from '../../../src/core/transports/xmpp/transport.js';
import { fakeLink, tick } from './fake-link.js';

const ROOM = parseAddress('im:design@conference.localhost'); // the core hands rooms over as im:
const USER = 'http://jabber.org/protocol/muc#user';
const XSS = '<img src=x onerror=alert(1)>';
const occupant = (nick: string, extra = '', item = 'affiliation="member" role="participant"') =>
  `<presence from="design@conference.localhost/${nick}"><x xmlns="${USER}"><item ${item}/>${extra}</x></presence>`;
const self = (nick: string, codes = ['110']) => occupant(nick, codes.map((c) => `<status code="${c}"/>`).join(''), 'affiliation="owner" role="moderator"');
const setup = (opts = {}) => {
  const f = fakeLink();
  const m = muc(f.link, f.emit, opts);
  const inv = mucInvites(f.link, f.emit);
  messages(f.link, f.emit);
  return { f, m, inv };
};
async function joined(nick = 'alice') {
  const s = setup();
  const p = s.m.join(ROOM, nick, 20);
  s.f.push(self(nick));
  await p;
  return s;
}
const msg = (id: string, body: string): InstantMessage =>
  ({ id, from: parseAddress('xmpp:alice@localhost'), to: ROOM, body, contentType: 'text/plain', timestamp: 0 });

describe('MUC (XEP-0045): joining', () => {
  it('joins with <x muc><history maxstanzas/>, lists occupants (self included) and resolves on status 110', async () => {
    const { f, m } = setup();
    const joining = m.join(ROOM, 'alice', 20);
    assert.equal(f.wire()[0], '<presence to="design@conference.localhost/alice"><x xmlns="http://jabber.org/protocol/muc"><history maxstanzas="20"/></x></presence>');
    f.push(occupant('Bob', '', 'affiliation="member" role="participant" jid="bob@localhost/pc"'));
    f.push(self('alice'));
    assert.deepEqual(await joining, { nick: 'alice' });
    assert.deepEqual(f.ofType('room-state').map((e) => [e.state, e.nick, e.room.toString()]), [
      ['joining', 'alice', 'xmpp:design@conference.localhost'], ['joined', 'alice', 'xmpp:design@conference.localhost'],
    ]);
    const [bob, me] = f.ofType('room-occupant').map((e) => e.occupant);
    assert.deepEqual([bob?.nick, bob?.address?.toString(), bob?.role, bob?.affiliation, bob?.presence.availability], ['Bob', 'xmpp:bob@localhost', 'participant', 'member', 'available']);
    assert.deepEqual([me?.nick, me?.role, me?.affiliation], ['alice', 'moderator', 'owner']);
  });

  it('status 201 (new room): submits the default configuration (any occupant may set the subject), then joined', async () => {
    const { f, m } = setup();
    const joining = m.join(ROOM, 'alice');
    f.push(self('alice', ['110', '201']));
    assert.deepEqual(await joining, { nick: 'alice' });
    assert.match(f.wire()[1]!, /^<iq type="set" to="design@conference.localhost" id="[^"]+"><query xmlns="http:\/\/jabber.org\/protocol\/muc#owner"><x xmlns="jabber:x:data" type="submit">/);
    assert.match(f.wire()[1]!, /<field var="FORM_TYPE"><value>http:\/\/jabber.org\/protocol\/muc#roomconfig<\/value><\/field><field var="muc#roomconfig_changesubject"><value>1<\/value><\/field><\/x><\/query><\/iq>$/);
    assert.equal(f.ofType('room-state').at(-1)?.state, 'joined');
  });

  it('a nick conflict (409) retries as nick-2, nick-3 … and reports the nick we got', async () => {
    const { f, m } = setup();
    const joining = m.join(ROOM, 'alice');
    const conflict = (nick: string) => `<presence from="design@conference.localhost/${nick}" type="error"><error type="cancel"><conflict xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></presence>`;
    f.push(conflict('alice'));
    f.push(conflict('alice-2'));
    assert.deepEqual(f.wire().map((w) => w.match(/to="([^"]+)"/)?.[1]), ['alice', 'alice-2', 'alice-3'].map((n) => `design@conference.localhost/${n}`));
    f.push(self('alice-3'));
    assert.deepEqual(await joining, { nick: 'alice-3' });
  });

  it('gives up after a bounded number of nick conflicts with a typed error', async () => {
    const { f, m } = setup();
    const joining = m.join(ROOM, 'alice');
    for (let i = 1; i <= 10; i++) f.push(`<presence from="design@conference.localhost/${i === 1 ? 'alice' : `alice-${i}`}" type="error"><error type="cancel"><conflict xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></presence>`);
    await assert.rejects(joining, (e: unknown) => ImppError.is(e, 'client/invalid-argument'));
    assert.equal(f.sent.length, 10);
    assert.equal(f.ofType('room-state').at(-1)?.state, 'failed');
  });

  for (const cond of ['not-allowed', 'registration-required', 'forbidden', 'not-authorized']) {
    it(`an error presence <${cond}/> fails the join with presence/forbidden`, async () => {
      const { f, m } = setup();
      const joining = m.join(ROOM, 'alice');
      f.push(`<presence from="design@conference.localhost/alice" type="error"><error type="cancel"><${cond} xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></presence>`);
      await assert.rejects(joining, (e: unknown) => ImppError.is(e, 'presence/forbidden') && e.message.includes('design@conference.localhost'));
      const failed = f.ofType('room-state').at(-1);
      assert.equal(failed?.state, 'failed');
      assert.equal(failed?.error?.code, 'presence/forbidden');
    });
  }

  it('a room still locked by its creator (item-not-found) is retried a few times before failing', async () => {
    const { f, m } = setup();
    const joining = m.join(ROOM, 'bob');
    f.push('<presence from="design@conference.localhost/bob" type="error"><error type="cancel"><item-not-found xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></presence>');
    await new Promise((r) => setTimeout(r, 350));
    assert.equal(f.sent.length, 2, 'joined again after a pause');
    f.push(self('bob'));
    assert.deepEqual(await joining, { nick: 'bob' });
  });

  it('a join times out with transport/timeout and sends unavailable', async () => {
    const { f, m } = setup({ timeoutMs: 20 });
    await assert.rejects(m.join(ROOM, 'alice'), (e: unknown) => ImppError.is(e, 'transport/timeout'));
    assert.match(f.wire().at(-1)!, /type="unavailable"/);
  });

  it('an invalid nick is refused before anything is sent', async () => {
    const { f, m } = setup();
    await assert.rejects(m.join(ROOM, 'a\u0001b'), (e: unknown) => ImppError.is(e, 'client/invalid-argument'));
    assert.equal(f.sent.length, 0);
  });

  it('joining a room we are still in (XEP-0198 resumed) resolves at once and sends nothing', async () => {
    const { f, m } = await joined();
    const before = f.sent.length;
    assert.deepEqual(await m.join(ROOM, 'alice', 20), { nick: 'alice' });
    assert.equal(f.sent.length, before);
    assert.equal(f.ofType('room-state').length, 2, 'no joining/joined flap');
  });
});

describe('MUC (XEP-0045): occupants, messages, subject', () => {
  it('occupant unavailable → left; show/status map through the presence mapping', async () => {
    const { f } = await joined();
    f.push('<presence from="design@conference.localhost/Bob"><show>dnd</show><status>In a call</status><x xmlns="http://jabber.org/protocol/muc#user"><item affiliation="none" role="participant"/></x></presence>');
    const busy = f.ofType('room-occupant').at(-1)!;
    assert.deepEqual([busy.occupant.presence.availability, busy.occupant.presence.tuples[0]?.notes[0]?.text], ['busy', 'In a call']);
    f.push('<presence from="design@conference.localhost/Bob" type="unavailable"><x xmlns="http://jabber.org/protocol/muc#user"><item affiliation="none" role="none"/></x></presence>');
    const left = f.ofType('room-occupant').at(-1)!;
    assert.deepEqual([left.occupant.nick, left.left, left.occupant.presence.availability], ['Bob', true, 'offline']);
  });

  it('history: <delay> from the room is the original time; ids from origin-id, else the stanza id', async () => {
    const { f } = await joined();
    f.push('<message from="design@conference.localhost/Bob" type="groupchat" id="s1"><body>old</body><origin-id xmlns="urn:xmpp:sid:0" id="o1"/>' +
      '<delay xmlns="urn:xmpp:delay" from="design@conference.localhost" stamp="2024-05-06T07:08:09Z"/></message>');
    f.push('<message from="design@conference.localhost/Bob" type="groupchat" id="s2"><body>forged time</body><delay xmlns="urn:xmpp:delay" from="bob@localhost" stamp="2001-01-01T00:00:00Z"/></message>');
    const [a, b] = f.ofType('room-message');
    assert.deepEqual([a?.nick, a?.message.id, a?.message.timestamp, a?.message.from.toString(), a?.message.to.id], ['Bob', 'o1', Date.UTC(2024, 4, 6, 7, 8, 9), 'xmpp:design@conference.localhost/Bob', 'design@conference.localhost']);
    assert.equal(b?.message.id, 's2');
    assert.ok(b!.message.timestamp > Date.UTC(2020, 0, 1), 'a delay not stamped by the room is not trusted');
  });

  it('stanza-id is trusted only with by = the room bare JID', async () => {
    const { f } = await joined();
    const withSid = (by: string, id: string) => f.push(`<message from="design@conference.localhost/Bob" type="groupchat" id="${id}"><body>x</body><stanza-id xmlns="urn:xmpp:sid:0" by="${by}" id="S-${id}"/></message>`);
    withSid('design@conference.localhost', 'a');
    withSid('bob@localhost', 'b');
    withSid('design@conference.localhost/Bob', 'c');
    withSid('alice@localhost', 'd');
    assert.deepEqual(f.ofType('room-message').map((e) => e.message.serverId), ['S-a', undefined, undefined, undefined]);
  });

  it('subject and message from non-room JIDs, or from a room we are not in, are ignored', async () => {
    const { f } = await joined();
    f.push('<message from="mallory@localhost/x" type="groupchat"><subject>pwned</subject></message>');
    f.push('<message from="mallory@localhost/x" type="groupchat"><body>fake</body></message>');
    f.push('<message from="other@conference.localhost/Bob" type="groupchat"><body>not joined</body></message>');
    f.push('<message from="other@conference.localhost" type="groupchat"><subject>not joined</subject></message>');
    f.push('<presence from="other@conference.localhost/Bob"><x xmlns="http://jabber.org/protocol/muc#user"><item affiliation="owner" role="moderator"/></x></presence>');
    assert.deepEqual([f.ofType('room-subject').length, f.ofType('room-message').length, f.ofType('room-occupant').length, f.ofType('message').length], [0, 0, 1, 0]);
  });

  it('keeps XSS strings verbatim as data: nick, body, subject', async () => {
    const { f } = await joined();
    const nick = XSS.replace(/[<>"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
    f.push(`<message from="design@conference.localhost/${nick}" type="groupchat" id="x1"><body>${nick}</body></message>`);
    f.push(`<message from="design@conference.localhost/${nick}" type="groupchat"><subject>${nick}</subject></message>`);
    assert.deepEqual([f.ofType('room-message')[0]?.nick, f.ofType('room-message')[0]?.message.body], [XSS, XSS]);
    assert.deepEqual(f.ofType('room-subject')[0], { type: 'room-subject', room: f.ofType('room-subject')[0]!.room, subject: XSS, nick: XSS });
  });

  it('a message with a subject and a body is a message, not a subject change; <subject/> clears it', async () => {
    const { f } = await joined();
    f.push('<message from="design@conference.localhost/Bob" type="groupchat" id="m"><subject>S</subject><body>b</body></message>');
    f.push('<message from="design@conference.localhost" type="groupchat"><subject/></message>');
    assert.equal(f.ofType('room-message').length, 1);
    assert.deepEqual(f.ofType('room-subject').map((e) => [e.subject, e.nick]), [['', undefined]]);
  });

  it('send: groupchat with our id and origin-id; refused while not joined', async () => {
    const { f, m } = await joined();
    m.send(ROOM, msg('id1', 'hi <all>'));
    assert.equal(f.wire().at(-1), '<message to="design@conference.localhost" type="groupchat" id="id1"><body>hi &lt;all&gt;</body><origin-id xmlns="urn:xmpp:sid:0" id="id1"/></message>');
    assert.throws(() => m.send(parseAddress('other@conference.localhost'), msg('id2', 'x')), (e: unknown) => ImppError.is(e, 'client/disconnected'));
  });

  it('setting the subject resolves on the reflection and rejects on forbidden', async () => {
    const { f, m } = await joined();
    const ok = m.subject(ROOM, 'Agenda');
    assert.match(f.wire().at(-1)!, /<message to="design@conference.localhost" type="groupchat" id="[^"]+"><subject>Agenda<\/subject><\/message>/);
    f.push('<message from="design@conference.localhost/alice" type="groupchat"><subject>Agenda</subject></message>');
    await ok;
    const no = m.subject(ROOM, 'Nope');
    const id = f.wire().at(-1)!.match(/id="([^"]+)"/)![1];
    f.push(`<message from="design@conference.localhost" type="error" id="${id}"><error type="auth"><forbidden xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></message>`);
    await assert.rejects(no, (e: unknown) => ImppError.is(e, 'presence/forbidden'));
  });

  it('leave sends unavailable and says left', async () => {
    const { f, m } = await joined();
    m.leave(ROOM);
    assert.equal(f.wire().at(-1), '<presence to="design@conference.localhost/alice" type="unavailable"/>');
    assert.equal(f.ofType('room-state').at(-1)?.state, 'left');
  });

  it('kicked (307) or room destroyed → left with a typed error; everyone else is gone too', async () => {
    const kicked = await joined();
    kicked.f.push(occupant('Bob'));
    kicked.f.push(`<presence from="design@conference.localhost/alice" type="unavailable"><x xmlns="${USER}"><item affiliation="none" role="none"><reason>${XSS.replace(/</g, '&lt;')}</reason></item><status code="307"/><status code="110"/></x></presence>`);
    const k = kicked.f.ofType('room-state').at(-1);
    assert.deepEqual([k?.state, k?.error?.code], ['left', 'presence/forbidden']);
    assert.ok(kicked.f.ofType('room-occupant').some((e) => e.occupant.nick === 'Bob' && e.left));
    const destroyed = await joined();
    destroyed.f.push(`<presence from="design@conference.localhost/alice" type="unavailable"><x xmlns="${USER}"><item affiliation="none" role="none"/><destroy><reason>done</reason></destroy><status code="110"/></x></presence>`);
    const d = destroyed.f.ofType('room-state').at(-1);
    assert.deepEqual([d?.state, d?.error?.code], ['left', 'recipient/unknown']);
  });

  it('a private message from an occupant is reported, never a 1:1 message', async () => {
    const { f } = await joined();
    f.push(`<message from="design@conference.localhost/Bob" type="chat" id="p1"><body>psst</body><x xmlns="${USER}"/></message>`);
    assert.equal(f.ofType('room-message').length, 0);
    assert.equal(f.ofType('error')[0]?.error.code, 'transport/unsupported');
  });
});

describe('MUC invitations (XEP-0249 direct, XEP-0045 §7.8.2 mediated)', () => {
  it('a direct invitation becomes room-invite', () => {
    const { f } = setup();
    f.push('<message from="bob@localhost/pc" id="i1"><x xmlns="jabber:x:conference" jid="design@conference.localhost" reason="Review at 10" password="pw"/></message>');
    const [e] = f.ofType('room-invite');
    assert.deepEqual([e?.invitation.room.id, e?.invitation.from.id, e?.invitation.reason, e?.invitation.password], ['design@conference.localhost', 'bob@localhost', 'Review at 10', 'pw']);
  });

  it('a mediated invitation (with Prosody\'s extra jabber:x:conference copy) becomes one room-invite', () => {
    const { f } = setup();
    f.push(`<message from="design@conference.localhost"><x xmlns="${USER}"><invite from="bob@localhost/pc"><reason>${XSS.replace(/</g, '&lt;')}</reason></invite></x>` +
      '<x xmlns="jabber:x:conference" jid="design@conference.localhost">join us</x><body>bob@localhost/pc invited you to the room design@conference.localhost</body></message>');
    const invites = f.ofType('room-invite');
    assert.equal(invites.length, 1);
    assert.deepEqual([invites[0]!.invitation.room.id, invites[0]!.invitation.from.id, invites[0]!.invitation.reason], ['design@conference.localhost', 'bob@localhost', XSS]);
  });

  for (const jid of ['javascript:alert(1)', 'design@conference.localhost/nick', 'conference.localhost', '', '@x']) {
    it(`a forged invitation with room jid ${JSON.stringify(jid)} is ignored with an error event`, () => {
      const { f } = setup();
      f.push(`<message from="mallory@localhost/x"><x xmlns="jabber:x:conference" jid="${jid}"/></message>`);
      assert.equal(f.ofType('room-invite').length, 0);
      assert.equal(f.ofType('error')[0]?.error.code, 'address/invalid');
    });
  }

  it('a mediated invitation not from a room is ignored with an error event', () => {
    const { f } = setup();
    f.push(`<message from="mallory@localhost/x"><x xmlns="${USER}"><invite from="boss@localhost"/></x></message>`);
    assert.deepEqual([f.ofType('room-invite').length, f.ofType('error')[0]?.error.code], [0, 'address/invalid']);
  });

  it('invite() sends one direct invitation per invitee, then a ping round trip', async () => {
    const { f, inv } = setup();
    await inv.invite(ROOM, [parseAddress('bob@localhost'), parseAddress('xmpp:carol@localhost/phone')], 'Review');
    assert.deepEqual(f.wire().map((w) => w.replace(/ id="[^"]+"/, '')), [
      '<message to="bob@localhost"><x xmlns="jabber:x:conference" jid="design@conference.localhost" reason="Review"/></message>',
      '<message to="carol@localhost"><x xmlns="jabber:x:conference" jid="design@conference.localhost" reason="Review"/></message>',
      '<iq type="get" to="localhost"><ping xmlns="urn:xmpp:ping"/></iq>',
    ]);
  });

  it('invite() rejects with recipient/unknown when the server bounces an invitation before the ping answer', async () => {
    const { f, inv } = setup();
    f.respond((iq) => {
      const id = f.wire()[0]!.match(/id="([^"]+)"/)![1];
      f.push(`<message from="ghost@localhost" type="error" id="${id}"><error type="cancel"><service-unavailable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></message>`);
      return parseXml(`<iq xmlns="jabber:client" type="result" id="${iq.attrs['id']}"/>`);
    });
    await assert.rejects(inv.invite(ROOM, [parseAddress('ghost@localhost')]), (e: unknown) => ImppError.is(e, 'recipient/unknown') && e.message.includes('ghost@localhost'));
    assert.equal(f.ofType('error').length, 0);
  });

  it('a bounce claimed by someone other than the invitee is ignored', async () => {
    const { f, inv } = setup();
    f.respond((iq) => {
      const id = f.wire()[0]!.match(/id="([^"]+)"/)![1];
      f.push(`<message from="mallory@localhost" type="error" id="${id}"><error type="cancel"><service-unavailable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></message>`);
      return parseXml(`<iq xmlns="jabber:client" type="result" id="${iq.attrs['id']}"/>`);
    });
    await inv.invite(ROOM, [parseAddress('bob@localhost')]);
  });
});

describe('MUC in the XMPP transport (glue)', () => {
  function session() {
    const f = fakeLink();
    f.respond(async (iq) => parseXml(serializeXml(iq).includes('jabber:iq:roster')
      ? `<iq xmlns="jabber:client" type="result" id="${iq.attrs['id']}"><query xmlns="jabber:iq:roster"/></iq>`
      : `<iq xmlns="jabber:client" type="result" id="${iq.attrs['id']}"/>`));
    const status$ = new BehaviorSubject<{ state: ConnectionState; resumed?: boolean }>({ state: 'offline' });
    const s: SessionPort = {
      status$, link: f.link,
      async connect() { status$.next({ state: 'online' }); },
      async disconnect() { status$.next({ state: 'offline' }); },
    };
    return { f, s, status$ };
  }

  it('roomDomain defaults to conference.<domain>; room traffic never reaches the 1:1 inbox; resume keeps the room', async () => {
    const { f, s, status$ } = session();
    const t = xmppTransport(s, parseAddress('xmpp:alice@localhost'));
    assert.equal(t.roomDomain, 'conference.localhost');
    assert.equal(xmppTransport(s, parseAddress('xmpp:alice@localhost'), { mucService: 'muc.example.org' }).roomDomain, 'muc.example.org');
    const events: TransportEvent[] = [];
    t.events$.subscribe((e) => events.push(e));
    await t.connect();
    const joining = t.command({ type: 'room-join', room: ROOM, nick: 'alice', history: 5 });
    await tick();
    f.push(self('alice'));
    assert.deepEqual(await joining, { nick: 'alice' });
    f.push('<message from="design@conference.localhost/Bob" type="groupchat" id="g"><body>group</body></message>');
    f.push(`<message from="design@conference.localhost/Bob" type="chat" id="p"><body>private</body><x xmlns="${USER}"/></message>`);
    f.push('<message from="design@conference.localhost"><x xmlns="http://jabber.org/protocol/muc#user"><invite from="bob@localhost"/></x><body>fallback</body></message>');
    assert.deepEqual(events.filter((e) => e.type === 'message'), []);
    assert.equal(events.filter((e) => e.type === 'room-message').length, 1);
    const sent = f.sent.length;
    status$.next({ state: 'reconnecting' });
    status$.next({ state: 'online', resumed: true });
    assert.deepEqual(await t.command({ type: 'room-join', room: ROOM, nick: 'alice', history: 5 }), { nick: 'alice' });
    assert.equal(f.sent.length, sent, 'a resumed session is still in the room: no rejoin');
    assert.deepEqual(events.filter((e) => e.type === 'room-state').map((e) => e.type === 'room-state' && e.state), ['joining', 'joined']);
    // A new session (resume failed) has lost the room: occupants go, and the next join is a real one.
    f.push(occupant('Bob'));
    status$.next({ state: 'reconnecting' });
    status$.next({ state: 'online' });
    await tick();
    assert.ok(events.some((e) => e.type === 'room-occupant' && e.left && e.occupant.nick === 'Bob'));
    const rejoin = t.command({ type: 'room-join', room: ROOM, nick: 'alice', history: 5 });
    await tick();
    assert.match(serializeXml(f.sent.at(-1)!), /^<presence to="design@conference.localhost\/alice"><x xmlns="http:\/\/jabber.org\/protocol\/muc"><history maxstanzas="5"\/>/);
    f.push(self('alice'));
    assert.deepEqual(await rejoin, { nick: 'alice' });
    // Our published presence follows us into the room (§7.7).
    await t.command({ type: 'publish', availability: 'away', note: 'lunch' });
    assert.equal(serializeXml(f.sent.at(-1)!), '<presence to="design@conference.localhost/alice"><show>away</show><status>lunch</status></presence>');
    await t.disconnect();
  });
});
