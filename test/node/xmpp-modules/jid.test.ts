import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseXml } from '../../../src/core/codecs/xml.js';
import { bareJid, fromOwnAccount, jidString, parseJid } from '../../../src/core/transports/xmpp/jid.js';

describe('JIDs (RFC 7622) and from checks (RFC 6120 §8.1.2.1)', () => {
  it('normalises case except the resource (#7) and keeps domain-only JIDs (#5)', () => {
    assert.equal(parseJid('Alice@Example.COM/Phone')?.toString(), 'xmpp:alice@example.com/Phone');
    assert.equal(parseJid('localhost')?.id, 'localhost');
    assert.equal(jidString(parseJid('a@b/r:x')!), 'a@b/r:x');
    assert.equal(bareJid('im:Bob@Localhost').toString(), 'xmpp:bob@localhost');
  });

  it('refuses what is not a JID: URIs, empty parts, over-long parts, lone surrogates (#4)', () => {
    for (const bad of [undefined, '', 'xmpp:a@b', '@b', 'a@', 'a@b/', `${'x'.repeat(1024)}@b`, 'a\uD800@b', 'a b@c']) {
      assert.equal(parseJid(bad), undefined, String(bad));
    }
    assert.equal(parseJid('ok@example.com')?.id, 'ok@example.com', 'later parses unaffected');
  });

  it('own account = no from, or exactly our bare JID', () => {
    const self = parseJid('alice@localhost/web')!;
    const s = (from: string) => parseXml(`<iq xmlns="jabber:client"${from}/>`);
    assert.ok(fromOwnAccount(s(''), self));
    assert.ok(fromOwnAccount(s(' from="Alice@LOCALHOST"'), self));
    assert.ok(!fromOwnAccount(s(' from="alice@localhost/web"'), self));
    assert.ok(!fromOwnAccount(s(' from="localhost"'), self));
    assert.ok(!fromOwnAccount(s(' from="not a jid"'), self));
  });
});
