/**
 * The hand-written restricted-XML parser behind `parseXml` (xml.ts): one forward pass over a
 * document whose characters are already checked (§2.2) and whose line ends are normalised
 * (§2.11). It builds the tree, resolves namespaces and enforces the nesting limit as it goes.
 * Searches only move forward and look at each character a bounded number of times; regexes
 * are sticky with bounded backtracking. So time is linear in the input, whatever the input.
 * No recursion, no library.
 * @module
 */
import { decodeReferences, notWellFormed, QNAME_AT } from './xml-chars.js';
import { markup, NON_WS, restricted } from './xml-scan.js';
import { freeze, type XmlElement, type XmlNode } from './xml-tree.js';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
// Shared by every element without attributes: frozen, null prototype, so safe to share.
const NO_ATTRS: Record<string, string> = Object.freeze(Object.create(null));

/**
 * Namespace bindings in scope (Namespaces in XML §6.1): prefix ('' for the default namespace,
 * '' as its value when there is none) → URIs, innermost last. An element pushes what it
 * declares and pops it when it closes, so each declaration costs O(1), however many are in scope.
 */
type Bindings = Map<string, string[]>;

/** An element whose end tag has not been read yet. */
interface Open {
  readonly name: string;
  readonly ns: string | undefined;
  readonly attrs: Record<string, string>;
  readonly kids: XmlNode[];
  /** Prefixes this element declares ('' = default), popped from the bindings when it closes. */
  readonly declared: string[] | undefined;
  /** Offset of the start tag's '>'. */
  readonly end: number;
}

// XML 1.0 §2.3 [3] S, after §2.11 normalisation: space, tab, line feed.
const isS = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x09;

/**
 * Parses `s` (characters checked, line ends normalised) into its root element.
 * @throws {CodecError} `codec/not-well-formed` or `codec/restricted-xml`.
 */
export function parseDocument(s: string, maxDepth: number): XmlElement {
  const n = s.length;
  let i = s.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (s.startsWith('<?xml', i) && isS(s.charCodeAt(i + 5))) i = xmlDecl(s, i);
  const stack: Open[] = [];
  const bindings: Bindings = new Map([['xml', [XML_NS]], ['', ['']]]);
  let top: Open | undefined;
  let root: XmlElement | undefined;
  while (i < n) {
    const lt = s.indexOf('<', i);
    const end = lt === -1 ? n : lt;
    if (end > i) {
      const raw = s.slice(i, end);
      if (top === undefined) {
        // §2.1 [1] document ::= prolog element Misc*: only S outside the root.
        if (NON_WS.test(raw)) throw notWellFormed('there is text outside the root element');
      } else {
        // §2.4 [14] CharData may not contain "]]>"; §4.1 references are decoded.
        if (raw.includes(']]>')) throw notWellFormed('"]]>" may not appear in text');
        addText(top.kids, decodeReferences(raw));
      }
    }
    if (lt === -1) break;
    const c = s.charCodeAt(lt + 1);
    if (c === 0x2f) {
      // §3.1 [42] ETag ::= '</' Name S? '>', WFC: Element Type Match.
      const open = stack.pop();
      let j = lt + 2 + (open === undefined ? 0 : open.name.length);
      while (isS(s.charCodeAt(j))) j++;
      if (open === undefined || !s.startsWith(open.name, lt + 2) || s.charCodeAt(j) !== 0x3e) {
        throw notWellFormed(`an end tag does not match its start tag (at offset ${lt})`);
      }
      const done = finish(open, bindings);
      top = stack[stack.length - 1];
      if (top === undefined) root = done;
      else top.kids.push(done);
      i = j + 1;
    } else if (c === 0x21) {
      // §2.7 [18] CDSect: literal text; anything else after '<!' is a declaration or comment.
      if (!s.startsWith('[CDATA[', lt + 2)) throw restricted(markup(s, lt));
      if (top === undefined) throw notWellFormed('there is a CDATA section outside the root element');
      const close = s.indexOf(']]>', lt + 9);
      if (close === -1) throw notWellFormed('a CDATA section is not closed');
      addText(top.kids, s.slice(lt + 9, close));
      i = close + 3;
    } else if (c === 0x3f) {
      throw restricted('a processing instruction'); // RFC 6120 §11.1; the declaration was read above
    } else {
      if (stack.length >= maxDepth) throw notWellFormed(`elements are nested deeper than ${maxDepth}`);
      if (top === undefined && root !== undefined) throw notWellFormed('there is more than one root element');
      const open = startTag(s, lt + 1, bindings);
      if (s.charCodeAt(open.end - 1) === 0x2f) {
        const done = finish(open, bindings);
        if (top === undefined) root = done;
        else top.kids.push(done);
      } else {
        stack.push(open);
        top = open;
      }
      i = open.end + 1;
    }
  }
  if (top !== undefined) throw notWellFormed(`<${top.name}> is not closed`);
  if (root === undefined) throw notWellFormed('there is no root element');
  return root;
}

/**
 * §2.8 [23] XMLDecl: skipped up to the first '?>' (its content is not interpreted), but quotes
 * must pair up in it, as they must in `VersionInfo`, `EncodingDecl` and `SDDecl`.
 */
function xmlDecl(s: string, from: number): number {
  const end = s.indexOf('?>', from);
  let j = from + 5;
  for (; j < end; j++) {
    const q = s[j];
    if (q === '"' || q === "'") j = s.indexOf(q, j + 1) >>> 0; // not found: -1 >>> 0, past the end
  }
  if (end === -1 || j > end) throw notWellFormed('the <?xml declaration (or a quote in it) is not closed');
  return end + 2;
}

/**
 * §3.1 [40] STag / [44] EmptyElemTag from just after '<': the name, [41] Attributes with
 * [10] AttValue normalised (§3.3.3) and decoded, namespace declarations checked and prefixes
 * resolved (Namespaces in XML §3, §5, §6). `end` is the offset of the tag's '>'.
 */
function startTag(s: string, from: number, bindings: Bindings): Open {
  const name = qname(s, from);
  let j = from + name.length;
  let attrs = NO_ATTRS;
  let declared: string[] | undefined;
  let prefixed: string[] | undefined;
  for (;;) {
    const ws = j;
    while (isS(s.charCodeAt(j))) j++;
    const c = s.charCodeAt(j);
    if (c === 0x3e) break;
    if (c === 0x2f && s.charCodeAt(j + 1) === 0x3e) {
      j++;
      break;
    }
    if (ws === j) throw notWellFormed(`the tag <${name}> is malformed at offset ${j}`);
    const attr = qname(s, j);
    j += attr.length;
    while (isS(s.charCodeAt(j))) j++; // [25] Eq ::= S? '=' S?
    let close = -1;
    if (s.charCodeAt(j) === 0x3d) {
      do j++; while (isS(s.charCodeAt(j)));
      const q = s[j];
      if (q === '"' || q === "'") close = s.indexOf(q, j + 1);
    }
    let value = s.slice(j + 1, close);
    // [10] AttValue, and §3.1 WFC: No < in Attribute Values.
    if (close === -1 || value.includes('<')) throw notWellFormed(`the attribute "${attr}" needs "=" and a quoted value without "<"`);
    if (/[\t\n]/.test(value)) value = value.replace(/[\t\n]/g, ' ');
    value = decodeReferences(value);
    if (attrs === NO_ATTRS) attrs = Object.create(null) as Record<string, string>;
    else if (attrs[attr] !== undefined) throw notWellFormed(`the attribute "${attr}" appears twice`); // §3.1 WFC: Unique Att Spec
    attrs[attr] = value;
    j = close + 1;
    if (attr === 'xmlns' || attr.startsWith('xmlns:')) {
      const prefix = declare(attr.slice(6), value);
      const uris = bindings.get(prefix);
      if (uris === undefined) bindings.set(prefix, [value]);
      else uris.push(value);
      (declared ??= []).push(prefix);
    } else if (attr.includes(':')) (prefixed ??= []).push(attr);
  }
  if (prefixed !== undefined) for (const attr of prefixed) resolve(attr.slice(0, attr.indexOf(':')), bindings);
  const colon = name.indexOf(':');
  const ns = colon === -1 ? resolve('', bindings) || undefined : resolve(name.slice(0, colon), bindings);
  return { name, ns, attrs, kids: [], declared, end: j };
}

/**
 * Namespaces in XML §4 [7] QName at `from`, of BMP characters only (as the library before
 * allowed). Callers check what follows: S, '=', '/>' or '>'; anything else is an error there.
 */
function qname(s: string, from: number): string {
  QNAME_AT.lastIndex = from;
  if (!QNAME_AT.test(s)) throw notWellFormed(`the name at offset ${from} is not a QName`);
  return s.slice(from, QNAME_AT.lastIndex);
}

/** Namespaces in XML §3 constraints on a declaration; returns the declared prefix ('' = default). */
function declare(prefix: string, uri: string): string {
  if (prefix === 'xmlns' || uri === XMLNS_NS) throw notWellFormed('the xmlns prefix and namespace cannot be declared');
  if ((prefix === 'xml') !== (uri === XML_NS)) throw notWellFormed('the xml prefix is bound only to its own namespace');
  if (prefix !== '' && uri === '') throw notWellFormed(`the prefix "${prefix}" cannot be undeclared`);
  return prefix;
}

function resolve(prefix: string, bindings: Bindings): string {
  const uris = bindings.get(prefix);
  const uri = uris?.[uris.length - 1];
  if (uri === undefined) throw notWellFormed(`the namespace prefix "${prefix}" is not declared`);
  return uri;
}

/** Freezes an element once its content is read, and ends the scope of its declarations. */
function finish({ name, ns, attrs, kids, declared }: Open, bindings: Bindings): XmlElement {
  if (declared !== undefined) for (const prefix of declared) bindings.get(prefix)!.pop();
  const colon = name.indexOf(':');
  return freeze(name, colon === -1 ? name : name.slice(colon + 1), ns, attrs, kids);
}

/** Appends text, merging it with a preceding text node (adjacent text and CDATA are one node). */
function addText(kids: XmlNode[], text: string): void {
  if (text === '') return;
  const last = kids.length - 1;
  if (last >= 0 && typeof kids[last] === 'string') kids[last] += text;
  else kids.push(text);
}
