/**
 * XML 1.0 + Namespaces in XML, restricted as RFC 6120 §11.1 restricts it: the one place
 * impp-kit parses XML, with the one safe fast-xml-parser configuration (BAD-INPUTS.md).
 * Entities are never expanded by the library: we decode the five predefined ones and
 * character references ourselves and refuse everything else. The parser import stays
 * confined to this file so code that never parses XML never bundles it.
 * @module
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CodecError } from '../errors.js';
import { decodeReferences, escapeXmlAttr, escapeXmlText, hasInvalidXmlChar, isQName, notWellFormed } from './xml-chars.js';
import { scanXml } from './xml-scan.js';
import { freeze, type XmlElement, type XmlNode } from './xml-tree.js';

export { escapeXmlAttr, escapeXmlText };
export { child, childrenOf, el, serializeXml, textOf } from './xml-tree.js';
export type { XmlElement, XmlNode } from './xml-tree.js';

/** Limits {@link parseXml} enforces before parsing. */
export interface XmlLimits {
  /** Largest document in UTF-8 bytes; default 64 KiB. */
  maxBytes?: number;
  /** Deepest element nesting (the root is depth 1); default 32. */
  maxDepth?: number;
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const utf8 = new TextEncoder();
// Every name gets a NUL prefix (NUL cannot occur in a checked document), so no element or
// attribute name can collide with '#text', ':@' or a key of Object.prototype. Idempotent,
// because the library transforms self-closing tag names twice.
const mark = (name: string): string => (name.charCodeAt(0) === 0 ? name : `\0${name}`);
let parser: XMLParser | undefined;

function getParser(): XMLParser {
  parser ??= new XMLParser({
    preserveOrder: true,
    processEntities: false,
    htmlEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    allowBooleanAttributes: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    removeNSPrefix: false,
    cdataPropName: '#cdata',
    commentPropName: false,
    maxNestedTags: 1024, // a backstop: scanXml already enforced the caller's maxDepth
    transformTagName: mark,
    transformAttributeName: mark,
  });
  return parser;
}

type Raw = Record<string, unknown>;
type Scope = ReadonlyMap<string, string>;

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
  if (hasInvalidXmlChar(text)) throw notWellFormed('it contains a character XML 1.0 does not allow (a control character or a lone surrogate)');
  const s = text.replace(/\r\n?/g, '\n'); // XML 1.0 §2.11
  scanXml(s, maxDepth);
  const valid = XMLValidator.validate(s, { allowBooleanAttributes: false });
  if (valid !== true) throw notWellFormed(`${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  let raw: unknown;
  try {
    raw = getParser().parse(s);
  } catch (cause) {
    throw new CodecError('codec/not-well-formed', 'The XML is not well-formed.', { cause });
  }
  const root = (raw as Raw[]).find((entry) => elementKey(entry) !== undefined);
  if (root === undefined) throw notWellFormed('there is no root element');
  return convert(root, new Map([['xml', XML_NS]]));
}

function elementKey(entry: Raw): string | undefined {
  for (const key of Object.keys(entry)) if (key.charCodeAt(0) === 0) return key;
  return undefined;
}

function convert(entry: Raw, parentScope: Scope): XmlElement {
  const key = elementKey(entry)!;
  const name = key.slice(1);
  const rawAttrs = (entry[':@'] ?? {}) as Record<string, string>;
  const attrs = Object.create(null) as Record<string, string>;
  let scope = parentScope;
  for (const rawName of Object.keys(rawAttrs)) {
    const attr = rawName.slice(1);
    // XML 1.0 §3.3.3: literal whitespace in a value becomes a space; references come after.
    const value = decodeReferences(String(rawAttrs[rawName]).replace(/[\t\n]/g, ' '));
    attrs[attr] = value;
    if (attr === 'xmlns' || attr.startsWith('xmlns:')) {
      if (scope === parentScope) scope = new Map(parentScope);
      (scope as Map<string, string>).set(declare(attr, value), value);
    }
  }
  for (const attr of Object.keys(attrs)) {
    if (!isQName(attr)) throw notWellFormed(`"${attr}" is not a valid attribute name`);
    const colon = attr.indexOf(':');
    if (colon !== -1 && attr.slice(0, colon) !== 'xmlns') resolve(attr.slice(0, colon), scope);
  }
  if (!isQName(name)) throw notWellFormed(`"${name}" is not a valid element name`);
  const colon = name.indexOf(':');
  const ns = colon === -1 ? scope.get('') || undefined : resolve(name.slice(0, colon), scope);
  const children: XmlNode[] = [];
  for (const child of entry[key] as Raw[]) {
    let str: string | undefined;
    if ('#text' in child) {
      str = String(child['#text']);
      if (str.includes(']]>')) throw notWellFormed('"]]>" may not appear in text');
      str = decodeReferences(str);
    } else if ('#cdata' in child) {
      str = (child['#cdata'] as Raw[]).map((t) => String(t['#text'] ?? '')).join('');
    } else if (elementKey(child) !== undefined) {
      children.push(convert(child, scope));
    }
    if (str === undefined || str === '') continue;
    const last = children.length - 1;
    if (typeof children[last] === 'string') children[last] += str;
    else children.push(str);
  }
  return freeze(name, colon === -1 ? name : name.slice(colon + 1), ns, attrs, children);
}

/** Namespaces in XML §3 constraints on a declaration; returns the declared prefix ('' = default). */
function declare(attr: string, uri: string): string {
  const prefix = attr === 'xmlns' ? '' : attr.slice(6);
  if (prefix === 'xmlns' || uri === XMLNS_NS) throw notWellFormed('the xmlns prefix and namespace cannot be declared');
  if ((prefix === 'xml') !== (uri === XML_NS)) throw notWellFormed('the xml prefix is bound only to its own namespace');
  if (prefix !== '' && uri === '') throw notWellFormed(`the prefix "${prefix}" cannot be undeclared`);
  return prefix;
}

function resolve(prefix: string, scope: Scope): string {
  const uri = scope.get(prefix);
  if (uri === undefined) throw notWellFormed(`the namespace prefix "${prefix}" is not declared`);
  return uri;
}
