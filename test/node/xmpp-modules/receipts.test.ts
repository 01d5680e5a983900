import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAddress } from '../../../src/core/address.js';
import { receipts } from '../../../src/core/transports/xmpp/receipts.js';
import { fakeLink } from './fake-link.js';

const setup = () => {
  const f = fakeLink();
  const r = receipts(f.link, f.emit);
  r.track('m1', parseAddress('xmpp:bob@localhost'));
  return { f, r };
};

describe('receipts (XEP-0184, XEP-0333)', () => {
  it('a receipt from the peer we sent to → delivered; a displayed marker → read', () => {
    const { f } = setup();
    f.push('<message from="bob@localhost/pc" id="r1"><received xmlns="urn:xmpp:receipts" id="m1"/></message>');
    f.push('<message from="bob@localhost/phone" type="chat" id="r2"><displayed xmlns="urn:xmpp:chat-markers:0" id="m1"/></message>');
    assert.deepEqual(f.ofType('receipt').map((r) => [r.id, r.peer.id, r.state]), [['m1', 'bob@localhost', 'delivered'], ['m1', 'bob@localhost', 'read']]);
  });

  it('ignores receipts from anyone else, for unknown ids, and inside carbons', () => {
    const { f } = setup();
    f.push('<message from="mallory@localhost/x"><received xmlns="urn:xmpp:receipts" id="m1"/></message>');
    f.push('<message from="bob@localhost/pc"><displayed xmlns="urn:xmpp:chat-markers:0" id="nope"/></message>');
    f.push(`<message from="alice@localhost"><received xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0">
      <message xmlns="jabber:client" from="bob@localhost/pc"><received xmlns="urn:xmpp:receipts" id="m1"/></message></forwarded></received></message>`);
    assert.equal(f.ofType('receipt').length, 0);
  });

  it('an error bounce from the peer (or its server) fails the message with a typed error', () => {
    const { f } = setup();
    f.push(`<message from="bob@localhost" type="error" id="m1"><body>x</body>
      <error type="cancel"><service-unavailable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></message>`);
    const [r] = f.ofType('receipt');
    assert.equal(r?.state, 'failed');
    assert.equal(r?.error?.code, 'recipient/unknown');
  });

  it('answers a receipt request on a live message, never on one without an id or body', () => {
    const { f } = setup();
    f.push('<message from="bob@localhost/pc" id="in1" type="chat"><body>hi</body><request xmlns="urn:xmpp:receipts"/></message>');
    f.push('<message from="bob@localhost/pc" type="chat"><body>hi</body><request xmlns="urn:xmpp:receipts"/></message>');
    f.push('<message from="bob@localhost/pc" id="in3" type="chat"><request xmlns="urn:xmpp:receipts"/></message>');
    assert.equal(f.sent.length, 1);
    assert.match(f.wire()[0]!, /^<message to="bob@localhost\/pc" id="[^"]+"><received xmlns="urn:xmpp:receipts" id="in1"\/><no-permanent-store xmlns="urn:xmpp:hints"\/><\/message>$/);
  });

  it('markRead sends a displayed marker', () => {
    const { f, r } = setup();
    r.markRead(parseAddress('xmpp:bob@localhost'), 'in1');
    assert.match(f.wire()[0]!, /<displayed xmlns="urn:xmpp:chat-markers:0" id="in1"\/>/);
  });
});
