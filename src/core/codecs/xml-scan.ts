/**
 * A pre-parse scan of an XML document: one linear pass, no allocation per tag. It refuses
 * what restricted XML forbids (RFC 6120 §11.1: DOCTYPE and entity declarations, processing
 * instructions, comments) and the structural faults the parser library lets through (text or
 * a second element outside the root), and enforces the nesting limit before any tree exists.
 * @module
 */
import { CodecError } from '../errors.js';
import { notWellFormed } from './xml-chars.js';

function restricted(what: string): CodecError {
  return new CodecError(
    'codec/restricted-xml',
    `The XML contains ${what}, which restricted XML does not allow (RFC 6120 §11.1); nothing was expanded or fetched.`,
  );
}

const NON_WS = /[^ \t\n]/; // line ends are already normalised to \n (XML 1.0 §2.11)

/**
 * Checks `s` (line ends normalised) and returns the offset where the content after an
 * optional leading `<?xml …?>` declaration starts.
 * @throws {CodecError} `codec/restricted-xml` or `codec/not-well-formed`.
 */
export function scanXml(s: string, maxDepth: number): number {
  const n = s.length;
  let i = s.charCodeAt(0) === 0xfeff ? 1 : 0;
  // XML 1.0 §2.8: the declaration, if any, comes first; it is the only <? allowed.
  if (s.startsWith('<?xml', i) && /[ \t\n]/.test(s.charAt(i + 5))) {
    const end = s.indexOf('?>', i);
    if (end === -1) throw notWellFormed('the <?xml declaration is not closed');
    i = end + 2;
  }
  const start = i;
  let depth = 0;
  let roots = 0;
  while (i < n) {
    const lt = s.indexOf('<', i);
    if (depth === 0 && NON_WS.test(s.slice(i, lt === -1 ? n : lt))) throw notWellFormed('there is text outside the root element');
    if (lt === -1) break;
    const next = s.charAt(lt + 1);
    if (next === '!') {
      if (s.startsWith('<![CDATA[', lt)) {
        if (depth === 0) throw notWellFormed('there is a CDATA section outside the root element');
        const end = s.indexOf(']]>', lt + 9);
        if (end === -1) throw notWellFormed('a CDATA section is not closed');
        i = end + 3;
        continue;
      }
      if (s.startsWith('<!--', lt)) throw restricted('a comment');
      if (/^<!DOCTYPE/i.test(s.slice(lt, lt + 9))) throw restricted('a DOCTYPE');
      throw restricted(`a markup declaration (${JSON.stringify(s.slice(lt, lt + 10))})`);
    }
    if (next === '?') throw restricted('a processing instruction');
    const gt = tagEnd(s, lt + 1);
    if (gt === -1) throw notWellFormed('a tag is not closed');
    if (next === '/') {
      if (--depth < 0) throw notWellFormed('there is an end tag without a start tag');
    } else {
      if (depth + 1 > maxDepth) throw notWellFormed(`elements are nested deeper than ${maxDepth}`);
      if (depth === 0 && ++roots > 1) throw notWellFormed('there is more than one root element');
      if (s.charAt(gt - 1) !== '/') depth++;
    }
    i = gt + 1;
  }
  if (roots === 0) throw notWellFormed('there is no root element');
  if (depth !== 0) throw notWellFormed('an element is not closed');
  return start;
}

/** Offset of the `>` that ends the tag starting before `from`, skipping quoted values; -1 if none. */
function tagEnd(s: string, from: number): number {
  let quote = '';
  for (let j = from; j < s.length; j++) {
    const ch = s.charAt(j);
    if (quote !== '') {
      if (ch === quote) quote = '';
      else if (ch === '<') return -1; // XML 1.0 §3.1 WFC: No < in Attribute Values
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '>') return j;
    else if (ch === '<') return -1;
  }
  return -1;
}
