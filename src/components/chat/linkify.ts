/**
 * Finds links in message text with an allowlist (BAD-INPUTS #1, #40): a candidate becomes a
 * link only when `new URL()` parses it and its scheme is http, https, xmpp or mailto.
 * Everything else, `javascript:` and `data:` included, stays text.
 * @module
 */

/** A piece of a message body: plain text, or a link with its parsed, normalised href. */
export type BodyPart = string | { readonly href: string; readonly text: string };

const ALLOWED = new Set(['http:', 'https:', 'xmpp:', 'mailto:']);
// A scheme followed by non-space characters; what counts is decided by URL parsing below.
const CANDIDATE = /\b[a-z][a-z0-9+.-]{1,20}:[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?'"»”’]+$/u;

/** Splits `text` into text and allowlisted links. */
export function linkify(text: string): BodyPart[] {
  const parts: BodyPart[] = [];
  let last = 0;
  for (const m of text.matchAll(CANDIDATE)) {
    let candidate = m[0].replace(TRAILING, '');
    // Drop a closing parenthesis that closes text around the link: "(see https://x.y)".
    while (candidate.endsWith(')') && count(candidate, '(') < count(candidate, ')')) candidate = candidate.slice(0, -1);
    const href = allowedHref(candidate);
    if (href === undefined) continue;
    const start = m.index;
    if (start > last) parts.push(text.slice(last, start));
    parts.push({ href, text: candidate });
    last = start + candidate.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** The normalised href when `candidate` is a URL with an allowed scheme (and a host for http). */
export function allowedHref(candidate: string): string | undefined {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined;
  }
  if (!ALLOWED.has(url.protocol)) return undefined;
  if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname === '') return undefined;
  if ((url.protocol === 'xmpp:' || url.protocol === 'mailto:') && url.pathname === '') return undefined;
  return url.href;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}
