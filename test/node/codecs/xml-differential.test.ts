// Differential test of parseXml: the hand-written parser against the implementation it replaced
// (fast-xml-parser 5.12 XMLParser + XMLValidator with our pre-parse scan and checks), kept
// below as a frozen oracle. fast-xml-parser is imported here only (a devDependency).
// Seeded documents, valid and broken: the same tree, or the same error code, every time.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseXml, type XmlElement, type XmlLimits } from '../../../src/core/codecs/xml.js';
import { CodecError, type ImppErrorCode } from '../../../src/core/errors.js';

// ---- The oracle: xml.ts, xml-chars.ts and xml-scan.ts as of fb48f39, condensed, same logic ----
const NOT_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const START = 'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NC = `[${START}][${START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040]*`;
const QNAME = new RegExp(`^${NC}(?::${NC})?$`, 'u');
const REF = /^&(?:#([0-9]{1,7})|#x([0-9a-fA-F]{1,6})|([A-Za-z_][\w.-]*));/;
const PRE: Record<string, string> = Object.assign(Object.create(null), { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" });
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const nwf = () => new CodecError('codec/not-well-formed', 'oracle');
const rxml = () => new CodecError('codec/restricted-xml', 'oracle');

function oldDecode(raw: string): string {
  let out = '';
  let from = 0;
  for (let amp = raw.indexOf('&'); amp !== -1; amp = raw.indexOf('&', from)) {
    out += raw.slice(from, amp);
    const m = REF.exec(raw.slice(amp, amp + 40));
    if (m === null) throw nwf();
    if (m[3] !== undefined) {
      if (PRE[m[3]] === undefined) throw nwf();
      out += PRE[m[3]];
    } else {
      const code = m[1] !== undefined ? Number.parseInt(m[1], 10) : Number.parseInt(m[2]!, 16);
      const ch = code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFF';
      if (NOT_CHAR.test(ch) || (code >= 0xd800 && code <= 0xdfff)) throw nwf();
      out += ch;
    }
    from = amp + m[0].length;
  }
  return out + raw.slice(from);
}

function oldScan(s: string, maxDepth: number): void {
  const n = s.length;
  let i = s.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (s.startsWith('<?xml', i) && /[ \t\n]/.test(s.charAt(i + 5))) {
    const end = s.indexOf('?>', i);
    if (end === -1) throw nwf();
    i = end + 2;
  }
  let depth = 0;
  let roots = 0;
  while (i < n) {
    const lt = s.indexOf('<', i);
    if (depth === 0 && /[^ \t\n]/.test(s.slice(i, lt === -1 ? n : lt))) throw nwf();
    if (lt === -1) break;
    const next = s.charAt(lt + 1);
    if (next === '!') {
      if (!s.startsWith('<![CDATA[', lt)) throw rxml();
      const end = s.indexOf(']]>', lt + 9);
      if (depth === 0 || end === -1) throw nwf();
      i = end + 3;
      continue;
    }
    if (next === '?') throw rxml();
    let gt = -1;
    for (let j = lt + 1, quote = ''; j < n && gt === -1; j++) {
      const ch = s.charAt(j);
      if (quote !== '') {
        if (ch === quote) quote = '';
        else if (ch === '<') break;
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '>') gt = j;
      else if (ch === '<') break;
    }
    if (gt === -1) throw nwf();
    if (next === '/') {
      if (--depth < 0) throw nwf();
    } else {
      if (depth + 1 > maxDepth || (depth === 0 && ++roots > 1)) throw nwf();
      if (s.charAt(gt - 1) !== '/') depth++;
    }
    i = gt + 1;
  }
  if (roots === 0 || depth !== 0) throw nwf();
}

const mark = (name: string): string => (name.charCodeAt(0) === 0 ? name : `\0${name}`);
const oldParser = new XMLParser({
  preserveOrder: true, processEntities: false, htmlEntities: false, ignoreDeclaration: true, ignorePiTags: true,
  ignoreAttributes: false, attributeNamePrefix: '', allowBooleanAttributes: false, parseTagValue: false,
  parseAttributeValue: false, trimValues: false, removeNSPrefix: false, cdataPropName: '#cdata',
  commentPropName: false, maxNestedTags: 1024, transformTagName: mark, transformAttributeName: mark,
});
type Raw = Record<string, unknown>;
const key = (e: Raw) => Object.keys(e).find((k) => k.charCodeAt(0) === 0);

function oldConvert(entry: Raw, parent: ReadonlyMap<string, string>): Tree {
  const k = key(entry)!;
  const name = k.slice(1);
  const rawAttrs = (entry[':@'] ?? {}) as Record<string, string>;
  const attrs: [string, string][] = [];
  const scope = new Map(parent);
  for (const rawName of Object.keys(rawAttrs)) {
    const attr = rawName.slice(1);
    const value = oldDecode(String(rawAttrs[rawName]).replace(/[\t\n]/g, ' '));
    attrs.push([attr, value]);
    if (attr === 'xmlns' || attr.startsWith('xmlns:')) {
      const prefix = attr === 'xmlns' ? '' : attr.slice(6);
      if (prefix === 'xmlns' || value === 'http://www.w3.org/2000/xmlns/') throw nwf();
      if ((prefix === 'xml') !== (value === XML_NS) || (prefix !== '' && value === '')) throw nwf();
      scope.set(prefix, value);
    }
  }
  const resolve = (p: string) => scope.get(p) ?? (() => { throw nwf(); })();
  for (const [attr] of attrs) {
    if (!QNAME.test(attr)) throw nwf();
    const colon = attr.indexOf(':');
    if (colon !== -1 && attr.slice(0, colon) !== 'xmlns') resolve(attr.slice(0, colon));
  }
  if (!QNAME.test(name)) throw nwf();
  const colon = name.indexOf(':');
  const ns = colon === -1 ? scope.get('') || undefined : resolve(name.slice(0, colon));
  const children: (Tree | string)[] = [];
  for (const c of entry[k] as Raw[]) {
    let str: string | undefined;
    if ('#text' in c) {
      str = String(c['#text']);
      if (str.includes(']]>')) throw nwf();
      str = oldDecode(str);
    } else if ('#cdata' in c) str = (c['#cdata'] as Raw[]).map((t) => String(t['#text'] ?? '')).join('');
    else if (key(c) !== undefined) children.push(oldConvert(c, scope));
    if (!str) continue;
    if (typeof children[children.length - 1] === 'string') children[children.length - 1] += str;
    else children.push(str);
  }
  return { name, local: colon === -1 ? name : name.slice(colon + 1), ns, attrs, children };
}

function oldParseXml(text: string, limits: XmlLimits = {}): Tree {
  const maxBytes = limits.maxBytes ?? 64 * 1024;
  if (new TextEncoder().encode(text).length > maxBytes) throw new CodecError('codec/too-large', 'oracle');
  if (NOT_CHAR.test(text)) throw nwf();
  const s = text.replace(/\r\n?/g, '\n');
  oldScan(s, limits.maxDepth ?? 32);
  if (XMLValidator.validate(s, { allowBooleanAttributes: false }) !== true) throw nwf();
  let raw: Raw[];
  try {
    raw = oldParser.parse(s) as Raw[];
  } catch {
    throw nwf();
  }
  const root = raw.find((e) => key(e) !== undefined);
  if (root === undefined) throw nwf();
  return oldConvert(root, new Map([['xml', XML_NS]]));
}

// ---- Comparing outcomes ----
interface Tree { name: string; local: string; ns: string | undefined; attrs: [string, string][]; children: (Tree | string)[] }
type Outcome = { tree: Tree } | { code: ImppErrorCode };

const plain = (e: XmlElement): Tree => ({
  name: e.name, local: e.local, ns: e.ns, attrs: Object.entries(e.attrs),
  children: e.children.map((c) => (typeof c === 'string' ? c : plain(c))),
});
function outcome(parse: () => Tree): Outcome {
  try {
    return { tree: parse() };
  } catch (e) {
    if (!(e instanceof CodecError)) throw e;
    return { code: e.code };
  }
}
const oldOutcome = (xml: string, limits?: XmlLimits) => outcome(() => oldParseXml(xml, limits));
const newOutcome = (xml: string, limits?: XmlLimits) => outcome(() => plain(parseXml(xml, limits)));
function same(xml: string, limits?: XmlLimits): Outcome {
  const expected = oldOutcome(xml, limits);
  assert.deepEqual(newOutcome(xml, limits), expected, `input ${JSON.stringify(xml)}`);
  return expected;
}

// ---- Seeded generators ----
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function generator(seed: number) {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const S = () => pick(['', '', ' ', '\n', '\t', '  ', '\r\n']);
  const LOCAL = ['a', 'b', 'body', 'message', 'x-y', 'x.y', '_u', 'n2', 'é', 'ñame', '中文', 'Ωμέγα', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', 'xmlnsx', 'xmlfoo'];
  const URIS = ['urn:a', 'urn:b', 'jabber:client', 'http://jabber.org/protocol/chatstates', 'urn:é', 'x'];
  const PREFIXES = ['p', 'q', 'rpid', 'stream', 'ns-1'];
  const CHUNKS = ['hi', ' ', 'a b', '>', ']]', '] ]>', 'é', '中', '😀', '\u{10FFFD}', '\t', '\n', '\r', '\r\n', '"', "'", '=', '/', 'x&amp;y', '&lt;', '&gt;', '&quot;', '&apos;', '&#65;', '&#x1F600;', '&#x41;', '&#0000065;', '&#9;', '&#10;', '&#13;', '&#xD7FF;', '&#xE000;', '&#x10FFFF;', '\uFEFF', '\u00A0', '\u2028'];
  const chars = (n: number, extra: readonly string[] = []) => Array.from({ length: int(n) }, () => pick([...CHUNKS, ...extra])).join('');

  function element(depth: number, prefixes: readonly string[]): string {
    const declared = [...prefixes];
    const attrs: string[] = [];
    const names = new Set<string>();
    const add = (name: string, value: string) => {
      if (names.has(name)) return;
      names.add(name);
      const q = pick(['"', "'"]);
      attrs.push(`${pick([' ', '\n', '\t', '  '])}${name}${S()}=${S()}${q}${value.replaceAll(q, q === '"' ? '&quot;' : '&apos;').replaceAll('<', '&lt;')}${q}`);
    };
    if (rnd() < 0.3) add('xmlns', rnd() < 0.1 ? '' : pick(URIS));
    for (let k = int(3); k > 0; k--) {
      const p = pick(PREFIXES);
      add(`xmlns:${p}`, pick(URIS));
      declared.push(p);
    }
    if (rnd() < 0.2) add('xml:lang', pick(['en', 'fr-CA', '']));
    for (let k = int(4); k > 0; k--) {
      const local = pick(LOCAL);
      add(declared.length > 0 && rnd() < 0.3 ? `${pick(declared)}:${local}` : local, chars(6, ['<', ']]>', '\u0085']).replaceAll('<', '&lt;'));
    }
    const local = pick(LOCAL);
    const name = declared.length > 0 && rnd() < 0.4 ? `${pick(declared)}:${local}` : local;
    const open = `<${name}${attrs.join('')}${S().replace('\r\n', ' ')}`;
    if (depth > 5 || rnd() < 0.25) return `${open}/>`;
    let content = '';
    for (let k = int(5); k > 0; k--) {
      const r = rnd();
      if (r < 0.45) content += element(depth + 1, declared);
      else if (r < 0.85) content += chars(8);
      else content += `<![CDATA[${chars(5, ['<', '&', '<!--', '<?x?>', ']', '&#0;'])}]]>`;
    }
    return `${open}>${content}</${name}${S().replace('\r\n', ' ')}>`;
  }

  /** A valid document: optional BOM and declaration, whitespace around the root. */
  function valid(): string {
    const bom = rnd() < 0.1 ? '\uFEFF' : '';
    const decl = rnd() < 0.3 ? pick(['<?xml version="1.0"?>', "<?xml version='1.0' encoding='UTF-8'?>", '<?xml version="1.0" encoding="utf-8" standalone="yes" ?>']) : '';
    return `${bom}${decl}${S()}${element(1, [])}${S()}${S()}`;
  }
  return { rnd, int, pick, valid };
}

/** The markup of a generated (well-formed) document: each tag's offsets, found with quotes skipped. */
function tagsOf(xml: string): { start: number; nameEnd: number; end: number; kind: string }[] {
  const out = [];
  for (let lt = xml.indexOf('<'); lt !== -1; lt = xml.indexOf('<', lt + 1)) {
    if (xml.startsWith('<![CDATA[', lt)) {
      const start = lt;
      lt = xml.indexOf(']]>', lt);
      out.push({ start, nameEnd: lt, end: lt + 3, kind: 'cdata' });
      continue;
    }
    let j = lt + 1;
    while (!/[\s/>]/.test(xml[j] ?? '>')) j++;
    const nameEnd = j;
    for (let q = ''; j < xml.length && (q !== '' || xml[j] !== '>'); j++) {
      if (q === '' && (xml[j] === '"' || xml[j] === "'")) q = xml[j]!;
      else if (xml[j] === q) q = '';
    }
    out.push({ start: lt, nameEnd, end: j + 1, kind: xml[lt + 1] === '/' ? 'end' : xml[lt + 1] === '?' ? 'decl' : 'start' });
    lt = j;
  }
  return out;
}
/** Where a fault can go in `xml`: just after a tag or CDATA section, `r` of the way through. */
const afterTag = (xml: string, r: number): number => {
  const tags = tagsOf(xml);
  return tags[Math.floor(r * tags.length)]?.end ?? 0;
};
/** Inserts `what` into a start tag `r` of the way through `xml`, just after its name. */
function intoStartTag(xml: string, r: number, what: string): string {
  const tags = tagsOf(xml).filter((t) => t.kind === 'start');
  return insertAt(xml, tags[Math.floor(r * tags.length)]!.nameEnd, what);
}
const insertAt = (xml: string, at: number, what: string) => xml.slice(0, at) + what + xml.slice(at);
/** JavaScript whitespace that XML 1.0 does not count as S (§2.3 [3]); see the known differences. */
const JS_ONLY_SPACE = /[\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF]/g; // for replace() only

describe('parseXml against the previous implementation (differential, seeded)', () => {
  test('3,000 valid documents parse to the same trees', () => {
    const g = generator(0x5eed);
    let accepted = 0;
    for (let k = 0; k < 3000; k++) if ('tree' in same(g.valid())) accepted++;
    assert.ok(accepted >= 2900, `only ${accepted} of 3,000 generated documents were valid`);
  });

  // Each class: [what, the code expected, how to break a valid document (r: random, in [0, 1))].
  const FAULTS: [string, ImppErrorCode, (xml: string, r: number, pick: <T>(xs: readonly T[]) => T) => string][] = [
    ['a comment', 'codec/restricted-xml', (x, r) => insertAt(x, afterTag(x, r), '<!-- c -->')],
    ['a processing instruction', 'codec/restricted-xml', (x, r, p) => insertAt(x, afterTag(x, r), p(['<?php x ?>', '<?xml version="1.0"?>', '<?x?>']))],
    ['a DOCTYPE or entity declaration', 'codec/restricted-xml', (x, r, p) => insertAt(x, afterTag(x, r), p(['<!DOCTYPE a>', '<!ENTITY e "x">', '<!doctype a [<!ENTITY e SYSTEM "file:///etc/passwd">]>', '<!ELEMENT a ANY>']))],
    ['restricted XML after a syntax error', 'codec/restricted-xml', (x, r, p) => `${intoStartTag(x, r / 2, p([' a=1', ' b', ' =""']))}<!-- late -->`],
    ['a second root', 'codec/not-well-formed', (x) => `${x}<z/>`],
    ['text outside the root', 'codec/not-well-formed', (x, r) => (r < 0.5 ? `x${x}` : `${x}x`)],
    ['a missing end tag', 'codec/not-well-formed', (x, r) => {
      const ends = tagsOf(x).filter((t) => t.kind === 'end');
      const t = ends[Math.floor(r * ends.length)];
      if (t !== undefined) return x.slice(0, t.start) + x.slice(t.end);
      const root = x.lastIndexOf('/>'); // the root is empty: make it a start tag without an end
      return x.slice(0, root) + x.slice(root + 1);
    }],
    ['a mismatched end tag', 'codec/not-well-formed', (x, r) => insertAt(x, afterTag(x, r), '<m></n>')],
    ['an undeclared prefix', 'codec/not-well-formed', (x, r, p) => (r < 0.5 ? insertAt(x, afterTag(x, r), `<u:v${p(['', ' xmlns:w="urn:w"'])}/>`) : intoStartTag(x, r, ' zz:a="1"'))],
    ['an undefined entity or bare &', 'codec/not-well-formed', (x, r, p) => insertAt(x, afterTag(x, r), p(['&nbsp;', '&', '& ', '&#;', '&#x;', '&lt', '&AMP;', '&a.b;']))],
    ['a reference to a non-character', 'codec/not-well-formed', (x, r, p) => insertAt(x, afterTag(x, r), p(['&#0;', '&#xFFFE;', '&#xD800;', '&#x110000;', '&#12345678;', '&#x0000041;', '&#1;']))],
    ['"]]>" in text', 'codec/not-well-formed', (x, r) => insertAt(x, afterTag(x, r), ']]>')],
    ['"<" in an attribute value', 'codec/not-well-formed', (x, r, p) => intoStartTag(x, r, p([' v="<"', " v='a<b'"]))],
    ['a duplicate attribute', 'codec/not-well-formed', (x, r) => intoStartTag(x, r, ' dup="1" dup="2"')],
    ['an unquoted, valueless or unspaced attribute', 'codec/not-well-formed', (x, r, p) => intoStartTag(x, r, p([' k=v', ' k', ' k="1"j="2"', ' k=', ' k="1', '="1"', ' k="1"/']))],
    ['a bad namespace declaration', 'codec/not-well-formed', (x, r, p) => intoStartTag(x, r, p([' xmlns:p=""', ' xmlns:xml="urn:x"', ' xmlns:xmlns="urn:x"', ' xmlns="http://www.w3.org/XML/1998/namespace"', ' xmlns:p="http://www.w3.org/2000/xmlns/"', ' xmlns:="urn:x"']))],
    ['a bad name', 'codec/not-well-formed', (x, r, p) => insertAt(x, afterTag(x, r), p(['<1a/>', '<a:b:c/>', '<:a/>', '<a:/>', '<\u{10000}/>', '< a/>', '<a\u00B7b/><-a/>', '<#text/>']))],
    ['a character XML does not allow', 'codec/not-well-formed', (x, r, p) => insertAt(x, afterTag(x, r), p(['\u0001', '\u0000', '\uD800', '\uDC00x', '\uFFFE', '\uFFFF', '\u001F']))],
  ];

  for (const [what, code, fault] of FAULTS) {
    test(`documents with ${what}: ${code}, as before`, () => {
      const g = generator(what.length * 7919);
      for (let k = 0; k < 150; k++) {
        const xml = fault(g.valid(), g.rnd(), g.pick);
        const got = same(xml);
        assert.deepEqual(got, { code }, `input ${JSON.stringify(xml)}`);
      }
    });
  }

  test('limits: too large in UTF-8 bytes, and nested too deep, as before', () => {
    const g = generator(42);
    for (let k = 0; k < 300; k++) {
      const xml = g.valid();
      const bytes = new TextEncoder().encode(xml).length;
      assert.deepEqual(same(xml, { maxBytes: bytes - 1 }), { code: 'codec/too-large' });
      same(xml, { maxBytes: bytes });
      same(xml, { maxDepth: 1 + g.int(4) });
    }
  });

  test('5,000 randomly damaged documents: same tree or same code (or a known difference)', () => {
    const g = generator(0xbad);
    const SNIPPETS = ['<', '>', '&', '"', "'", '=', '/', ' ', ':', ';', '#', '<!--', '-->', '<?', '?>', '<![CDATA[', ']]>', '</a>', '<a>', '<b/>',
      ' xmlns:p="urn:x"', ' p:x="1"', '&amp;', '&#', '\r', '\t', 'é', '😀', '\uD83D', '\u0000', '<!DOCTYPE a>', '<?xml version="1.0"?>', 'xml'];
    let rejected = 0;
    for (let k = 0; k < 5000; k++) {
      let xml = g.valid().replace(JS_ONLY_SPACE, 'x');
      for (let edits = 1 + g.int(3); edits > 0; edits--) {
        const at = g.int(xml.length + 1);
        const r = g.rnd();
        if (r < 0.5) xml = insertAt(xml, at, g.pick(SNIPPETS));
        else if (r < 0.8) xml = xml.slice(0, at) + xml.slice(at + 1 + g.int(4));
        else xml = insertAt(xml, at, xml.slice(g.int(xml.length), g.int(xml.length)));
      }
      if ('code' in sameOrKnown(xml, { maxDepth: 6 })) rejected++;
    }
    assert.ok(rejected > 1000 && rejected < 5000, `${rejected} of 5,000 damaged documents were refused`);
  });

  test('20,000 token soups: same tree or same code (or a known difference)', () => {
    const g = generator(0x50b);
    const TOKENS = ['<', '<', '>', '>', '/', 'a', 'b', 'p:', ':', '=', '"', "'", ' ', '\n', '&', ';', 'amp', 'lt', '#', 'x', '41', '!', '?', '--',
      '[CDATA[', ']]', 'xmlns', 'xmlns:p', 'xml', '="u"', '__proto__', 'é'];
    let accepted = 0;
    for (let k = 0; k < 20_000; k++) {
      const xml = Array.from({ length: 3 + g.int(30) }, () => g.pick(TOKENS)).join('');
      if ('tree' in sameOrKnown(xml.startsWith('<') ? xml : `<a>${xml}</a>`)) accepted++;
    }
    assert.ok(accepted > 200, `only ${accepted} of 20,000 token soups were well-formed`);
  });
});

/**
 * Input the new parser refuses and the old one accepted (each class is tested on its own
 * below): an unclosed quote in <?xml, a repeated __proto__ attribute, a stray '=' in a tag.
 */
function knownDifference(xml: string): boolean {
  const s = xml.replace(/\r\n?/g, '\n');
  const decl = /^\uFEFF?<\?xml[ \t\n]/.test(s) ? s.slice(0, s.indexOf('?>')) : '';
  if (decl.replace(/"[^"]*"|'[^']*'/g, '').search(/["']/) !== -1) return true;
  const tags = (s.match(/<[^<>"']*(?:(?:"[^"]*"|'[^']*')[^<>"']*)*>?/g) ?? []).map((t) => t.replace(/"[^"]*"|'[^']*'/g, '""'));
  return tags.some((t) => (t.match(/\s__proto__\s*=/g)?.length ?? 0) > 1 || t.replace(/[^\s="']+\s*=\s*""/g, ' ').includes('='));
}
function sameOrKnown(xml: string, limits?: XmlLimits): Outcome {
  const expected = oldOutcome(xml, limits);
  const got = newOutcome(xml, limits);
  const diff = JSON.stringify(got) !== JSON.stringify(expected);
  if (diff) assert.ok(knownDifference(xml) && 'code' in got && got.code === 'codec/not-well-formed', `input ${JSON.stringify(xml)}: old ${JSON.stringify(expected)}, new ${JSON.stringify(got)}`);
  return got;
}

describe('where the new parser deliberately differs (the old one misread these documents)', () => {
  const refused = (xml: string) => assert.deepEqual(newOutcome(xml), { code: 'codec/not-well-formed' }, JSON.stringify(xml));

  test('JavaScript-only whitespace before ">" (U+00A0, U+2028, U+3000…) is not S (§2.3 [3]): refused, no longer dropped', () => {
    for (const xml of ['<a\u00A0></a>', '<a></a\u3000>', '<a\u2028></a>', '<a\u00A0/>']) {
      refused(xml);
      if (!xml.endsWith('/>')) assert.equal(oldParseXml(xml).name, 'a', 'the old parser trimmed it away');
    }
  });

  test('U+FEFF and U+1680 are name characters (§2.3 [4]): they stay in the name instead of splitting it', () => {
    assert.equal(parseXml('<a\uFEFF/>').name, 'a\uFEFF');
    assert.equal(oldParseXml('<a\uFEFF/>').name, 'a');
    assert.deepEqual(Object.keys(parseXml('<a x\u1680y="1"/>').attrs), ['x\u1680y']);
    assert.deepEqual(oldParseXml('<a x\u1680y="1"/>').attrs, [['y', '1']]);
    assert.deepEqual(newOutcome('<message><body\uFEFF>spoof</body\uFEFF></message>'), {
      tree: { name: 'message', local: 'message', ns: undefined, attrs: [], children: [{ name: 'body\uFEFF', local: 'body\uFEFF', ns: undefined, attrs: [], children: ['spoof'] }] },
    });
  });

  test('a repeated __proto__ attribute is a repeated attribute (§3.1 WFC: Unique Att Spec)', () => {
    refused('<a __proto__="1" __proto__="2"/>');
    assert.deepEqual(oldParseXml('<a __proto__="1" __proto__="2"/>').attrs, [['__proto__', '2']]);
  });

  test('an <?xml declaration with an unclosed quote is refused; the old parser read a different root', () => {
    refused("<?xml v='?><a>'?><b/></a>");
    assert.equal(oldParseXml("<?xml v='?><a>'?><b/></a>").name, 'b');
  });

  test("a stray '=' in a tag is not an attribute (§3.1 [41]): refused, no longer skipped", () => {
    for (const xml of ['<a x="1" = y="2"/>', '<a x="1"= y="2"/>', '<a = x="1"/>', '<a x="1" =></a>']) {
      refused(xml);
      assert.equal(oldParseXml(xml).name, 'a');
    }
  });

  test('unchanged on purpose: no astral characters in names, <?xml content not interpreted, expanded names not compared', () => {
    for (const xml of ['<\u{10000}/>', '<a \u{10000}="1"/>', '<a>&#00000065;</a>', '<?xml garbage?><a/>', '<a p:x="1" q:x="2" xmlns:p="u" xmlns:q="u"/>']) same(xml);
  });
});
