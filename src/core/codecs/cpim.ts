// RFC 3862: Common Presence and Instant Messaging (CPIM): Message Format
// https://www.rfc-editor.org/rfc/rfc3862
/**
 * Message/CPIM to and from a plain model. The body is only ever a string: a `text/html`
 * body is data for the caller to show as text (BAD-INPUTS #24).
 * @module
 */
import { parseAddress, samePrincipal, type Address } from '../address.js';
import { CodecError } from '../errors.js';
import { formatDateTime, parseDateTime } from './datetime.js';
import {
  formatNameAddr,
  invalidCpim,
  isHeaderName,
  parseNameAddr,
  readBlock,
  splitParams,
  type RawHeader,
} from './cpim-headers.js';

/** `Formal-name <URI>` (RFC 3862 §3.1). */
export interface CpimAddress {
  name?: string;
  address: Address;
}

/** A Message/CPIM message (RFC 3862 §2). */
export interface CpimMessage {
  from: CpimAddress;
  to: CpimAddress[];
  cc: CpimAddress[];
  /** Sender's time (§5.4), ms since the epoch; undefined when absent or unusable. */
  dateTime?: number;
  subject: { text: string; lang?: string }[];
  /** Every other message header (NS, Require, prefixed extensions…), in order. */
  headers: { name: string; value: string }[];
  /** The encapsulated MIME object's Content-Type, e.g. `text/plain; charset=utf-8`. */
  contentType: string;
  body: string;
  /** Set when `authenticatedFrom` was given: false when From names someone else (§6.1). */
  verified?: boolean;
}

/** Options of {@link parseCpim}. */
export interface CpimParseOptions {
  /** Who the transport authenticated as the sender; From is checked against it. */
  authenticatedFrom?: Address;
  /** The receiver's clock for the far-future DateTime check; default `Date.now()`. */
  now?: number;
}

/** Options of {@link serializeCpim}. */
export interface CpimSerializeOptions {
  /** Prepend the outer `Content-Type: message/cpim` MIME header (RFC 3862 §2.1). Default false. */
  mimeHeaders?: boolean;
}

const MAX_BYTES = 64 * 1024;
const utf8 = new TextEncoder();
const SPECIAL = new Set(['from', 'to', 'cc', 'datetime', 'subject']);

/**
 * Parses a Message/CPIM message: optional outer MIME headers (a block with
 * `Content-Type: message/cpim`), the message headers, then the encapsulated MIME object.
 *
 * @throws {CodecError} `codec/too-large` over 64 KiB; `codec/invalid-cpim` for a missing
 *   From or To, a bad address, a malformed header, a missing part, or a Content-Length that
 *   does not match (truncated body). A bad DateTime is not an error: `dateTime` is undefined.
 * @example
 * ```ts
 * const msg = parseCpim(text, { authenticatedFrom: parseAddress('im:piglet@100akerwood.com') });
 * if (msg.verified === false) markUnverified();
 * ```
 */
export function parseCpim(text: string, options: CpimParseOptions = {}): CpimMessage {
  if (typeof text !== 'string') throw invalidCpim(`expected a string, got ${typeof text}`);
  if (text.length > MAX_BYTES || utf8.encode(text).length > MAX_BYTES) {
    throw new CodecError('codec/too-large', `The CPIM message is larger than ${MAX_BYTES} bytes; it was not parsed.`);
  }
  let block = readBlock(text, 0, true);
  if (block === undefined) throw invalidCpim('the message headers are not followed by an empty line');
  const outer = mimeHeader(block.headers, 'content-type');
  if (outer !== undefined && /^message\/cpim\b/i.test(outer.trim())) {
    checkLength(block.headers, text.slice(block.next), 'the message'); // RFC 3862 §2.1
    block = readBlock(text, block.next, false);
    if (block === undefined) throw invalidCpim('the message headers are not followed by an empty line');
  } else {
    block = readBlock(text, 0, false);
  }
  const msg = messageHeaders(block!.headers, options);
  const mime = readBlock(text, block!.next, true);
  if (mime === undefined) throw invalidCpim('the encapsulated MIME object is missing or truncated');
  const body = text.slice(mime.next);
  checkLength(mime.headers, body, 'the body');
  const contentType = mimeHeader(mime.headers, 'content-type')?.trim() || 'text/plain';
  const verified = options.authenticatedFrom === undefined ? undefined : samePrincipal(msg.from.address, options.authenticatedFrom);
  return { ...msg, contentType, body, ...(verified === undefined ? {} : { verified }) };
}

function messageHeaders(headers: readonly RawHeader[], options: CpimParseOptions): Omit<CpimMessage, 'contentType' | 'body'> {
  let from: CpimAddress | undefined;
  const to: CpimAddress[] = [];
  const cc: CpimAddress[] = [];
  const subject: CpimMessage['subject'] = [];
  const others: CpimMessage['headers'] = [];
  let dateTime: number | undefined;
  let seenDate = false;
  for (const h of headers) {
    const key = h.name.toLowerCase();
    if (!SPECIAL.has(key)) {
      others.push({ name: h.name, value: h.value.startsWith(' ') ? h.value.slice(1) : h.value });
      continue;
    }
    const { params, rest } = splitParams(h.value);
    if (key === 'from') {
      // RFC 3862 §5.1: exactly one From; two would let a spoofed one hide behind the real one.
      if (from !== undefined) throw invalidCpim('it has more than one From header');
      from = address(rest);
    } else if (key === 'to') to.push(address(rest));
    else if (key === 'cc') cc.push(address(rest));
    else if (key === 'datetime') {
      if (!seenDate) dateTime = parseDateTime(rest, options); // §5.4; BAD-INPUTS #25
      seenDate = true;
    } else {
      const lang = params.get('lang');
      subject.push(lang === undefined ? { text: rest } : { text: rest, lang }); // §5.5
    }
  }
  if (from === undefined) throw invalidCpim('it has no From header (RFC 3862 §5.1)');
  if (to.length === 0) throw invalidCpim('it has no To header (RFC 3862 §5.2)');
  return { from, to, cc, ...(dateTime === undefined ? {} : { dateTime }), subject, headers: others };
}

function address(value: string): CpimAddress {
  const { name, uri } = parseNameAddr(value);
  try {
    const a = parseAddress(uri);
    return name === undefined ? { address: a } : { name, address: a };
  } catch (cause) {
    throw invalidCpim(`<${uri.slice(0, 80)}> is not a valid address`, cause);
  }
}

function mimeHeader(headers: readonly RawHeader[], name: string): string | undefined {
  return headers.find((h) => h.name.toLowerCase() === name)?.value; // RFC 2045: case-insensitive
}

function checkLength(headers: readonly RawHeader[], content: string, what: string): void {
  const declared = mimeHeader(headers, 'content-length')?.trim();
  if (declared === undefined) return;
  if (!/^\d{1,9}$/.test(declared)) throw invalidCpim(`Content-Length ${JSON.stringify(declared.slice(0, 20))} is not a number`);
  const actual = utf8.encode(content).length;
  if (Number(declared) !== actual) {
    throw invalidCpim(`${what} is ${actual} bytes but Content-Length says ${declared}${actual < Number(declared) ? ' (truncated)' : ''}`);
  }
}

function checkHeader(name: string, value: string): void {
  if (!isHeaderName(name)) throw badHeader(`${JSON.stringify(name.slice(0, 40))} is not a valid header name`);
  // BAD-INPUTS #19: a line break would let a value inject headers of its own.
  if (/[\r\n\0]/.test(value)) throw badHeader(`the ${name} header contains CR, LF or NUL`);
}

function badHeader(why: string): CodecError {
  return new CodecError('codec/invalid-header', `Cannot write the CPIM message: ${why}.`);
}

/**
 * Serializes a {@link CpimMessage}: message headers, an empty line, the encapsulated
 * `Content-Type` header, an empty line, the body (RFC 3862 §2). Lines end in CRLF.
 *
 * @throws {CodecError} `codec/invalid-header` for CR, LF or NUL in any header name or value,
 *   an invalid header name, or an extra header named From/To/cc/DateTime/Subject;
 *   `codec/invalid-cpim` when there is no To.
 * @example
 * ```ts
 * serializeCpim({ from: { address: alice }, to: [{ address: bob }], cc: [], subject: [],
 *   headers: [], contentType: 'text/plain', body: 'hi' });
 * ```
 */
export function serializeCpim(msg: CpimMessage, options: CpimSerializeOptions = {}): string {
  if (msg.to.length === 0) throw invalidCpim('a message needs at least one To');
  const lines: string[] = options.mimeHeaders ? ['Content-Type: message/cpim', ''] : [];
  // `params` go right after the colon, then one space, then the value (RFC 3862 §3.1).
  const add = (name: string, value: string, params = ''): void => {
    checkHeader(name, value);
    lines.push(`${name}:${params} ${value}`);
  };
  const nameAddr = (header: string, a: CpimAddress): void => {
    if (a.name !== undefined) checkHeader(header, a.name);
    add(header, formatNameAddr(a.name, a.address.toString()));
  };
  nameAddr('From', msg.from);
  for (const a of msg.to) nameAddr('To', a);
  for (const a of msg.cc) nameAddr('cc', a);
  if (msg.dateTime !== undefined && Number.isFinite(msg.dateTime)) add('DateTime', formatDateTime(msg.dateTime));
  for (const s of msg.subject) {
    if (s.lang !== undefined && !/^[A-Za-z0-9-]+$/.test(s.lang)) throw badHeader(`${JSON.stringify(s.lang.slice(0, 20))} is not a language tag`);
    add('Subject', s.text, s.lang === undefined ? '' : `;lang=${s.lang}`);
  }
  for (const h of msg.headers) {
    if (SPECIAL.has(h.name.toLowerCase())) throw badHeader(`${h.name} belongs in its own field, not in headers`);
    checkHeader(h.name, h.value);
    lines.push(`${h.name}:${h.value.startsWith(';') ? '' : ' '}${h.value}`); // leading ";" = parameters
  }
  checkHeader('Content-Type', msg.contentType);
  lines.push('', `Content-Type: ${msg.contentType}`, '', msg.body);
  return lines.join('\r\n');
}
