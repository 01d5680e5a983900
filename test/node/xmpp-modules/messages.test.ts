import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAddress } from '../../../src/core/address.js';
import { ImppError } from '../../../src/core/errors.js';
import type { InstantMessage } from '../../../src/core/message.js';
import { chatStates } from '../../../src/core/transports/xmpp/chat-states.js';
import { messages } from '../../../src/core/transports/xmpp/messages.js';
import { fakeLink } from './fake-link.js';

const setup = () => {
  const f = fakeLink();
  return { f, m: messages(f.link, f.emit), c: chatStates(f.link, f.emit) };
};
const out = (body: string): InstantMessage => ({
  id: 'm1', from: parseAddress('xmpp:alice@localhost'), to: parseAddress('xmpp:bob@localhost'), body, contentType: 'text/plain', timestamp: 0,
});

describe('messages (RFC 6121 §5)', () => {
  it('an unknown type is treated as normal (#31)', () => {
    const { f } = setup();
    f.push('<message from="bob@localhost/pc" to="alice@localhost" type="foo" id="x1"><body>hi</body></message>');
    const [ev] = f.ofType('message');
    assert.equal(ev?.message.body, 'hi');
    assert.equal(ev?.message.id, 'x1');
    assert.equal(ev?.message.from.toString(), 'xmpp:bob@localhost');
  });

  it('id is the XEP-0359 origin-id, else the stanza id; delay gives the timestamp', () => {
    const { f } = setup();
    f.push(`<message from="bob@localhost/pc" type="chat" id="stanza"><body>a</body>
      <origin-id xmlns="urn:xmpp:sid:0" id="origin"/><delay xmlns="urn:xmpp:delay" stamp="2020-01-02T03:04:05Z"/></message>`);
    const [ev] = f.ofType('message');
    assert.equal(ev?.message.id, 'origin');
    assert.equal(ev?.message.timestamp, Date.UTC(2020, 0, 2, 3, 4, 5));
  });

  it('a far-future delay falls back to arrival time', () => {
    const { f } = setup();
    const before = Date.now();
    f.push('<message from="bob@localhost" id="a"><body>a</body><delay xmlns="urn:xmpp:delay" stamp="2999-01-01T00:00:00Z"/></message>');
    assert.ok(f.ofType('message')[0]!.message.timestamp >= before);
  });

  it('serverId only from a stanza-id set by our own account', () => {
    const { f } = setup();
    f.push(`<message from="bob@localhost/pc" id="a"><body>a</body>
      <stanza-id xmlns="urn:xmpp:sid:0" by="bob@localhost" id="forged"/></message>`);
    f.push(`<message from="bob@localhost/pc" id="b"><body>b</body>
      <stanza-id xmlns="urn:xmpp:sid:0" by="alice@localhost/web" id="forged2"/>
      <stanza-id xmlns="urn:xmpp:sid:0" by="alice@localhost" id="S1"/></message>`);
    assert.deepEqual(f.ofType('message').map((e) => e.message.serverId), [undefined, 'S1']);
  });

  it('bodies are plain strings, markup untouched (#40)', () => {
    const { f } = setup();
    f.push('<message from="bob@localhost" id="a"><body>&lt;img src=x onerror=alert(1)&gt; <![CDATA[<svg onload=x>]]> javascript:alert(1)</body></message>');
    assert.equal(f.ofType('message')[0]!.message.body, '<img src=x onerror=alert(1)> <svg onload=x> javascript:alert(1)');
    assert.equal(f.ofType('message')[0]!.message.contentType, 'text/plain');
  });

  it('a chat-state-only message is a typing event, not an inbox entry (#45)', () => {
    const { f } = setup();
    f.push('<message from="bob@localhost/pc" type="chat"><composing xmlns="http://jabber.org/protocol/chatstates"/></message>');
    f.push('<message from="bob@localhost/pc" type="chat"><paused xmlns="http://jabber.org/protocol/chatstates"/></message>');
    assert.deepEqual(f.events.map((e) => e.type === 'typing' && e.typing), [true, false]);
    assert.equal(f.ofType('message').length, 0);
  });

  it('errors, groupchat and receipt-only messages are not inbox entries', () => {
    const { f } = setup();
    f.push('<message from="bob@localhost" type="error" id="m1"><body>echo</body><error type="cancel"/></message>');
    f.push('<message from="room@muc.localhost/x" type="groupchat"><body>hi</body></message>');
    f.push('<message from="bob@localhost"><received xmlns="urn:xmpp:receipts" id="m1"/></message>');
    assert.equal(f.ofType('message').length, 0);
  });

  it('sends body, origin-id, extras; a 1 MB body is refused with message/too-large (#42)', () => {
    const { f, m } = setup();
    m.send(out('hé <b>'));
    assert.equal(f.wire()[0], '<message to="bob@localhost" type="chat" id="m1"><body>hé &lt;b&gt;</body><origin-id xmlns="urn:xmpp:sid:0" id="m1"/></message>');
    assert.throws(() => m.send(out('x'.repeat(1024 * 1024))), (e) => ImppError.is(e, 'message/too-large'));
    assert.throws(() => m.send(out('é'.repeat(33 * 1024))), (e) => ImppError.is(e, 'message/too-large'), 'counted in UTF-8 bytes');
    assert.equal(f.sent.length, 1);
  });

  it('typing sends composing / active with a no-store hint', () => {
    const { f, c } = setup();
    c.send(parseAddress('xmpp:bob@localhost'), true);
    c.send(parseAddress('xmpp:bob@localhost'), false);
    assert.match(f.wire()[0]!, /<composing xmlns="http:\/\/jabber.org\/protocol\/chatstates"\/><no-store xmlns="urn:xmpp:hints"\/>/);
    assert.match(f.wire()[1]!, /<active xmlns/);
  });
});
