/**
 * Character-level XML 1.0 helpers: the `Char` production (§2.2), `Name` (§2.3), references
 * (§4.1) and escaping. Shared by the parser (xml-parse.ts) and the serializer (xml-tree.ts).
 * @module
 */
import { CodecError } from '../errors.js';

// XML 1.0 §2.2 Char, for the serializer; with the `u` flag a lone surrogate matches none of the ranges.
const NOT_XML_CHAR_G = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
// XML 1.0 (5th ed.) §2.3 [4] NameStartChar / [4a] NameChar, without ':' (Namespaces in XML §3
// [4] NCName). BMP is the Basic Multilingual Plane part; the serializer also allows the rest.
const BMP = 'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD';
const MORE = '\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040';
const ASTRAL = '\\u{10000}-\\u{EFFFF}';
const NC_BMP = `[${BMP}][${BMP}${MORE}]*`;
/**
 * Sticky: a QName of BMP characters at `lastIndex` (the parser reads names with it). Astral
 * characters stay out of parsed names, as they did with the parser library before.
 * Linear: no class contains ':', so the optional group can only be tried once.
 */
export const QNAME_AT = new RegExp(`${NC_BMP}(?::${NC_BMP})?`, 'y');
// §4.1 [66] CharRef, and [68] EntityRef for the five entities of §4.6. Sticky, bounded
// repetitions only: it cannot backtrack far, and a bad '&' stops the scan where it stands.
const REF = /&(?:#([0-9]{1,7})|#x([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/y;
const PREDEFINED = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as const;

/** A `codec/not-well-formed` error. */
export function notWellFormed(why: string): CodecError {
  return new CodecError('codec/not-well-formed', `The XML is not well-formed: ${why}.`);
}

// Code units that may start a character XML does not allow; a surrogate is fine in a pair.
const SUSPECT = /[\0-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/g;

/**
 * True when `s` contains a character XML 1.0 does not allow (C0 controls, lone surrogates,
 * U+FFFE/FFFF): §2.2 [2] Char. A plain class search, with surrogate pairs checked by hand,
 * is several times faster than a `u`-flag search on two-byte strings.
 */
export function hasInvalidXmlChar(s: string): boolean {
  SUSPECT.lastIndex = 0;
  while (SUSPECT.test(s)) {
    const i = SUSPECT.lastIndex - 1;
    const c = s.charCodeAt(i);
    const next = s.charCodeAt(i + 1);
    if (c > 0xdbff || c < 0xd800 || !(next >= 0xdc00 && next <= 0xdfff)) return true; // not a high surrogate with its low one
    SUSPECT.lastIndex = i + 2;
  }
  return false;
}

let qnameRe: RegExp | undefined; // built on first use, so parse-only bundles leave it out

/** True when `name` is a namespace-well-formed QName (`local` or `prefix:local`). */
export function isQName(name: string): boolean {
  const nc = `[${BMP}${ASTRAL}][${BMP}${ASTRAL}${MORE}]*`;
  return (qnameRe ??= new RegExp(`^${nc}(?::${nc})?$`, 'u')).test(name);
}

/**
 * Replaces the five predefined entities and character references in raw text or an
 * attribute value (XML 1.0 §4.1, §4.6). Any other `&` is an error: no DTD means no other
 * entity is declared (§4.1 WFC: Entity Declared), and nothing is ever expanded or fetched.
 */
export function decodeReferences(raw: string): string {
  let amp = raw.indexOf('&');
  if (amp === -1) return raw;
  let out = '';
  let from = 0;
  for (; amp !== -1; amp = raw.indexOf('&', from)) {
    REF.lastIndex = amp;
    const m = REF.exec(raw);
    if (m === null) throw notWellFormed('an "&" starts no character reference and none of &amp; &lt; &gt; &quot; &apos;');
    let ch: string;
    if (m[3] !== undefined) ch = PREDEFINED[m[3] as keyof typeof PREDEFINED]; // one of five own keys
    else {
      const code = m[1] !== undefined ? Number.parseInt(m[1], 10) : Number.parseInt(m[2]!, 16);
      ch = code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFF';
      // §4.1 WFC: Legal Character (a surrogate code point becomes a lone surrogate, refused too).
      if (hasInvalidXmlChar(ch)) throw notWellFormed(`${m[0]} refers to a character XML does not allow`);
    }
    out += raw.slice(from, amp) + ch;
    from = REF.lastIndex;
  }
  return out + raw.slice(from);
}

/**
 * Escapes text content: `&`, `<`, `>` (the last so `]]>` can never appear), and `\r` (which a
 * parser would otherwise turn into `\n`, §2.11). Characters XML cannot carry are removed.
 *
 * @example
 * ```ts
 * escapeXmlText('a < b & c'); // 'a &lt; b &amp; c'
 * ```
 */
export function escapeXmlText(s: string): string {
  return s
    .replace(NOT_XML_CHAR_G, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/**
 * Escapes an attribute value for double quotes: `&`, `<`, `>`, `"`, and tab/LF/CR as
 * character references so attribute-value normalisation (§3.3.3) keeps them.
 * Characters XML cannot carry are removed.
 *
 * @example
 * ```ts
 * `<a title="${escapeXmlAttr('say "hi"')}"/>`; // '<a title="say &quot;hi&quot;"/>'
 * ```
 */
export function escapeXmlAttr(s: string): string {
  return escapeXmlText(s)
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;');
}
