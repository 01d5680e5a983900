/**
 * Addresses of principals: `im:` (RFC 3860), `pres:` (RFC 3859), `xmpp:` (RFC 5122 / RFC 7622
 * JIDs), `sip:`/`sips:` (RFC 3261 §19.1) and bare `user@domain[/resource]` strings.
 * Parsing normalises, so two spellings of one principal compare equal with {@link sameAddress}.
 * @module
 */
import { ImppError } from './errors.js';

/** URI schemes impp-kit understands. */
export type AddressScheme = 'im' | 'pres' | 'xmpp' | 'sip' | 'sips';

/** A parsed, normalised address. Immutable; use {@link parseAddress} to make one. */
export interface Address {
  readonly scheme: AddressScheme;
  /** Local part (user). Case-folded except for SIP. Empty for a domain-only service address. */
  readonly local: string;
  /** Lower-cased domain, without a trailing dot or a port. */
  readonly domain: string;
  /** XMPP resource (case-sensitive), when present. */
  readonly resource?: string;
  /** The principal's key: `local@domain` (or `domain`), without scheme or resource. */
  readonly id: string;
  /** The canonical URI, e.g. `xmpp:alice@example.com/phone`. */
  toString(): string;
}

const MAX_PART_BYTES = 1023; // RFC 7622 §3.1: each part 1..1023 octets
const encoder = new TextEncoder();
// Controls, whitespace and characters RFC 7622 §3.3.1 forbids in a localpart.
const BAD_LOCAL = /[\u0000-\u0020\u007f-\u009f"&'/:<>@\u2028\u2029]/u;
const BAD_SIP_USER = /[\u0000-\u0020\u007f-\u009f"<>@\\\u2028\u2029]/u;
const BAD_RESOURCE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}_-]*[\p{L}\p{N}\p{M}])?$/u;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const IPV6 = /^\[[0-9a-f:.]+\]$/i;
const LONE_SURROGATE = /\p{Surrogate}/u;
const ENCODED_BREAK = /%(?:0a|0d|00)/i;
const CONTROL = /[\u0000-\u001f\u007f]/;

function invalid(text: string, why: string): ImppError {
  const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return new ImppError('address/invalid', `Invalid address ${JSON.stringify(shown)}: ${why}.`);
}

function decode(text: string, part: string, whole: string): string {
  try {
    return decodeURIComponent(text);
  } catch (cause) {
    throw invalid(whole, `the ${part} has a malformed %-escape`);
  }
}

function checkPart(value: string, part: string, whole: string): void {
  if (LONE_SURROGATE.test(value)) throw invalid(whole, `the ${part} contains invalid UTF-16 (a lone surrogate)`);
  if (encoder.encode(value).length > MAX_PART_BYTES) throw invalid(whole, `the ${part} is longer than 1023 bytes`);
}

function normaliseDomain(raw: string, whole: string): string {
  let domain = raw.normalize('NFC').toLowerCase();
  if (domain.endsWith('.')) domain = domain.slice(0, -1);
  if (domain === '') throw invalid(whole, 'the domain is empty');
  checkPart(domain, 'domain', whole);
  if (IPV4.test(domain) || IPV6.test(domain)) return domain;
  for (const label of domain.split('.')) {
    if (!DOMAIN_LABEL.test(label)) throw invalid(whole, `the domain has an invalid label ${JSON.stringify(label)}`);
  }
  return domain;
}

function stripPort(hostport: string): string {
  if (hostport.startsWith('[')) return hostport.slice(0, hostport.indexOf(']') + 1) || hostport;
  const colon = hostport.lastIndexOf(':');
  return colon > 0 && /^\d+$/.test(hostport.slice(colon + 1)) ? hostport.slice(0, colon) : hostport;
}

function build(scheme: AddressScheme, local: string, domain: string, resource?: string): Address {
  const id = local === '' ? domain : `${local}@${domain}`;
  const text = `${scheme}:${id}${resource === undefined ? '' : `/${resource}`}`;
  return Object.freeze({ scheme, local, domain, resource, id, toString: () => text });
}

function parseJidLike(scheme: AddressScheme, rest: string, whole: string, uri: boolean): Address {
  // RFC 5122 §2.2: a query (`?message;body=…`) or fragment is data about the URI, not the address.
  const end = rest.search(/[?#]/);
  let body = end === -1 ? rest : rest.slice(0, end);
  if (scheme === 'xmpp' && body.startsWith('//')) throw invalid(whole, 'an xmpp: URI with an authority (xmpp://) names an account, not an address');
  const slash = body.indexOf('/');
  let resource: string | undefined;
  if (slash !== -1) {
    if (scheme !== 'xmpp') throw invalid(whole, `a ${scheme}: address has no resource part`);
    resource = body.slice(slash + 1);
    body = body.slice(0, slash);
    if (uri) resource = decode(resource, 'resource', whole);
    resource = resource.normalize('NFC');
    if (resource === '') throw invalid(whole, 'the resource after "/" is empty');
    if (BAD_RESOURCE.test(resource)) throw invalid(whole, 'the resource contains control characters');
    checkPart(resource, 'resource', whole);
  }
  const at = body.lastIndexOf('@');
  if (at === -1 && scheme !== 'xmpp') throw invalid(whole, `a ${scheme}: address needs user@domain`);
  let local = at === -1 ? '' : body.slice(0, at);
  if (at !== -1 && local === '') throw invalid(whole, 'the local part before "@" is empty');
  if (uri) local = decode(local, 'local part', whole);
  // RFC 7622 §3.3: UsernameCaseMapped — NFC and lower case.
  local = local.normalize('NFC').toLowerCase();
  if (BAD_LOCAL.test(local)) throw invalid(whole, 'the local part contains a forbidden character (space, quote, &, \', /, :, <, > or @)');
  checkPart(local, 'local part', whole);
  const domain = normaliseDomain(uri ? decode(body.slice(at + 1), 'domain', whole) : body.slice(at + 1), whole);
  return build(scheme, local, domain, resource);
}

function parseSip(scheme: AddressScheme, rest: string, whole: string): Address {
  const q = rest.indexOf('?');
  // RFC 3261 §19.1.1: headers are for building a request; never part of the address.
  if (q !== -1 && ENCODED_BREAK.test(rest.slice(q))) throw invalid(whole, 'its URI headers contain an encoded line break or NUL');
  const body = q === -1 ? rest : rest.slice(0, q);
  // RFC 3261 §25.1: ";" may appear in the user part (user-unreserved, e.g. telephone-subscriber
  // parameters), so find the "@" first; ";uri-params" follow the host and are dropped.
  const at = body.indexOf('@');
  if (at <= 0) throw invalid(whole, `a ${scheme}: address needs user@domain`);
  const userinfo = body.slice(0, at);
  const user = decode(userinfo.split(':')[0]!, 'user part', whole).normalize('NFC'); // drop :password
  if (user === '') throw invalid(whole, 'the user part before "@" is empty');
  if (BAD_SIP_USER.test(user)) throw invalid(whole, 'the user part contains a forbidden character');
  checkPart(user, 'user part', whole);
  return build(scheme, user, normaliseDomain(stripPort(body.slice(at + 1).split(';')[0]!), whole));
}

/**
 * Parses and normalises an address.
 *
 * Domains are lower-cased; XMPP, `im:` and `pres:` local parts are case-folded (RFC 7622);
 * SIP user parts and XMPP resources keep their case. URI query parameters, SIP headers and
 * URI parameters are dropped. A bare `user@domain/resource` is an XMPP address, a bare
 * `user@domain` an `im:` one, a bare `domain` an XMPP service address.
 *
 * @throws {ImppError} `address/invalid`, with a message naming what is wrong.
 * @example
 * ```ts
 * parseAddress('xmpp:Alice@Example.COM/Phone').toString(); // 'xmpp:alice@example.com/Phone'
 * sameAddress('Alice@Example.com', 'pres:alice@example.com'); // true
 * ```
 */
export function parseAddress(text: string | Address): Address {
  if (typeof text !== 'string') {
    if (text !== null && typeof text === 'object' && typeof text.id === 'string' && typeof text.scheme === 'string') return text;
    throw new ImppError('address/invalid', `Invalid address: expected a string, got ${text === null ? 'null' : typeof text}.`);
  }
  const whole = text.trim();
  if (whole === '') throw invalid(text, 'it is empty');
  if (LONE_SURROGATE.test(whole)) throw invalid(whole, 'it contains invalid UTF-16 (a lone surrogate)');
  // RFC 3986 §2: a URI never holds raw controls; a raw CR/LF is the unencoded form of BAD-INPUTS #3.
  if (CONTROL.test(whole)) throw invalid(whole, 'it contains a control character (line break, tab or NUL)');
  const m = /^([a-z][a-z0-9+.-]*):(.*)$/is.exec(whole);
  if (m) {
    const scheme = m[1]!.toLowerCase();
    const rest = m[2]!;
    switch (scheme) {
      case 'im':
      case 'pres':
      case 'xmpp':
        return parseJidLike(scheme, rest, whole, true);
      case 'sip':
      case 'sips':
        return parseSip(scheme, rest, whole);
      default:
        throw invalid(whole, `the scheme "${scheme}:" is not supported (use im:, pres:, xmpp:, sip: or sips:)`);
    }
  }
  const hasResource = whole.includes('/');
  return parseJidLike(hasResource || !whole.includes('@') ? 'xmpp' : 'im', whole, whole, false);
}

/** Like {@link parseAddress} but returns `undefined` instead of throwing. */
export function tryParseAddress(text: string | Address): Address | undefined {
  try {
    return parseAddress(text);
  } catch {
    return undefined;
  }
}

/**
 * True when both denote the same principal (and the same resource, when either has one).
 * `im:`, `pres:`, `xmpp:` and bare forms of one user are the same principal; `sip:` and
 * `sips:` compare with each other. Unparseable input is never the same as anything.
 */
export function sameAddress(a: string | Address, b: string | Address): boolean {
  const x = tryParseAddress(a);
  const y = tryParseAddress(b);
  if (x === undefined || y === undefined) return false;
  return x.id === y.id && x.resource === y.resource && isSip(x) === isSip(y);
}

/** True when both denote the same principal, ignoring resources. */
export function samePrincipal(a: string | Address, b: string | Address): boolean {
  const x = tryParseAddress(a);
  const y = tryParseAddress(b);
  return x !== undefined && y !== undefined && x.id === y.id && isSip(x) === isSip(y);
}

/** The address without its resource. */
export function bareAddress(a: Address): Address {
  return a.resource === undefined ? a : build(a.scheme, a.local, a.domain);
}

/** The address with another scheme (e.g. `pres:` → `xmpp:`); SIP and non-SIP do not convert. */
export function withScheme(a: Address, scheme: AddressScheme): Address {
  if (isSip(a) !== (scheme === 'sip' || scheme === 'sips')) {
    throw new ImppError('address/invalid', `Cannot turn ${a.toString()} into a ${scheme}: address.`);
  }
  return a.scheme === scheme ? a : build(scheme, a.local, a.domain, scheme === 'xmpp' ? a.resource : undefined);
}

function isSip(a: Address): boolean {
  return a.scheme === 'sip' || a.scheme === 'sips';
}
