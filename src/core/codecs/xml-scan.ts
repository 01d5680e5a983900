/**
 * Which fault of a refused document to report. The parser (xml-parse.ts) stops at the first
 * fault it meets; the implementation it replaced scanned the whole document for restricted
 * XML (RFC 6120 §11.1) and structural faults first and checked syntax after, so a comment or
 * PI anywhere outranked a syntax error earlier on. {@link rethrowRestricted} replays that scan
 * (only on refusal, so valid documents never pay for it) and keeps every code as it was.
 * @module
 */
import { CodecError } from '../errors.js';

/** A `codec/restricted-xml` error for `what` (RFC 6120 §11.1). */
export function restricted(what: string): CodecError {
  return new CodecError(
    'codec/restricted-xml',
    `The XML contains ${what}, which restricted XML does not allow (RFC 6120 §11.1); nothing was expanded or fetched.`,
  );
}

/** What `<!` at `lt` opens when it is not CDATA: a §2.5 comment or a §2.8 DOCTYPE / §4.2 declaration. */
export function markup(s: string, lt: number): string {
  return s.startsWith('<!--', lt) ? 'a comment' : 'a DOCTYPE or markup declaration';
}

/** Anything but §2.3 [3] S (line ends are already normalised to LF, §2.11). */
export const NON_WS = /[^ \t\n]/;

/**
 * Scans `s` (characters checked, line ends normalised) as the old pre-parse scan did and
 * throws `codec/restricted-xml` if the first fault it meets is restricted XML (DOCTYPE or
 * another declaration, a comment, a processing instruction other than the leading
 * `<?xml …?>`). Returns at the first structural fault (text or a second element outside the
 * root, an unclosed tag or CDATA section, nesting deeper than `maxDepth`) or at the end.
 * @throws {CodecError} `codec/restricted-xml`.
 */
export function rethrowRestricted(s: string, maxDepth: number): void {
  const n = s.length;
  let i = s.charCodeAt(0) === 0xfeff ? 1 : 0;
  // XML 1.0 §2.8: the declaration, if any, comes first; it is the only <? allowed.
  if (s.startsWith('<?xml', i) && /[ \t\n]/.test(s.charAt(i + 5))) {
    i = s.indexOf('?>', i) + 2;
    if (i === 1) return;
  }
  let depth = 0;
  let roots = 0;
  while (i < n) {
    const lt = s.indexOf('<', i);
    if (depth === 0 && NON_WS.test(s.slice(i, lt === -1 ? n : lt))) return;
    if (lt === -1) return;
    const next = s.charAt(lt + 1);
    if (next === '!') {
      if (!s.startsWith('[CDATA[', lt + 2)) throw restricted(markup(s, lt));
      i = s.indexOf(']]>', lt + 9) + 3;
      if (depth === 0 || i === 2) return;
      continue;
    }
    if (next === '?') throw restricted('a processing instruction');
    const gt = tagEnd(s, lt + 1);
    if (gt === -1) return;
    if (next === '/') {
      if (--depth < 0) return;
    } else {
      if (depth >= maxDepth || (depth === 0 && ++roots > 1)) return;
      if (s.charAt(gt - 1) !== '/') depth++;
    }
    i = gt + 1;
  }
}

/** Offset of the `>` that ends the tag starting before `from`, skipping quoted values; -1 if none. */
function tagEnd(s: string, from: number): number {
  for (let j = from; j < s.length; j++) {
    const ch = s[j];
    if (ch === '>') return j;
    if (ch === '<') return -1; // XML 1.0 §3.1 WFC: No < in Attribute Values
    if (ch === '"' || ch === "'") {
      const close = s.indexOf(ch, j + 1);
      if (close === -1 || s.slice(j, close).includes('<')) return -1;
      j = close;
    }
  }
  return -1;
}
