/**
 * The element tree `parseXml` (xml.ts) produces, a builder and a hand-written escaping
 * serializer, plus small navigation helpers. Nothing here parses, so builders stay small.
 * @module
 */
import { escapeXmlAttr, escapeXmlText, isQName, notWellFormed } from './xml-chars.js';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** An element. Immutable; `attrs` is a null-prototype object with the raw attribute names. */
export interface XmlElement {
  /** Qualified name as written, e.g. `'rpid:activities'`. */
  readonly name: string;
  /** Local part of the name, e.g. `'activities'`. */
  readonly local: string;
  /** Resolved namespace URI (from `xmlns` / `xmlns:prefix` in scope), or undefined. */
  readonly ns: string | undefined;
  /** Attributes by raw name, including `xmlns` declarations; values are decoded. */
  readonly attrs: Readonly<Record<string, string>>;
  /** Child elements and text, in document order; adjacent text (and CDATA) merged. */
  readonly children: readonly XmlNode[];
}

/** An element or a run of text. */
export type XmlNode = XmlElement | string;

/** Makes a frozen element (parser and builder share it). */
export function freeze(name: string, local: string, ns: string | undefined, attrs: Record<string, string>, children: XmlNode[]): XmlElement {
  return Object.freeze({ name, local, ns, attrs: Object.freeze(attrs), children: Object.freeze(children) });
}

/**
 * Builds an element. Undefined attributes are dropped, numbers stringified; `ns` comes from
 * the element's own `xmlns` (or `xmlns:prefix`) attribute; falsy children are skipped.
 *
 * @example
 * ```ts
 * serializeXml(el('tuple', { id: 't1' }, el('status', {}, el('basic', {}, 'open'))));
 * // '<tuple id="t1"><status><basic>open</basic></status></tuple>'
 * ```
 */
export function el(
  name: string,
  attrs: Record<string, string | number | undefined> = {},
  ...children: (XmlNode | undefined | null | false)[]
): XmlElement {
  const a = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) a[k] = String(v);
  const colon = name.indexOf(':');
  const prefix = colon === -1 ? '' : name.slice(0, colon);
  const ns = prefix === 'xml' ? XML_NS : a[prefix === '' ? 'xmlns' : `xmlns:${prefix}`];
  const kids = children.filter((c): c is XmlNode => typeof c === 'string' ? c !== '' : !!c);
  return freeze(name, colon === -1 ? name : name.slice(colon + 1), ns, a, kids);
}

/**
 * Serializes a node with our own escaping (never the library's builder). Characters XML
 * cannot carry are removed; an invalid element or attribute name is refused.
 *
 * @throws {CodecError} `codec/not-well-formed` for a name that is not a QName.
 * @example
 * ```ts
 * serializeXml(el('note', { 'xml:lang': 'en' }, '<b>hi</b>')); // '<note xml:lang="en">&lt;b&gt;hi&lt;/b&gt;</note>'
 * ```
 */
export function serializeXml(node: XmlNode): string {
  if (typeof node === 'string') return escapeXmlText(node);
  if (!isQName(node.name)) throw notWellFormed(`cannot serialize the element name ${JSON.stringify(node.name)}`);
  let out = `<${node.name}`;
  for (const [k, v] of Object.entries(node.attrs)) {
    if (!isQName(k)) throw notWellFormed(`cannot serialize the attribute name ${JSON.stringify(k)}`);
    out += ` ${k}="${escapeXmlAttr(v)}"`;
  }
  if (node.children.length === 0) return `${out}/>`;
  return `${out}>${node.children.map(serializeXml).join('')}</${node.name}>`;
}

/**
 * The first child element with this local name (and namespace, when given).
 * @example
 * ```ts
 * child(tuple, 'status', PIDF_NS);
 * ```
 */
export function child(parent: XmlElement, local: string, ns?: string): XmlElement | undefined {
  return childrenOf(parent, local, ns)[0];
}

/**
 * Child elements, optionally filtered by local name and namespace.
 * @example
 * ```ts
 * childrenOf(presence, 'tuple', PIDF_NS).length;
 * ```
 */
export function childrenOf(parent: XmlElement, local?: string, ns?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of parent.children) {
    if (typeof c !== 'string' && (local === undefined || c.local === local) && (ns === undefined || c.ns === ns)) out.push(c);
  }
  return out;
}

/**
 * The concatenated text of an element's direct text children ('' when none or no element).
 * @example
 * ```ts
 * textOf(parseXml('<basic>open</basic>')); // 'open'
 * ```
 */
export function textOf(node: XmlElement | undefined): string {
  if (node === undefined) return '';
  let out = '';
  for (const c of node.children) if (typeof c === 'string') out += c;
  return out;
}
