import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { el, type XmlElement } from '../../../src/core/codecs/xml.js';
import { ImppError } from '../../../src/core/errors.js';
import {
  closeFrame, isStanza, MAX_FRAME_BYTES, openFrame, parseFrame, readStreamError, StreamError, stanzaFrame,
} from '../../../src/core/transports/xmpp/framing.js';

const condition = (text: string): string => {
  try {
    parseFrame(text);
  } catch (e) {
    assert.ok(e instanceof StreamError);
    assert.equal(e.byPeer, false);
    return e.condition;
  }
  return 'accepted';
};

describe('RFC 7395 framing', () => {
  it('writes <open/> and <close/> in the framing namespace', () => {
    assert.equal(openFrame('localhost'), '<open xmlns="urn:ietf:params:xml:ns:xmpp-framing" to="localhost" version="1.0" xml:lang="en"/>');
    assert.equal(closeFrame(), '<close xmlns="urn:ietf:params:xml:ns:xmpp-framing"/>');
  });

  it('gives each stanza the jabber:client namespace and leaves nonzas alone', () => {
    assert.equal(stanzaFrame(el('message', { to: 'a@b' }, el('body', {}, 'x<y'))),
      '<message xmlns="jabber:client" to="a@b"><body>x&lt;y</body></message>');
    assert.equal(stanzaFrame(el('r', { xmlns: 'urn:xmpp:sm:3' })), '<r xmlns="urn:xmpp:sm:3"/>');
  });

  it('reads open, close (with see-other-uri reported, not followed) and elements', () => {
    assert.equal(parseFrame('<open xmlns="urn:ietf:params:xml:ns:xmpp-framing" from="localhost" id="x" version="1.0"/>').kind, 'open');
    assert.deepEqual(parseFrame('<close xmlns="urn:ietf:params:xml:ns:xmpp-framing"/>'), { kind: 'close' });
    assert.deepEqual(parseFrame('<close xmlns="urn:ietf:params:xml:ns:xmpp-framing" see-other-uri="wss://evil.example/ws"/>'),
      { kind: 'close', seeOtherUri: 'wss://evil.example/ws' });
    const f = parseFrame('<message xmlns="jabber:client" from="a@b/c"><body>hi</body></message>');
    assert.ok(f.kind === 'element' && isStanza(f.element));
    assert.ok(!isStanza(el('message', { xmlns: 'urn:other' })));
  });

  it('a frame over 256 KiB is a policy-violation, checked in UTF-8 bytes', () => {
    const big = `<message xmlns="jabber:client"><body>${'a'.repeat(MAX_FRAME_BYTES)}</body></message>`;
    assert.equal(condition(big), 'policy-violation');
    const multibyte = `<message xmlns="jabber:client"><body>${'é'.repeat(MAX_FRAME_BYTES / 2)}</body></message>`;
    assert.equal(condition(multibyte), 'policy-violation');
    try { parseFrame(big); } catch (e) { assert.ok(ImppError.is(e, 'transport/policy-violation')); }
    const fits = `<message xmlns="jabber:client"><body>${'a'.repeat(MAX_FRAME_BYTES - 100)}</body></message>`;
    assert.equal(condition(fits), 'accepted');
  });

  it('DOCTYPE, entity declarations, PIs and comments are restricted-xml (RFC 6120 §11.1)', () => {
    assert.equal(condition('<!DOCTYPE m [<!ENTITY x "y">]><message xmlns="jabber:client">&x;</message>'), 'restricted-xml');
    assert.equal(condition('<message xmlns="jabber:client"><?php evil ?></message>'), 'restricted-xml');
    assert.equal(condition('<message xmlns="jabber:client"><!-- c --></message>'), 'restricted-xml');
  });

  it('malformed frames are not-well-formed, never a partial stanza', () => {
    for (const bad of ['<message xmlns="jabber:client"><body>hi</body>', '<message><body></message>', 'hello',
      '<a/><b/>', '<p:message xmlns="jabber:client"/>', '<message xmlns="jabber:client">&unknown;</message>', '']) {
      assert.equal(condition(bad), 'not-well-formed', bad);
    }
  });

  it('reads a server stream error with its condition and text', () => {
    const f = parseFrame('<stream:error xmlns:stream="http://etherx.jabber.org/streams"><conflict xmlns="urn:ietf:params:xml:ns:xmpp-streams"/>' +
      '<text xmlns="urn:ietf:params:xml:ns:xmpp-streams">Replaced</text></stream:error>');
    assert.equal(f.kind, 'element');
    const e = readStreamError((f as { element: XmlElement }).element);
    assert.equal(e.condition, 'conflict');
    assert.equal(e.byPeer, true);
    assert.match(e.message, /conflict.*Replaced/);
  });
});
