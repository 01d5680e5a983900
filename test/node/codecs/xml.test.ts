import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CodecError, ImppError } from '../../../src/core/errors.js';
import {
  child,
  childrenOf,
  el,
  escapeXmlAttr,
  escapeXmlText,
  parseXml,
  serializeXml,
  textOf,
  type XmlElement,
} from '../../../src/core/codecs/xml.js';

const rejects = (xml: string, code: string, limits?: Parameters<typeof parseXml>[1]) =>
  assert.throws(() => parseXml(xml, limits), (e: unknown) => {
    assert.ok(e instanceof CodecError, `expected a CodecError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return true;
  });

describe('parseXml: structure and namespaces', () => {
  test('elements, attributes, text and order survive; mixed content is kept', () => {
    const root = parseXml('<a x="1" y=\'2\'>one<b/>two<c>three</c>four</a>');
    assert.equal(root.name, 'a');
    assert.deepEqual({ ...root.attrs }, { x: '1', y: '2' });
    assert.deepEqual(root.children.map((c) => (typeof c === 'string' ? c : `<${c.name}>`)), ['one', '<b>', 'two', '<c>', 'four']);
  });

  test('values are never coerced: "007", "true" and whitespace stay strings as written', () => {
    const root = parseXml('<a n="007" b="true"> 007 </a>');
    assert.equal(root.attrs.n, '007');
    assert.equal(root.attrs.b, 'true');
    assert.equal(textOf(root), ' 007 ');
  });

  test('default and prefixed namespaces resolve per scope; xml: is predefined', () => {
    const root = parseXml(
      '<p:a xmlns:p="urn:p" xmlns="urn:d"><b xml:lang="en"/><c xmlns=""/><p:d xmlns:p="urn:q"/><e/></p:a>',
    );
    assert.equal(root.ns, 'urn:p');
    assert.equal(root.local, 'a');
    const [b, c, d, e] = childrenOf(root);
    assert.equal(b!.ns, 'urn:d');
    assert.equal(b!.attrs['xml:lang'], 'en');
    assert.equal(c!.ns, undefined, 'xmlns="" undeclares the default namespace');
    assert.equal(d!.ns, 'urn:q', 'an inner declaration shadows the outer one');
    assert.equal(e!.ns, 'urn:d');
    assert.equal(root.attrs['xmlns:p'], 'urn:p', 'declarations stay visible as raw attributes');
  });

  test('an undeclared prefix on an element or attribute is not well-formed', () => {
    rejects('<q:a/>', 'codec/not-well-formed');
    rejects('<a q:b="1"/>', 'codec/not-well-formed');
  });

  test('child, childrenOf and textOf filter by local name and namespace', () => {
    const root = parseXml('<r xmlns="urn:a" xmlns:b="urn:b"><x>1</x><b:x>2</b:x><x>3</x></r>');
    assert.equal(textOf(child(root, 'x', 'urn:b')), '2');
    assert.deepEqual(childrenOf(root, 'x', 'urn:a').map(textOf), ['1', '3']);
    assert.equal(childrenOf(root, 'x').length, 3);
    assert.equal(child(root, 'missing'), undefined);
    assert.equal(textOf(undefined), '');
  });

  test('the five entities and character references are decoded; CDATA is literal', () => {
    const root = parseXml('<a t="&lt;&amp;&gt;&quot;&apos;&#65;&#x1F600;">&lt;b&gt;&#x41;<![CDATA[&amp;<x>]]></a>');
    assert.equal(root.attrs.t, '<&>"\'A😀');
    assert.equal(textOf(root), '<b>A&amp;<x>');
  });

  test('line ends are normalised and attribute whitespace becomes spaces (XML 1.0 §2.11, §3.3.3)', () => {
    const root = parseXml('<a v="x\r\ny\tz&#10;">l1\r\nl2\rl3</a>');
    assert.equal(root.attrs.v, 'x y z\n');
    assert.equal(textOf(root), 'l1\nl2\nl3');
  });

  test('__proto__, constructor and prototype as names never touch Object.prototype', () => {
    const root = parseXml(
      '<__proto__ __proto__="x" constructor="y" prototype="z" toString="t"><constructor polluted="yes"/><prototype/><hasOwnProperty/></__proto__>',
    );
    assert.equal(root.name, '__proto__');
    assert.equal(Object.getPrototypeOf(root.attrs), null);
    assert.equal(root.attrs['__proto__'], 'x');
    assert.equal(root.attrs['constructor'], 'y');
    assert.equal(root.attrs['toString'], 't');
    assert.deepEqual(childrenOf(root).map((c) => c.name), ['constructor', 'prototype', 'hasOwnProperty']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).x, undefined);
    assert.equal(typeof ({}).constructor, 'function');
  });

  test('names that collide with the library\'s internal keys (#text, :@) are refused, not confused', () => {
    rejects('<a><#text>x</#text></a>', 'codec/not-well-formed');
    rejects('<a :@="1"/>', 'codec/not-well-formed');
  });

  test('parsed trees are frozen', () => {
    const root = parseXml('<a x="1"><b/></a>');
    assert.ok(Object.isFrozen(root) && Object.isFrozen(root.attrs) && Object.isFrozen(root.children));
  });
});

describe('parseXml: refusing bad input (BAD-INPUTS.md)', () => {
  test('#14 a document over 64 KiB is refused before parsing, in UTF-8 bytes', () => {
    rejects(`<a>${'x'.repeat(64 * 1024)}</a>`, 'codec/too-large');
    // 22,000 three-byte characters are 66,000 bytes but only 22,000 UTF-16 code units.
    rejects(`<a>${'€'.repeat(22_000)}</a>`, 'codec/too-large');
    assert.equal(textOf(parseXml(`<a>${'€'.repeat(20_000)}</a>`)).length, 20_000);
    rejects('<a>12345</a>', 'codec/too-large', { maxBytes: 10 });
    // Size comes first: an oversized hostile document is refused without being looked at.
    rejects(`<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;${' '.repeat(70_000)}</a>`, 'codec/too-large');
  });

  test('#14 nesting deeper than 32 is refused before parsing; 32 is fine', () => {
    const nest = (n: number) => '<a>'.repeat(n) + '</a>'.repeat(n);
    assert.equal(parseXml(nest(32)).name, 'a');
    rejects(nest(33), 'codec/not-well-formed');
    rejects(`<a>${'<b/>'.repeat(3)}<c><d/></c></a>`, 'codec/not-well-formed', { maxDepth: 2 });
    rejects(nest(9_000), 'codec/not-well-formed'); // 9,000 levels in 63 KB: refused, no stack overflow
  });

  test('#15 DOCTYPE and billion laughs are refused, nothing expanded', () => {
    const lol = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>';
    rejects(lol, 'codec/restricted-xml');
    rejects('<!DOCTYPE a><a/>', 'codec/restricted-xml');
  });

  test('#15 a SYSTEM entity is refused and never fetched', () => {
    rejects('<!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><a>&xxe;</a>', 'codec/restricted-xml');
    rejects('<a>&xxe;</a>', 'codec/not-well-formed'); // an undeclared entity without a DTD
  });

  test('#29 processing instructions and comments are restricted XML (RFC 6120 §11.1)', () => {
    rejects('<a><?php echo 1; ?></a>', 'codec/restricted-xml');
    rejects('<?xml-stylesheet href="x"?><a/>', 'codec/restricted-xml');
    rejects('<a><!-- hi --></a>', 'codec/restricted-xml');
    rejects('<a/><!-- trailing -->', 'codec/restricted-xml');
    // …but a leading declaration is fine, and markup-like text inside CDATA is just text.
    assert.equal(textOf(parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a><![CDATA[<!-- <?x?> <!DOCTYPE>]]></a>')), '<!-- <?x?> <!DOCTYPE>');
  });

  test('#27 malformed XML is not-well-formed and yields no partial tree', () => {
    const bad = [
      '', '   ', 'text', '<a>', '<a></b>', '<a><b></a></b>', '<a/><b/>', '<a/>x', 'x<a/>', '<a x=1/>',
      '<a x="1" x="2"/>', '<a b/>', '<a x="<"/>', '<a>&</a>', '<a>& b</a>', '<a>]]></a>', '<1a/>', '<a:b:c/>',
      '<:a/>', '<a xmlns:p=""/>', '<a xmlns:xml="urn:wrong"/>', '<a/><![CDATA[x]]>', '<a>&#0;</a>', '<a>&#xD800;</a>',
      '<a>&#x110000;</a>', '<a>&#xFFFE;</a>', '<a>\u0001</a>', '<a>\uD800</a>', '<a x="\u0000"/>',
    ];
    for (const xml of bad) {
      assert.throws(() => parseXml(xml), (e: unknown) => ImppError.is(e, 'codec/not-well-formed'), JSON.stringify(xml));
    }
  });

  test('a non-string input is a typed error, not a crash', () => {
    assert.throws(() => parseXml(undefined as unknown as string), (e: unknown) => ImppError.is(e, 'codec/not-well-formed'));
  });

  test('#4 a failed parse does not affect later parses', () => {
    for (const bad of ['<a><b></a>', '<!DOCTYPE a><a/>', '<a', `<a>${'x'.repeat(70_000)}</a>`]) {
      assert.throws(() => parseXml(bad));
      assert.equal(textOf(parseXml('<ok>fine</ok>')), 'fine');
    }
  });
});

describe('parseXml: linear time and fault precedence', () => {
  const KIB64 = 64 * 1024;
  /** `head`, `unit` repeated, `tail`: as close to 64 KiB as the units allow. */
  const fill = (head: string, unit: string, tail = '') => head + unit.repeat(Math.floor((KIB64 - head.length - tail.length) / unit.length)) + tail;
  const prefixes = Array.from({ length: 1500 }, (_, i) => ` xmlns:p${i}="u"`).join('');
  const sibling = (attr: string) => `<b ${attr}="urn:example:a-namespace-name-of-some-length"/>`;

  test('64 KiB pathological documents are each parsed or refused in under 50 ms', () => {
    const cases: Record<string, string> = {
      '60k "<a"': fill('', '<a'),
      'nested quotes': fill('', `<a x='"<a y="'`),
      'quotes in a value': fill('<a x="', `'"`),
      'an unclosed value': fill('<a x="', 'y'),
      'bare ampersands': fill('<a>', '&', '</a>'),
      'broken character references': fill('<a>', '&#x1', '</a>'),
      'almost entities': fill('<a>', '&amp', '</a>'),
      'near-CDATA ends': fill('<a>', ']]', '</a>'),
      'unclosed CDATA starts': fill('<a>', '<![CDATA[', '</a>'),
      'quotes in a declaration': fill('<?xml ', `'"`, '?><a/>'),
      'one attribute repeated': fill('<a', ' x="1"', '/>'),
      'spaces in tags': fill('<a', ' ', '></a>'),
      'a long name': fill('<', 'a', '/>'),
      'a long name with colons': fill('<', 'a:', '/>'),
      'entities': fill('<a>', '&lt;', '</a>'),
      'character references': fill('<a>', '&#x1F600;', '</a>'),
      'comments': fill('<a>', '<!--', '</a>'),
      // 1,500 prefixes in scope, then hundreds of elements declaring one more each: a scope
      // copied per element is quadratic (the previous implementation took a quarter of a second).
      'declarations under many prefixes': fill(`<r${prefixes}>`, sibling('xmlns:q'), '</r>'),
      'default namespaces under many prefixes': fill(`<r${prefixes}>`, sibling('xmlns'), '</r>'),
      'deep nesting': fill('', '<a>'),
    };
    for (const [what, xml] of Object.entries(cases)) {
      assert.ok(xml.length > 60_000 && xml.length <= KIB64, what);
      let best = Infinity;
      for (let round = 0; round < 5; round++) {
        const t0 = performance.now();
        try {
          parseXml(xml);
        } catch (e) {
          assert.ok(e instanceof CodecError, `${what}: ${String(e)}`);
        }
        best = Math.min(best, performance.now() - t0);
      }
      assert.ok(best < 50, `${what}: ${best.toFixed(1)} ms`);
    }
  });

  test('a declaration is in scope for the element and its content only (Namespaces in XML §6.1)', () => {
    rejects('<r><a xmlns:p="urn:p"/><p:b/></r>', 'codec/not-well-formed');
    rejects('<r><a xmlns:p="urn:p"></a><b p:x="1"/></r>', 'codec/not-well-formed');
    const r = parseXml('<r xmlns="urn:r"><a xmlns="urn:a"><b/></a><c/></r>');
    assert.deepEqual(childrenOf(r).map((e) => e.ns), ['urn:a', 'urn:r']);
    assert.equal(child(child(r, 'a')!, 'b')!.ns, 'urn:a');
  });

  test('restricted XML anywhere outranks an earlier syntax error; a bad character outranks both', () => {
    rejects('<a x=1><!-- c --></a>', 'codec/restricted-xml');
    rejects('<q:a><?pi?></q:a>', 'codec/restricted-xml');
    rejects('<a>&bogus;</a><!DOCTYPE a>', 'codec/restricted-xml');
    rejects('<a><b></a><!-- c -->', 'codec/restricted-xml');
    rejects('<a>\u0001<!-- c --></a>', 'codec/not-well-formed');
    // …but a structural fault the old scan met first still wins, as before.
    rejects('<a/><b/><!-- c -->', 'codec/not-well-formed');
    rejects('<a x="<"><!-- c --></a>', 'codec/not-well-formed');
  });

  test('elements without attributes share one frozen, null-prototype attribute map', () => {
    const root = parseXml('<a><b/><c/></a>');
    const [b, c] = childrenOf(root);
    assert.equal(Object.getPrototypeOf(b!.attrs), null);
    assert.ok(Object.isFrozen(b!.attrs));
    assert.equal(b!.attrs, c!.attrs);
    assert.deepEqual(Object.keys(root.attrs), []);
  });

  test('astral characters are fine in text and values but not in names (as before); pairs are not lone surrogates', () => {
    assert.equal(textOf(parseXml('<a>😀\u{10FFFD}</a>')), '😀\u{10FFFD}');
    assert.equal(parseXml('<a v="😀&#x1F600;"/>').attrs.v, '😀😀');
    rejects('<\u{10000}/>', 'codec/not-well-formed');
    rejects('<a>\uDE00\uD83D</a>', 'codec/not-well-formed');
    rejects('<a>&#xDE00;</a>', 'codec/not-well-formed');
  });
});

describe('serializeXml and el', () => {
  test('text and attributes are escaped so nothing can break out', () => {
    const e = el('a', { t: '"><script>&', n: 7, skip: undefined }, '</a><script>alert(1)</script>&', el('b'));
    const xml = serializeXml(e);
    assert.equal(xml, '<a t="&quot;&gt;&lt;script&gt;&amp;" n="7">&lt;/a&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;<b/></a>');
    const back = parseXml(xml);
    assert.equal(back.attrs.t, '"><script>&');
    assert.equal(textOf(back), '</a><script>alert(1)</script>&');
  });

  test('characters XML 1.0 cannot carry are stripped; tab, LF and CR round-trip', () => {
    const e = el('a', { v: 'a\tb\nc\rd\u0000e' }, 'x\u0001\u001f\uFFFE\uFFFF\uD800y\tz\r\n]]>');
    const back = parseXml(serializeXml(e));
    assert.equal(back.attrs.v, 'a\tb\nc\rde');
    assert.equal(textOf(back), 'xy\tz\r\n]]>');
  });

  test('escapeXmlText and escapeXmlAttr escape the markup characters', () => {
    assert.equal(escapeXmlText('a<b>&c'), 'a&lt;b&gt;&amp;c');
    assert.equal(escapeXmlAttr('"<&>\''), '&quot;&lt;&amp;&gt;\'');
  });

  test('el computes local and ns; falsy children are skipped', () => {
    const e = el('rpid:activities', { 'xmlns:rpid': 'urn:r' }, undefined, null, false, '', el('rpid:away'));
    assert.equal(e.local, 'activities');
    assert.equal(e.ns, 'urn:r');
    assert.equal(e.children.length, 1);
    assert.equal(el('x', { xmlns: 'urn:x' }).ns, 'urn:x');
    assert.equal(el('x').ns, undefined);
  });

  test('an invalid element or attribute name is refused rather than written', () => {
    assert.throws(() => serializeXml(el('a b')), (e: unknown) => ImppError.is(e, 'codec/not-well-formed'));
    assert.throws(() => serializeXml(el('a', { 'x"y': '1' })), (e: unknown) => ImppError.is(e, 'codec/not-well-formed'));
  });

  test('parse(serialize(tree)) gives the same tree', () => {
    const src = '<p:r xmlns:p="urn:p" a="1"><p:c xml:lang="fr">t&lt;</p:c>mixed<d/></p:r>';
    const once = parseXml(src);
    const twice = parseXml(serializeXml(once));
    const plain = (e: XmlElement): unknown => ({ ...e, attrs: { ...e.attrs }, children: e.children.map((c) => (typeof c === 'string' ? c : plain(c))) });
    assert.deepEqual(plain(twice), plain(once));
  });
});
