import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAddress } from '../../../src/core/address.js';
import { parseXml } from '../../../src/core/codecs/xml.js';
import { blocking } from '../../../src/core/transports/xmpp/blocking.js';
import { disco } from '../../../src/core/transports/xmpp/disco.js';
import { unhandledIqs } from '../../../src/core/transports/xmpp/iq.js';
import { IqRouter } from '../../../src/core/transports/xmpp/iq-router.js';
import { ping, PING_NS } from '../../../src/core/transports/xmpp/ping.js';
import { fakeLink, tick } from './fake-link.js';

describe('blocking (XEP-0191)', () => {
  it('fetches the blocklist and follows pushes from our own account only', async () => {
    const f = fakeLink();
    const b = blocking(f.link);
    const changes: string[] = [];
    b.changes$.subscribe((c) => changes.push(`${c.blocked ? '+' : '-'}${c.addresses.map((a) => a.id).join(',')}`));
    f.respond((iq) => parseXml(`<iq xmlns="jabber:client" type="result" id="${iq.attrs['id']}">
      <blocklist xmlns="urn:xmpp:blocking"><item jid="eve@localhost"/><item jid="bad jid"/></blocklist></iq>`));
    await b.fetch();
    f.push('<iq type="set" id="b1" from="mallory@localhost"><unblock xmlns="urn:xmpp:blocking"/></iq>');
    f.push('<iq type="set" id="b2"><block xmlns="urn:xmpp:blocking"><item jid="spam@localhost"/></block></iq>');
    await tick();
    assert.deepEqual(changes, ['+eve@localhost', '+spam@localhost']);
    assert.ok(b.has(parseAddress('xmpp:spam@localhost')));
    assert.match(f.wire().find((w) => w.includes('"b1"'))!, /type="error".*service-unavailable/);
    assert.match(f.wire().find((w) => w.includes('"b2"'))!, /type="result"/);
    f.push('<iq type="set" id="b3" from="alice@localhost"><unblock xmlns="urn:xmpp:blocking"/></iq>');
    await tick();
    assert.equal(changes.at(-1), '-eve@localhost,spam@localhost', 'an empty unblock means all');
  });

  it('block/unblock send the command and report the change', async () => {
    const f = fakeLink();
    const b = blocking(f.link);
    const eve = parseAddress('xmpp:eve@localhost');
    await b.block(eve);
    assert.ok(b.has(eve));
    await b.unblock(eve);
    assert.ok(!b.has(eve));
    assert.match(f.wire()[0]!, /<block xmlns="urn:xmpp:blocking"><item jid="eve@localhost"\/><\/block>/);
    assert.match(f.wire()[1]!, /<unblock xmlns="urn:xmpp:blocking"><item jid="eve@localhost"\/><\/unblock>/);
  });
});

describe('IQ answers (RFC 6120 §8.2.3)', () => {
  const setup = () => {
    const f = fakeLink();
    disco(f.link);
    ping(f.link);
    unhandledIqs(f.link, new Set(['http://jabber.org/protocol/disco#info', PING_NS]));
    return f;
  };

  it('an unhandled get/set is answered service-unavailable, results are left alone (#32)', async () => {
    const f = setup();
    f.push('<iq type="get" id="q1" from="bob@localhost/pc"><query xmlns="jabber:iq:version"/></iq>');
    f.push('<iq type="set" id="q2" from="bob@localhost/pc"/>');
    f.push('<iq type="result" id="q3" from="bob@localhost/pc"><query xmlns="jabber:iq:version"/></iq>');
    await tick();
    assert.deepEqual(f.wire(), [
      '<iq type="error" id="q1" to="bob@localhost/pc"><error type="cancel"><service-unavailable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></iq>',
      '<iq type="error" id="q2" to="bob@localhost/pc"><error type="cancel"><service-unavailable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></iq>',
    ]);
  });

  it('answers disco#info (with the node) and pings, exactly once each', async () => {
    const f = setup();
    f.push('<iq type="get" id="d1" from="localhost"><query xmlns="http://jabber.org/protocol/disco#info" node="n#v"/></iq>');
    f.push('<iq type="get" id="p1" from="localhost"><ping xmlns="urn:xmpp:ping"/></iq>');
    await tick();
    assert.equal(f.sent.length, 2);
    assert.match(f.wire()[0]!, /^<iq type="result" id="d1" to="localhost"><query xmlns="http:\/\/jabber.org\/protocol\/disco#info" node="n#v"><identity category="client" type="web" name="impp-kit"\/>.*<feature var="urn:xmpp:receipts"\/>/);
    assert.equal(f.wire()[1], '<iq type="result" id="p1" to="localhost"/>');
  });

  it('with a session IQ router, modules register handlers and the router answers the rest', async () => {
    const f = fakeLink();
    const router = new IqRouter(() => f.link.jid, (iq) => f.link.send(iq));
    const link = Object.assign(Object.create(f.link) as typeof f.link, { handleIq: router.handle.bind(router) });
    const d = disco(link);
    const u = unhandledIqs(link, new Set());
    router.receive(parseXml('<iq xmlns="jabber:client" type="get" id="d1" from="localhost"><query xmlns="http://jabber.org/protocol/disco#info"/></iq>'));
    router.receive(parseXml('<iq xmlns="jabber:client" type="get" id="v1" from="localhost"><query xmlns="jabber:iq:version"/></iq>'));
    await tick();
    assert.equal(f.sent.length, 2);
    assert.match(f.wire().find((w) => w.includes('"d1"'))!, /type="result"/);
    assert.match(f.wire().find((w) => w.includes('"v1"'))!, /service-unavailable/);
    d.dispose();
    u.dispose();
    router.receive(parseXml('<iq xmlns="jabber:client" type="get" id="d2" from="localhost"><query xmlns="http://jabber.org/protocol/disco#info"/></iq>'));
    assert.match(f.wire().at(-1)!, /id="d2".*service-unavailable/, 'disposed: no longer answered');
  });
});
