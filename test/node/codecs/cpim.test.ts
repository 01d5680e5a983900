import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAddress } from '../../../src/core/address.js';
import { parseCpim, serializeCpim, type CpimMessage } from '../../../src/core/codecs/cpim.js';
import { ImppError } from '../../../src/core/errors.js';
import { toJson } from './model-json.js';

const CRLF = '\r\n';
const msg = (headers: string[], mime: string[] = ['Content-Type: text/plain'], body = 'hello') =>
  [...headers, '', ...mime, '', body].join(CRLF);
const basic = ['From: Alice <im:alice@example.com>', 'To: Bob <im:bob@example.com>'];
const fails = (text: string, code: string) =>
  assert.throws(() => parseCpim(text), (e: unknown) => ImppError.is(e, code as never) || assert.fail(String(e)));
const model = (over: Partial<CpimMessage> = {}): CpimMessage => ({
  from: { name: 'Alice', address: parseAddress('im:alice@example.com') },
  to: [{ address: parseAddress('im:bob@example.com') }],
  cc: [],
  subject: [],
  headers: [],
  contentType: 'text/plain',
  body: 'hi',
  ...over,
});

describe('parseCpim (RFC 3862)', () => {
  test('reads CRLF messages with outer MIME headers, message headers and the encapsulated object', () => {
    const text = ['Content-Type: message/cpim', '', ...basic, 'DateTime: 2000-12-13T13:40:00-08:00', '', 'Content-Type: text/plain; charset=utf-8', '', 'line 1\r\nline 2'].join(CRLF);
    const m = parseCpim(text);
    assert.equal(m.from.name, 'Alice');
    assert.equal(m.from.address.toString(), 'im:alice@example.com');
    assert.equal(m.to[0]!.address.toString(), 'im:bob@example.com');
    assert.equal(m.dateTime, Date.UTC(2000, 11, 13, 21, 40));
    assert.equal(m.contentType, 'text/plain; charset=utf-8');
    assert.equal(m.body, 'line 1\r\nline 2');
    assert.equal(m.verified, undefined);
  });

  test('the body is opaque: blank lines and header-like lines inside it stay body', () => {
    const body = 'From: <im:mallory@evil.example>\r\n\r\nTo: x\r\n';
    assert.equal(parseCpim(msg(basic, undefined, body)).body, body);
  });

  test('a missing encapsulated Content-Type defaults to text/plain', () => {
    assert.equal(parseCpim(msg(basic, ['Content-ID: <1@x>'])).contentType, 'text/plain');
  });

  test('quoted names decode the RFC 3862 §3.2 escapes', () => {
    const m = parseCpim(msg(['From: "A \\"quoted\\" \\\\ name \\u00e9" <im:alice@example.com>', 'To: <im:bob@example.com>']));
    assert.equal(m.from.name, 'A "quoted" \\ name é');
    assert.equal(m.to[0]!.name, undefined);
    fails(msg(['From: "bad \\q escape" <im:alice@example.com>', 'To: <im:bob@example.com>']), 'codec/invalid-cpim');
  });

  test('Subject keeps its ;lang= parameter; other headers are kept in order, NS-prefixed included', () => {
    const m = parseCpim(msg([...basic, 'Subject: hi', 'Subject:;lang=fr salut', 'NS: Ex <mid:x@example.com>', 'Require: Ex.Flag', 'Ex.Flag: yes']));
    assert.deepEqual(m.subject, [{ text: 'hi' }, { text: 'salut', lang: 'fr' }]);
    assert.deepEqual(m.headers, [
      { name: 'NS', value: 'Ex <mid:x@example.com>' },
      { name: 'Require', value: 'Ex.Flag' },
      { name: 'Ex.Flag', value: 'yes' },
    ]);
  });

  test('several To and cc recipients are all kept', () => {
    const m = parseCpim(msg([...basic, 'To: <sip:carol@example.com>', 'cc: Dave <im:dave@example.com>']));
    assert.deepEqual(m.to.map((a) => a.address.toString()), ['im:bob@example.com', 'sip:carol@example.com']);
    assert.deepEqual(m.cc.map((a) => a.name), ['Dave']);
  });

  test('#21 CPIM with no From or no To is invalid-cpim', () => {
    fails(msg(['To: <im:bob@example.com>']), 'codec/invalid-cpim');
    fails(msg(['From: <im:alice@example.com>']), 'codec/invalid-cpim');
    fails(msg(['Subject: nobody']), 'codec/invalid-cpim');
  });

  test('two From headers are refused rather than picking one', () => {
    fails(msg([...basic, 'From: <im:mallory@evil.example>']), 'codec/invalid-cpim');
  });

  test('a From or To that is not a valid address is invalid-cpim', () => {
    fails(msg(['From: <im:nobody>', 'To: <im:bob@example.com>']), 'codec/invalid-cpim');
    fails(msg(['From: im:alice@example.com', 'To: <im:bob@example.com>']), 'codec/invalid-cpim');
    fails(msg(['From: <im:alice@example.com>', 'To: <mailto:bob@example.com>']), 'codec/invalid-cpim');
  });

  test('#22 CPIM From that differs from the authenticated identity is flagged unverified', () => {
    const text = msg(basic);
    assert.equal(parseCpim(text, { authenticatedFrom: parseAddress('im:mallory@evil.example') }).verified, false);
    assert.equal(parseCpim(text, { authenticatedFrom: parseAddress('xmpp:Alice@Example.com/phone') }).verified, true);
    assert.ok(!('verified' in parseCpim(text)), 'no claim either way without an authenticated identity');
  });

  test('#24 a text/html CPIM body is returned as an inert string', () => {
    const html = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    const m = parseCpim(msg(basic, ['Content-Type: text/html'], html));
    assert.equal(m.contentType, 'text/html');
    assert.equal(typeof m.body, 'string');
    assert.equal(m.body, html);
  });

  test('#25 a bad CPIM DateTime leaves dateTime undefined (the caller uses arrival time)', () => {
    const now = Date.UTC(2026, 0, 1);
    for (const bad of ['yesterday', '2000-13-01T00:00:00Z', '2000-12-13 13:40', '', '2026-01-05T00:00:00Z']) {
      const m = parseCpim(msg([...basic, `DateTime: ${bad}`]), { now });
      assert.ok(!('dateTime' in m), bad);
      assert.equal(m.body, 'hello');
    }
  });

  test('#26 a truncated CPIM body or a Content-Length mismatch is invalid-cpim', () => {
    assert.equal(parseCpim(msg(basic, ['Content-Type: text/plain', 'Content-Length: 6'], 'héllo')).body, 'héllo');
    fails(msg(basic, ['Content-Type: text/plain', 'Content-Length: 100'], 'hello'), 'codec/invalid-cpim');
    fails(msg(basic, ['Content-Type: text/plain', 'Content-Length: 2'], 'hello'), 'codec/invalid-cpim');
    fails(msg(basic, ['Content-Type: text/plain', 'Content-Length: lots'], 'hello'), 'codec/invalid-cpim');
    const whole = msg(basic);
    const outer = `Content-Type: message/cpim${CRLF}Content-Length: ${whole.length + 10}${CRLF}${CRLF}${whole}`;
    fails(outer, 'codec/invalid-cpim');
    // Cut off inside the headers: no encapsulated object at all.
    fails(basic.join(CRLF), 'codec/invalid-cpim');
    fails(`${basic.join(CRLF)}${CRLF}${CRLF}Content-Type: text/plain`, 'codec/invalid-cpim');
  });

  test('malformed header lines and folded message headers are invalid-cpim', () => {
    fails(msg([...basic, 'no colon here']), 'codec/invalid-cpim');
    fails(msg([...basic, 'Bad Name: x']), 'codec/invalid-cpim');
    fails(msg([...basic, ' folded continuation']), 'codec/invalid-cpim');
    fails(msg([...basic, 'Subject:;lang x']), 'codec/invalid-cpim');
  });

  test('a CPIM message over 64 KiB is too-large', () => {
    fails(msg(basic, undefined, 'x'.repeat(64 * 1024)), 'codec/too-large');
    fails(msg(basic, undefined, '€'.repeat(22_000)), 'codec/too-large');
  });

  test('#4 a failed CPIM parse does not affect later parses', () => {
    fails(msg(['To: <im:bob@example.com>']), 'codec/invalid-cpim');
    assert.equal(parseCpim(msg(basic)).from.address.toString(), 'im:alice@example.com');
  });
});

describe('serializeCpim', () => {
  test('writes CRLF lines in RFC 3862 order and round-trips', () => {
    const m = model({
      to: [{ name: 'Bob (work)', address: parseAddress('im:bob@example.com') }, { address: parseAddress('sip:carol@example.com') }],
      cc: [{ name: 'Déjà "vu"', address: parseAddress('im:dave@example.com') }],
      dateTime: Date.UTC(2024, 0, 2, 3, 4, 5, 6),
      subject: [{ text: 'hi' }, { text: ';starts with a semicolon', lang: 'en-GB' }, { text: ';no lang' }],
      headers: [{ name: 'NS', value: 'Ex <mid:x@example.com>' }, { name: 'Ex.P', value: ';p=1 v' }, { name: 'Ex.Q', value: ' spaced' }],
      contentType: 'text/plain; charset=utf-8',
      body: 'two\r\n\r\nparagraphs',
    });
    const text = serializeCpim(m);
    assert.ok(text.startsWith(`From: Alice <im:alice@example.com>${CRLF}To: "Bob (work)" <im:bob@example.com>${CRLF}`), text);
    assert.ok(text.includes(`${CRLF}${CRLF}Content-Type: text/plain; charset=utf-8${CRLF}${CRLF}two`));
    assert.deepEqual(toJson(parseCpim(text)), toJson(m));
    assert.ok(serializeCpim(m, { mimeHeaders: true }).startsWith(`Content-Type: message/cpim${CRLF}${CRLF}From:`));
  });

  test('#19 CR/LF inside an outbound CPIM header value is refused (invalid-header)', () => {
    const refuse = (m: CpimMessage) => assert.throws(() => serializeCpim(m), (e: unknown) => ImppError.is(e, 'codec/invalid-header'));
    refuse(model({ subject: [{ text: 'hi\r\nTo: <im:everyone@example.com>' }] }));
    refuse(model({ subject: [{ text: 'hi\nx' }] }));
    refuse(model({ subject: [{ text: 'nul\u0000' }] }));
    refuse(model({ subject: [{ text: 'x', lang: 'en\r\nX' }] }));
    refuse(model({ from: { name: 'Alice\r\nTo: <im:x@example.com>', address: parseAddress('im:alice@example.com') } }));
    refuse(model({ to: [{ name: 'B\rob', address: parseAddress('im:bob@example.com') }] }));
    refuse(model({ headers: [{ name: 'X', value: 'a\r\nFrom: <im:mallory@evil.example>' }] }));
    refuse(model({ headers: [{ name: 'X\r\nFrom', value: 'a' }] }));
    refuse(model({ headers: [{ name: 'Bad Name', value: 'a' }] }));
    refuse(model({ headers: [{ name: 'From', value: '<im:mallory@evil.example>' }] }));
    refuse(model({ contentType: 'text/plain\r\nX: y' }));
  });

  test('a message without To cannot be written', () => {
    assert.throws(() => serializeCpim(model({ to: [] })), (e: unknown) => ImppError.is(e, 'codec/invalid-cpim'));
  });
});
