import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAddress } from '../../../src/core/address.js';
import { parsePidf, parsePidfDocument, serializePidf } from '../../../src/core/codecs/pidf.js';
import { ImppError } from '../../../src/core/errors.js';
import { makePresence } from '../../../src/core/presence.js';
import { toJson } from './model-json.js';

const PIDF = 'urn:ietf:params:xml:ns:pidf';
const RPID = 'urn:ietf:params:xml:ns:pidf:rpid';
const doc = (inner: string, attrs = `xmlns="${PIDF}" entity="pres:alice@example.com"`) =>
  `<?xml version="1.0" encoding="UTF-8"?><presence ${attrs}>${inner}</presence>`;
const tuple = (inner: string, id = 't1') => `<tuple id="${id}">${inner}</tuple>`;
const fails = (xml: string, code: string) =>
  assert.throws(() => parsePidf(xml), (e: unknown) => ImppError.is(e, code as never) || assert.fail(String(e)));

describe('parsePidf (RFC 3863)', () => {
  test('entity is parsed as an address (pres:, sip:, im:) and normalised', () => {
    assert.equal(parsePidf(doc('')).entity.toString(), 'pres:alice@example.com');
    assert.equal(parsePidf(doc('', `xmlns="${PIDF}" entity="sip:Bob@Example.ORG"`)).entity.toString(), 'sip:Bob@example.org');
    assert.equal(parsePidf(doc('', `xmlns="${PIDF}" entity="im:Carol@Example.net"`)).entity.toString(), 'im:carol@example.net');
  });

  test('#8 a PIDF document with the wrong or a missing namespace is invalid-pidf', () => {
    fails('<presence entity="pres:a@example.com"/>', 'codec/invalid-pidf');
    fails('<presence xmlns="urn:ietf:params:xml:ns:pidf:wrong" entity="pres:a@example.com"/>', 'codec/invalid-pidf');
    fails(`<p:presence xmlns:p="urn:other" entity="pres:a@example.com"/>`, 'codec/invalid-pidf');
    fails(`<status xmlns="${PIDF}"/>`, 'codec/invalid-pidf');
    // Elements in no namespace inside a proper document are not PIDF tuples.
    const p = parsePidf(doc(`<tuple xmlns="" id="x"><status><basic>open</basic></status></tuple>`));
    assert.equal(p.tuples.length, 0);
  });

  test('a missing or invalid entity, or a tuple without id, is invalid-pidf', () => {
    fails(`<presence xmlns="${PIDF}"/>`, 'codec/invalid-pidf');
    fails(doc('', `xmlns="${PIDF}" entity="pres:nobody"`), 'codec/invalid-pidf');
    fails(doc('<tuple><status><basic>open</basic></status></tuple>'), 'codec/invalid-pidf');
  });

  test('#10 an unknown extension element is ignored but kept raw', () => {
    const xml = doc(
      tuple('<status><basic>open</basic><x:loc>home</x:loc></status><x:mood>happy</x:mood>') + '<x:top a="1"/>',
      `xmlns="${PIDF}" xmlns:x="urn:example:x" entity="pres:alice@example.com"`,
    );
    const { presence, extensions } = parsePidfDocument(xml);
    assert.equal(presence.availability, 'available');
    assert.deepEqual(extensions.map((e) => e.local), ['loc', 'mood', 'top']);
    assert.equal(extensions[2]!.attrs.a, '1');
    assert.equal(extensions[0]!.ns, 'urn:example:x');
  });

  test('#10 mustUnderstand="true" (or "1") on an unknown element is must-understand', () => {
    const ns = `xmlns="${PIDF}" xmlns:x="urn:example:x" entity="pres:alice@example.com"`;
    fails(doc(tuple('<status><basic>open</basic><x:loc mustUnderstand="true">home</x:loc></status>'), ns), 'codec/must-understand');
    fails(doc('<x:top mustUnderstand="1"/>', ns), 'codec/must-understand');
    fails(doc(`<x:top xmlns:p="${PIDF}" p:mustUnderstand="true"/>`, ns), 'codec/must-understand');
    assert.equal(parsePidfDocument(doc('<x:top mustUnderstand="false"/>', ns)).extensions.length, 1);
  });

  test('#12 a bad or far-future <timestamp> is left out; the rest of the tuple stays', () => {
    const now = Date.UTC(2026, 0, 1);
    const ts = (t: string) => parsePidf(doc(tuple(`<status><basic>open</basic></status><timestamp>${t}</timestamp>`)), { now }).tuples[0]!;
    assert.equal(ts('2025-12-31T23:00:00Z').timestamp, Date.UTC(2025, 11, 31, 23));
    assert.equal(ts('2026-01-01T12:00:00+02:00').timestamp, Date.UTC(2026, 0, 1, 10));
    for (const bad of ['yesterday', '2026-02-30T00:00:00Z', '2026-01-01T25:00:00Z', '2026-01-01', '', '2026-01-03T00:00:00Z', '9999-12-31T23:59:59Z']) {
      const t = ts(bad);
      assert.equal(t.timestamp, undefined, bad);
      assert.ok(!('timestamp' in t), `${bad}: no timestamp key`);
      assert.equal(t.status, 'open');
    }
  });

  test('#13 a PIDF document with no tuples is offline', () => {
    assert.equal(parsePidf(doc('')).availability, 'offline');
    assert.equal(parsePidf(doc('<note>hi</note>')).availability, 'offline');
  });

  test('#14 a PIDF document over 64 KiB or nested deeper than 32 is refused before parsing', () => {
    fails(doc(`<note>${'x'.repeat(65 * 1024)}</note>`), 'codec/too-large');
    const deep = '<x:e>'.repeat(40) + '</x:e>'.repeat(40);
    fails(doc(deep, `xmlns="${PIDF}" xmlns:x="urn:x" entity="pres:a@example.com"`), 'codec/not-well-formed');
  });

  test('#15 a PIDF document with a DOCTYPE, billion laughs or SYSTEM entity is refused', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE presence [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>` +
      `<presence xmlns="${PIDF}" entity="pres:a@example.com"><note>&b;</note></presence>`;
    fails(laughs, 'codec/restricted-xml');
    fails(`<!DOCTYPE presence [<!ENTITY x SYSTEM "http://127.0.0.1:1/x">]><presence xmlns="${PIDF}" entity="pres:a@example.com"><note>&x;</note></presence>`, 'codec/restricted-xml');
  });

  test('#17 a <note> with markup or a right-to-left override is kept as inert text', () => {
    const p = parsePidf(doc(tuple('<status><basic>open</basic></status><note>&lt;b onclick="x"&gt;hi&lt;/b&gt; \u202Eevil</note>')));
    assert.equal(p.tuples[0]!.notes[0]!.text, '<b onclick="x">hi</b> \u202Eevil');
    const back = serializePidf(p);
    assert.ok(!back.includes('<b '), 'markup is escaped on the way out');
    assert.deepEqual(toJson(parsePidf(back)), toJson(p));
  });

  test('#18 <basic>maybe</basic> is unknown', () => {
    const p = parsePidf(doc(tuple('<status><basic>maybe</basic></status>')));
    assert.equal(p.tuples[0]!.status, 'unknown');
    assert.equal(p.availability, 'unknown');
    assert.equal(parsePidf(doc(tuple('<status/>'))).tuples[0]!.status, 'unknown');
    assert.equal(parsePidf(doc(tuple('<status><basic> open </basic></status>'))).tuples[0]!.status, 'open');
  });

  test('notes keep xml:lang, inherited from an ancestor unless overridden', () => {
    const p = parsePidf(doc(tuple('<note>a</note><note xml:lang="fr">b</note><note xml:lang="">c</note>'), `xmlns="${PIDF}" xml:lang="en" entity="pres:a@example.com"`));
    assert.deepEqual(p.tuples[0]!.notes, [{ text: 'a', lang: 'en' }, { text: 'b', lang: 'fr' }, { text: 'c' }]);
  });

  test('contact priority is a 0..1 qvalue; anything else is left out', () => {
    const prio = (q: string) => parsePidf(doc(tuple(`<contact priority="${q}">im:a@example.com</contact>`))).tuples[0]!.priority;
    assert.equal(prio('0.5'), 0.5);
    assert.equal(prio('1.000'), 1);
    assert.equal(prio('0'), 0);
    for (const bad of ['1.5', '-0.1', 'high', '0.12345', 'NaN', '']) assert.equal(prio(bad), undefined, bad);
  });
});

describe('RPID availability (RFC 4480)', () => {
  const rpid = `xmlns="${PIDF}" xmlns:rpid="${RPID}" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" entity="pres:a@example.com"`;
  const open = tuple('<status><basic>open</basic></status>');
  const person = (acts: string) => parsePidf(doc(`${open}<dm:person id="p"><rpid:activities>${acts}</rpid:activities></dm:person>`, rpid)).availability;

  test('away-like activities at <dm:person> level map to away', () => {
    for (const a of ['away', 'vacation', 'sleeping', 'travel', 'meal', 'holiday']) assert.equal(person(`<rpid:${a}/>`), 'away', a);
  });

  test('busy-like activities map to busy, and busy wins over away', () => {
    for (const a of ['busy', 'on-the-phone', 'meeting', 'performance', 'presentation', 'appointment']) assert.equal(person(`<rpid:${a}/>`), 'busy', a);
    assert.equal(person('<rpid:vacation/><rpid:meeting/>'), 'busy');
  });

  test('neutral activities leave an open tuple available', () => {
    assert.equal(person('<rpid:unknown/>'), 'available');
    assert.equal(person('<rpid:other>gardening</rpid:other>'), 'available');
  });

  test('activities inside a tuple <status> apply to that tuple only', () => {
    const p = parsePidf(doc(tuple('<status><basic>open</basic><rpid:activities><rpid:busy/></rpid:activities></status>', 'a') + tuple('<status><basic>open</basic></status>', 'b'), rpid));
    assert.equal(p.tuples[0]!.availability, 'busy');
    assert.equal(p.tuples[1]!.availability, undefined);
  });

  test('a person\'s activity does not make a closed tuple anything but offline', () => {
    const p = parsePidf(doc(`${tuple('<status><basic>closed</basic></status>')}<dm:person id="p"><rpid:activities><rpid:busy/></rpid:activities></dm:person>`, rpid));
    assert.equal(p.availability, 'offline');
  });

  test('user-input idle means away', () => {
    assert.equal(parsePidf(doc(`${open}<dm:person id="p"><rpid:user-input>idle</rpid:user-input></dm:person>`, rpid)).availability, 'away');
  });
});

describe('serializePidf', () => {
  const alice = parseAddress('pres:alice@example.com');

  test('round-trips tuples, notes, availability, priority and timestamps', () => {
    const p = makePresence(alice, [
      { id: 'pc', status: 'open', availability: 'busy', contact: 'xmpp:alice@example.com/pc', priority: 0.25, notes: [{ text: 'in a call', lang: 'en' }], timestamp: Date.UTC(2024, 4, 1, 12, 30, 15, 500) },
      { id: 'phone', status: 'closed', notes: [] },
      { id: 'tab', status: 'open', availability: 'away', notes: [] },
    ], [{ text: 'back at 3' }], Date.UTC(2024, 4, 1));
    assert.deepEqual(toJson(parsePidf(serializePidf(p))), toJson(p));
  });

  test('escapes every string so nothing can inject markup or attributes', () => {
    const p = makePresence(alice, [
      { id: 'a"b<c>&', status: 'open', contact: '</contact><x:evil/>', notes: [{ text: ']]><!-- &amp; <script>', lang: 'en" evil="1' }] },
    ]);
    const xml = serializePidf(p);
    assert.ok(!xml.includes('<script>') && !xml.includes('<x:evil') && !xml.includes('<!--'));
    assert.deepEqual(toJson(parsePidf(xml)), toJson(p));
  });

  test('strips characters XML cannot carry instead of producing a broken document', () => {
    const p = makePresence(alice, [{ id: 't', status: 'open', notes: [{ text: 'a\u0000b\u0007c' }] }]);
    assert.equal(parsePidf(serializePidf(p)).tuples[0]!.notes[0]!.text, 'abc');
  });

  test('an empty tuple id is refused', () => {
    const p = makePresence(alice, [{ id: '', status: 'open', notes: [] }]);
    assert.throws(() => serializePidf(p), (e: unknown) => ImppError.is(e, 'codec/invalid-pidf'));
  });

  test('#4 a failed PIDF parse does not affect later parses', () => {
    assert.throws(() => parsePidf('<presence'));
    assert.throws(() => parsePidf(doc('<x:y mustUnderstand="true" xmlns:x="urn:x"/>')));
    assert.equal(parsePidf(doc(tuple('<status><basic>open</basic></status>'))).availability, 'available');
  });
});
