import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  bareAddress,
  parseAddress,
  sameAddress,
  samePrincipal,
  tryParseAddress,
  withScheme,
} from '../../src/core/address.js';
import { ImppError } from '../../src/core/errors.js';

const str = (text: string) => parseAddress(text).toString();
/** Asserts an `address/invalid` error whose message mentions `why`. */
const invalid = (text: string, why: RegExp) =>
  assert.throws(() => parseAddress(text), (e: unknown) => {
    assert.ok(ImppError.is(e, 'address/invalid'), `${JSON.stringify(text)}: expected address/invalid, got ${String(e)}`);
    assert.match(e.message, why, `${JSON.stringify(text)}: message should say what is wrong`);
    return true;
  });

describe('parseAddress: schemes and normalisation', () => {
  test('im:, pres:, xmpp:, sip:, sips: and bare forms are understood', () => {
    assert.equal(str('im:alice@example.com'), 'im:alice@example.com');
    assert.equal(str('pres:alice@example.com'), 'pres:alice@example.com');
    assert.equal(str('xmpp:alice@example.com/phone'), 'xmpp:alice@example.com/phone');
    assert.equal(str('sip:alice@example.com'), 'sip:alice@example.com');
    assert.equal(str('sips:alice@example.com'), 'sips:alice@example.com');
    assert.equal(str('alice@example.com'), 'im:alice@example.com');
    assert.equal(str('alice@example.com/desk'), 'xmpp:alice@example.com/desk');
    assert.equal(str('IM:alice@example.com'), 'im:alice@example.com', 'the scheme is case-insensitive');
  });

  test('#7 Alice@Example.COM is the same buddy as alice@example.com; the resource stays case-sensitive', () => {
    assert.ok(sameAddress('Alice@Example.COM', 'alice@example.com'));
    assert.ok(samePrincipal('xmpp:ALICE@EXAMPLE.COM/Phone', 'pres:alice@example.com'));
    assert.equal(parseAddress('xmpp:Alice@Example.COM/Phone').resource, 'Phone');
    assert.ok(!sameAddress('alice@example.com/Phone', 'alice@example.com/phone'));
    assert.equal(str('xmpp:ÅSA@EXAMPLE.com'), 'xmpp:åsa@example.com', 'non-ASCII local parts are case-folded too');
  });

  test('SIP user parts keep their case; SIP domains are lower-cased', () => {
    assert.equal(str('sip:Alice.Smith@Example.COM'), 'sip:Alice.Smith@example.com');
    assert.ok(!sameAddress('sip:Alice@example.com', 'sip:alice@example.com'));
    assert.ok(sameAddress('sip:alice@example.com', 'sips:alice@EXAMPLE.com'));
    assert.ok(!samePrincipal('sip:alice@example.com', 'im:alice@example.com'), 'SIP and non-SIP are different namespaces');
  });

  test('SIP passwords, ports and URI parameters are not part of the address', () => {
    assert.equal(str('sip:alice:secret@example.com:5061;transport=tls'), 'sip:alice@example.com');
    assert.equal(str('sip:alice@[2001:DB8::1]:5060'), 'sip:alice@[2001:db8::1]');
    assert.equal(str('sip:alice@example.com;maddr=evil@other.example'), 'sip:alice@example.com');
  });

  test('a SIP user part may carry ";" parameters (RFC 3261 §25.1 user-unreserved)', () => {
    assert.equal(str('sip:alice;day=tuesday@atlanta.com'), 'sip:alice;day=tuesday@atlanta.com');
    assert.equal(str('sip:+12125551212;phone-context=example.com@gw.example.com;user=phone'), 'sip:+12125551212;phone-context=example.com@gw.example.com');
  });

  test('domains lose a trailing dot and are NFC-normalised', () => {
    assert.equal(str('alice@example.com.'), 'im:alice@example.com');
    assert.equal(parseAddress('alice@e\u0301xample.com').domain, '\u00e9xample.com');
  });

  test('an address object passes through parseAddress unchanged', () => {
    const a = parseAddress('im:alice@example.com');
    assert.equal(parseAddress(a), a);
  });

  test('bareAddress and withScheme', () => {
    assert.equal(bareAddress(parseAddress('xmpp:a@example.com/r')).toString(), 'xmpp:a@example.com');
    assert.equal(withScheme(parseAddress('pres:a@example.com'), 'xmpp').toString(), 'xmpp:a@example.com');
    assert.throws(() => withScheme(parseAddress('sip:a@example.com'), 'xmpp'), (e: unknown) => ImppError.is(e, 'address/invalid'));
  });
});

describe('parseAddress: bad input (BAD-INPUTS.md rows 1-7)', () => {
  test('#1 xmpp: query parameters are data, not part of the address (nothing auto-sent)', () => {
    const a = parseAddress('xmpp:a@b.example?message;body=<script>');
    assert.equal(a.toString(), 'xmpp:a@b.example');
    assert.equal(a.resource, undefined);
    assert.ok(!a.toString().includes('script'));
    assert.equal(str('pres:a@example.com?x=1#frag'), 'pres:a@example.com');
    assert.equal(str('xmpp:a@example.com/res?join'), 'xmpp:a@example.com/res');
  });

  test('#2 im: / pres: with no "@" or an empty local part is address/invalid', () => {
    invalid('im:', /user@domain/);
    invalid('pres:', /user@domain/);
    invalid('im:example.com', /user@domain/);
    invalid('pres:example.com', /user@domain/);
    invalid('im:@example.com', /local part.*empty/);
    invalid('pres:@example.com', /local part.*empty/);
    invalid('@example.com', /local part.*empty/);
    invalid('im:alice@', /domain is empty/);
  });

  test('#3 sip: URI headers with an encoded CR/LF are refused; headers are never part of the address', () => {
    invalid('sip:a@b.example?Subject=x%0d%0aFrom:evil', /line break/);
    invalid('sip:a@b.example?Subject=x%0D%0AFrom:evil', /line break/);
    invalid('sip:a@b.example?X=%00', /line break or NUL/);
    assert.equal(str('sip:a@b.example?Subject=hello&Priority=urgent'), 'sip:a@b.example');
  });

  test('#3 a raw CR/LF or NUL anywhere in an address is refused', () => {
    invalid('sip:a@b.example?Subject=x\r\nFrom:evil', /control character/);
    invalid('xmpp:a@b.example?message;body=x\r\ny', /control character/);
    invalid('alice@example.com\nBcc: x', /control character/);
    invalid('alice\u0000@example.com', /control character/);
    invalid('sip:a%0d@b.example', /forbidden character/);
  });

  test('#4 a JID part over 1023 bytes is address/invalid; 1023 is fine', () => {
    assert.equal(parseAddress(`${'a'.repeat(1023)}@example.com`).local.length, 1023);
    invalid(`${'a'.repeat(1024)}@example.com`, /local part.*1023 bytes/);
    invalid(`${'é'.repeat(512)}@example.com`, /local part.*1023 bytes/); // 1024 UTF-8 bytes
    invalid(`a@example.com/${'r'.repeat(1024)}`, /resource.*1023 bytes/);
    invalid(`a@${'d'.repeat(1024)}`, /domain.*1023 bytes/);
    invalid(`sip:${'u'.repeat(1024)}@example.com`, /user part.*1023 bytes/);
  });

  test('#4 invalid UTF-8 (in %-escapes) and lone surrogates are address/invalid', () => {
    invalid('xmpp:%C3%28@example.com', /malformed %-escape/);
    invalid('xmpp:a@example.com/%FF', /malformed %-escape/);
    invalid('xmpp:%ED%A0%80@example.com', /malformed %-escape/); // an encoded surrogate
    invalid('sip:%FF@example.com', /malformed %-escape/);
    invalid('a\uD800@example.com', /lone surrogate/);
    invalid('a@example.com/\uDC00', /lone surrogate/);
  });

  test('#4 a failed address parse does not affect later parses', () => {
    for (const bad of [`${'a'.repeat(5000)}@x.example`, 'a\uD800@x.example', 'xmpp:%C3%28@x.example', 'im:']) {
      assert.equal(tryParseAddress(bad), undefined);
      assert.equal(str('Alice@Example.com'), 'im:alice@example.com');
    }
  });

  test('#5 a domain-only from is a valid service address', () => {
    const a = parseAddress('Example.COM');
    assert.equal(a.toString(), 'xmpp:example.com');
    assert.equal(a.local, '');
    assert.equal(a.id, 'example.com');
    assert.equal(str('xmpp:conference.example.com'), 'xmpp:conference.example.com');
    assert.equal(str('example.com/announce'), 'xmpp:example.com/announce');
    assert.equal(str('192.0.2.1'), 'xmpp:192.0.2.1');
  });

  test('forbidden characters and bad domains are named in the error', () => {
    invalid('xmpp:a b@example.com', /forbidden character/);
    invalid('xmpp:a%2Fb@example.com', /forbidden character/);
    invalid('xmpp:a"b@example.com', /forbidden character/);
    invalid('im:a@-bad.example', /invalid label/);
    invalid('im:a@bad..example', /invalid label/);
    invalid('a@example.com:5222', /invalid label/);
    invalid('im:a@example.com/res', /no resource part/);
    invalid('xmpp:a@example.com/', /resource.*empty/);
    invalid('xmpp://a@example.com', /authority/);
    invalid('mailto:a@example.com', /scheme "mailto:" is not supported/);
    invalid('   ', /empty/);
    invalid('sip:example.com', /user@domain/);
  });

  test('a non-string, non-address value is address/invalid, not a crash', () => {
    for (const v of [null, undefined, 42, {}, []]) {
      assert.throws(() => parseAddress(v as never), (e: unknown) => ImppError.is(e, 'address/invalid'));
    }
    assert.ok(!sameAddress('im:', 'im:'), 'unparseable input is never the same as anything');
  });
});
