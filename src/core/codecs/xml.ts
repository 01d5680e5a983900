/**
 * XML 1.0 + Namespaces in XML, restricted as RFC 6120 §11.1 restricts it: the one place
 * impp-kit parses XML (BAD-INPUTS.md). A small hand-written parser (xml-parse.ts), no library:
 * no DTD is ever read, only the five predefined entities and character references are
 * decoded, and everything else is refused. Trees are frozen, attribute maps have a null
 * prototype, and no parsed name is ever used as a key of an ordinary object.
 * @module
 */
import { CodecError } from '../errors.js';
import { escapeXmlAttr, escapeXmlText, hasInvalidXmlChar, notWellFormed } from './xml-chars.js';
import { parseDocument } from './xml-parse.js';
import { rethrowRestricted } from './xml-scan.js';
import type { XmlElement } from './xml-tree.js';

export { escapeXmlAttr, escapeXmlText };
export { child, childrenOf, el, serializeXml, textOf } from './xml-tree.js';
export type { XmlElement, XmlNode } from './xml-tree.js';

/** Limits {@link parseXml} enforces: the size before parsing, the depth while parsing. */
export interface XmlLimits {
  /** Largest document in UTF-8 bytes; default 64 KiB. */
  maxBytes?: number;
  /** Deepest element nesting (the root is depth 1); default 32. */
  maxDepth?: number;
}

const utf8 = new TextEncoder();

/**
 * Parses one XML document into {@link XmlElement}s.
 *
 * @throws {CodecError} `codec/too-large` (checked first, in UTF-8 bytes),
 *   `codec/restricted-xml` (DOCTYPE, entity declarations, processing instructions other than
 *   a leading `<?xml …?>`, comments) or `codec/not-well-formed` (syntax, undeclared prefix or
 *   entity, more than one root, text outside the root, nesting deeper than `maxDepth`).
 * @example
 * ```ts
 * const root = parseXml('<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="pres:a@b.c"/>');
 * root.ns; // 'urn:ietf:params:xml:ns:pidf'
 * root.attrs.entity; // 'pres:a@b.c'
 * ```
 */
export function parseXml(text: string, limits: XmlLimits = {}): XmlElement {
  const maxBytes = limits.maxBytes ?? 64 * 1024;
  const maxDepth = limits.maxDepth ?? 32;
  if (typeof text !== 'string') throw notWellFormed(`expected a string, got ${typeof text}`);
  if (text.length > maxBytes || (text.length * 3 > maxBytes && utf8.encode(text).length > maxBytes)) {
    throw new CodecError('codec/too-large', `The XML document is larger than ${maxBytes} bytes; it was not parsed.`);
  }
  // XML 1.0 §2.2 Char, for the whole document first: this fault outranks every other.
  if (hasInvalidXmlChar(text)) throw notWellFormed('it contains a character XML 1.0 does not allow (a control character or a lone surrogate)');
  const s = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text; // XML 1.0 §2.11
  try {
    return parseDocument(s, maxDepth);
  } catch (err) {
    rethrowRestricted(s, maxDepth); // restricted XML further on outranks `err`, as it always did
    throw err;
  }
}
