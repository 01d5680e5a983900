/**
 * Character-level XML 1.0 helpers: the `Char` production (§2.2), `Name` (§2.3), references
 * (§4.1) and escaping. Shared by the parser and the serializer in `xml.ts`; no parser import.
 * @module
 */
import { CodecError } from '../errors.js';

// XML 1.0 §2.2 Char; with the `u` flag a lone surrogate matches none of the ranges.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NOT_XML_CHAR_G = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
// XML 1.0 (5th ed.) §2.3 NameStartChar / NameChar, without ':' (Namespaces in XML §3 NCName).
const START = 'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NCNAME = `[${START}][${START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040]*`;
const QNAME = new RegExp(`^${NCNAME}(?::${NCNAME})?$`, 'u');
const REF = /^&(?:#([0-9]{1,7})|#x([0-9a-fA-F]{1,6})|([A-Za-z_][\w.-]*));/;
const PREDEFINED: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }),
);

/** A `codec/not-well-formed` error. */
export function notWellFormed(why: string): CodecError {
  return new CodecError('codec/not-well-formed', `The XML is not well-formed: ${why}.`);
}

/** True when `s` contains a character XML 1.0 does not allow (C0 controls, lone surrogates, U+FFFE/FFFF). */
export function hasInvalidXmlChar(s: string): boolean {
  return NOT_XML_CHAR.test(s);
}

/** True when `name` is a namespace-well-formed QName (`local` or `prefix:local`). */
export function isQName(name: string): boolean {
  return QNAME.test(name);
}

/**
 * Replaces the five predefined entities and character references in raw text or an
 * attribute value (XML 1.0 §4.1, §4.6). Any other `&` is an error: no DTD means no other
 * entity is declared (§4.1 WFC: Entity Declared), and nothing is ever expanded or fetched.
 */
export function decodeReferences(raw: string): string {
  if (!raw.includes('&')) return raw;
  let out = '';
  let from = 0;
  for (let amp = raw.indexOf('&'); amp !== -1; amp = raw.indexOf('&', from)) {
    out += raw.slice(from, amp);
    const m = REF.exec(raw.slice(amp, amp + 40));
    if (m === null) throw notWellFormed('a bare "&" must be written &amp;');
    if (m[3] !== undefined) {
      const ch = PREDEFINED[m[3]];
      if (ch === undefined) throw notWellFormed(`the entity &${m[3]}; is not defined (only the five XML entities are)`);
      out += ch;
    } else {
      const code = m[1] !== undefined ? Number.parseInt(m[1], 10) : Number.parseInt(m[2]!, 16);
      const ch = code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFF';
      // §4.1 WFC: Legal Character; surrogate code points are not characters either.
      if (NOT_XML_CHAR.test(ch) || (code >= 0xd800 && code <= 0xdfff)) throw notWellFormed(`${m[0]} refers to a character XML does not allow`);
      out += ch;
    }
    from = amp + m[0].length;
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
