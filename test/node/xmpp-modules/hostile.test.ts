// Hostile and malformed stanzas through every module at once: nothing throws, nothing leaks.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BehaviorSubject, config } from 'rxjs';
import { parseAddress } from '../../../src/core/address.js';
import { parseXml } from '../../../src/core/codecs/xml.js';
import type { ConnectionState, TransportEvent } from '../../../src/core/transports/transport.js';
import { xmppTransport, type SessionPort } from '../../../src/core/transports/xmpp/transport.js';
import { fakeLink, tick } from './fake-link.js';

const HOSTILE = [
  '<message/>',
  '<message from=""><body/></message>',
  '<message from="@@@"><body>x</body></message>',
  '<message from="alice@localhost/x" to="xmpp:evil"><body>x</body></message>',
  '<message from="bob@localhost" type="chat"><body><b>markup</b>text</body></message>',
  '<message from="alice@localhost"><sent xmlns="urn:xmpp:carbons:2"/></message>',
  '<message from="alice@localhost"><received xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0"/></received></message>',
  '<message from="alice@localhost"><received xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0"><message xmlns="jabber:client" from="::"><body>x</body></message></forwarded></received></message>',
  '<message><result xmlns="urn:xmpp:mam:2" queryid="__proto__" id="1"/></message>',
  '<message from="bob@localhost"><received xmlns="urn:xmpp:receipts"/><displayed xmlns="urn:xmpp:chat-markers:0" id="constructor"/></message>',
  '<message from="bob@localhost" type="error"/>',
  '<message from="bob@localhost"><composing xmlns="http://jabber.org/protocol/chatstates"/><gone xmlns="http://jabber.org/protocol/chatstates"/></message>',
  '<presence from="bob@localhost/r"><priority>NaN</priority><show>__proto__</show><status xml:lang="x"/></presence>',
  '<presence from="bob@localhost" type="subscribe"><nick xmlns="http://jabber.org/protocol/nick"/></presence>',
  '<presence type="unsubscribe"/>',
  '<presence from="bob@localhost" type="bogus"/>',
  '<presence from="bob@localhost/r"><delay xmlns="urn:xmpp:delay" stamp="9999-99-99T99:99:99Z"/></presence>',
  '<iq type="set" id="x"><query xmlns="jabber:iq:roster"/></iq>',
  '<iq type="set" id="y"><query xmlns="jabber:iq:roster"><item/><item jid="a@b"/></query></iq>',
  '<iq type="set" id="z"><query xmlns="jabber:iq:roster"><item jid="toString@localhost" subscription="__proto__"/></query></iq>',
  '<iq type="set"><block xmlns="urn:xmpp:blocking"><item/></block></iq>',
  '<iq type="get" id="w"/>',
  '<iq type="result" id="nobody-asked"/>',
  '<iq type="get" id="v"><query xmlns="http://jabber.org/protocol/disco#info" node="&lt;script&gt;"/></iq>',
];

describe('hostile stanzas (BAD-INPUTS: no exception escapes, no stream errors)', () => {
  const unhandled: unknown[] = [];
  const previous = config.onUnhandledError;
  before(() => { config.onUnhandledError = (e) => unhandled.push(e); });
  after(() => { config.onUnhandledError = previous; });

  it('every module survives them and the transport keeps working', async () => {
    const f = fakeLink();
    f.respond((iq) => parseXml(`<iq xmlns="jabber:client" type="result" id="${iq.attrs['id']}"><query xmlns="jabber:iq:roster"><item jid="bob@localhost" subscription="both"/></query></iq>`));
    const status$ = new BehaviorSubject<{ state: ConnectionState }>({ state: 'offline' });
    const session: SessionPort = { status$, link: f.link, connect: async () => status$.next({ state: 'online' }), disconnect: async () => undefined };
    const t = xmppTransport(session, parseAddress('xmpp:alice@localhost'));
    const events: TransportEvent[] = [];
    let closed = false;
    t.events$.subscribe({ next: (e) => events.push(e), error: () => (closed = true), complete: () => (closed = true) });
    await t.connect();
    for (const x of HOSTILE) f.push(x);
    await tick();
    await new Promise((r) => setTimeout(r, 150));
    assert.deepEqual(unhandled, []);
    assert.equal(closed, false);
    assert.ok(!events.some((e) => e.type === 'message' && e.message.from.id === 'alice@localhost'), 'no forged message from us');
    assert.ok(!Object.prototype.hasOwnProperty.call(Object.prototype, 'subscription'), 'prototype untouched');
    // still working
    f.push('<message from="bob@localhost/pc" id="ok"><body>still here</body></message>');
    assert.equal(events.filter((e) => e.type === 'message').at(-1)?.type === 'message' && (events.filter((e) => e.type === 'message').at(-1) as { message: { body: string } }).message.body, 'still here');
  });
});
