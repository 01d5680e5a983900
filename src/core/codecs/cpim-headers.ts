/**
 * Header-level pieces of RFC 3862 (CPIM message format): header blocks, the `String` escape
 * mechanism (§3.2) and `Formal-name <URI>` values (§3.1, §5.1).
 * @module
 */
import { CodecError } from '../errors.js';

/** One header line: name and the raw value after the colon. */
export interface RawHeader {
  readonly name: string;
  readonly value: string;
}

/** A `codec/invalid-cpim` error. */
export function invalidCpim(why: string, cause?: unknown): CodecError {
  return new CodecError('codec/invalid-cpim', `Not a valid Message/CPIM: ${why}.`, cause === undefined ? {} : { cause });
}

// RFC 3862 §3.1: Header-name = [ Name-prefix "." ] Name; NAMECHAR excludes "." and ":".
const HEADER_NAME = /^(?:[A-Za-z0-9!#$%&'*+\-^_`|~]+\.)?[A-Za-z0-9!#$%&'*+\-^_`|~]+$/;
const TOKENS = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+(?: [A-Za-z0-9!#$%&'*+\-.^_`|~]+)*$/;
const ESCAPES: Readonly<Record<string, string>> = { b: '\b', t: '\t', n: '\n', r: '\r', '"': '"', "'": "'", '\\': '\\' };

/** True when `name` is a syntactically valid CPIM header name (`Name` or `Prefix.Name`). */
export function isHeaderName(name: string): boolean {
  return HEADER_NAME.test(name);
}

/**
 * Reads a block of header lines ending at an empty line. MIME blocks (RFC 2045) may fold;
 * CPIM message headers may not (RFC 3862 §3.1). Returns undefined when no empty line ends it.
 */
export function readBlock(s: string, pos: number, folding: boolean): { headers: RawHeader[]; next: number } | undefined {
  const headers: RawHeader[] = [];
  for (;;) {
    const nl = s.indexOf('\n', pos);
    if (nl === -1) return undefined;
    const line = s.charAt(nl - 1) === '\r' && nl > pos ? s.slice(pos, nl - 1) : s.slice(pos, nl);
    pos = nl + 1;
    if (line === '') return { headers, next: pos };
    if (line.startsWith(' ') || line.startsWith('\t')) {
      const last = headers.pop();
      if (!folding || last === undefined) throw invalidCpim('a header line starts with white space (CPIM headers are not folded)');
      headers.push({ name: last.name, value: `${last.value} ${line.trim()}` });
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon === -1 ? '' : line.slice(0, colon);
    if (!isHeaderName(name)) throw invalidCpim(`${JSON.stringify(line.slice(0, 40))} is not a header line`);
    const value = line.slice(colon + 1);
    headers.push({ name, value });
  }
}

/**
 * Splits the raw value after the colon into `;name=value` parameters and the value after the
 * one separating space: `Header-name ":" *( ";" Parameter ) SP Header-value` (RFC 3862 §3.1).
 */
export function splitParams(value: string): { params: Map<string, string>; rest: string } {
  const params = new Map<string, string>();
  let rest = value;
  while (rest.startsWith(';')) {
    const m = /^;([A-Za-z0-9!#$%&'*+\-^_`|~]+)=("(?:[^"\\]|\\.)*"|[^;\s]*)/.exec(rest);
    if (m === null) throw invalidCpim(`the header parameter ${JSON.stringify(rest.slice(0, 40))} is malformed`);
    params.set(m[1]!, m[2]!.startsWith('"') ? unescapeString(m[2]!) : m[2]!);
    rest = rest.slice(m[0].length);
  }
  return { params, rest: rest.startsWith(' ') ? rest.slice(1) : rest };
}

/** Decodes a quoted `String` (RFC 3862 §3.2), quotes included. */
export function unescapeString(quoted: string): string {
  return quoted.slice(1, -1).replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
    if (e.length === 5) return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    const ch = ESCAPES[e];
    if (ch === undefined) throw invalidCpim(`"\\${e}" is not a valid escape`);
    return ch;
  });
}

/** Encodes `s` as a quoted `String` (RFC 3862 §3.2). */
export function escapeString(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/** Parses `[Formal-name] <URI>` (RFC 3862 §3.1, §5.1). */
export function parseNameAddr(value: string): { name?: string; uri: string } {
  const m = /^(.*?)\s*<([^<>\s]*)>\s*$/.exec(value);
  if (m === null) throw invalidCpim(`${JSON.stringify(value.slice(0, 80))} is not of the form Name <URI>`);
  const raw = m[1]!.trim();
  let name: string | undefined;
  if (raw.startsWith('"')) {
    if (!/^"(?:[^"\\]|\\.)*"$/.test(raw)) throw invalidCpim(`the name ${raw.slice(0, 40)} is not a valid quoted string`);
    name = unescapeString(raw);
  } else if (raw !== '') {
    name = raw.replace(/\s+/g, ' ');
  }
  return name === undefined ? { uri: m[2]! } : { name, uri: m[2]! };
}

/** Formats `Formal-name <URI>`, quoting the name unless it is plain tokens (§3.1). */
export function formatNameAddr(name: string | undefined, uri: string): string {
  if (name === undefined) return `<${uri}>`;
  return `${TOKENS.test(name) ? name : escapeString(name)} <${uri}>`;
}
