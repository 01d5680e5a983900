// RFC 5802: Salted Challenge Response Authentication Mechanism (SCRAM) — https://www.rfc-editor.org/rfc/rfc5802
// SCRAM-SHA-1 without channel binding (gs2 header "n,,"), on WebCrypto: Hi() is PBKDF2 (§2.2).
import { ImppError } from '../../errors.js';

/** Bytes backed by a plain ArrayBuffer (what WebCrypto accepts). */
export type Bytes = Uint8Array<ArrayBuffer>;

/** Keys derived from the password for one salt and iteration count (§3). No password inside. */
export interface ScramKeys {
  /** Base64 salt, as the server sent it. */
  readonly salt: string;
  readonly iterations: number;
  /** HMAC(SaltedPassword, "Client Key"). */
  readonly clientKey: Bytes;
  /** HMAC(SaltedPassword, "Server Key"). */
  readonly serverKey: Bytes;
}

/** The server-first-message fields (§5.1). */
export interface ServerFirst {
  readonly nonce: string;
  readonly salt: string;
  readonly iterations: number;
}

/** More than this is a server asking us to burn CPU; RFC 5802 §5.1 suggests ≥ 4096. */
export const MAX_ITERATIONS = 1_000_000;
const GS2_HEADER = 'n,,';
const enc = new TextEncoder();
const dec = new TextDecoder();

const fail = (why: string): ImppError => new ImppError('auth/not-authorized', `SCRAM-SHA-1 failed: ${why}.`);

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function fromBase64(text: string): Bytes {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * RFC 4013 SASLprep, the common part: non-ASCII spaces → U+0020, "mapped to nothing"
 * characters removed, NFKC. (Prohibited-output and bidi checks are left to the server.)
 */
export function saslprep(text: string): string {
  return text
    .replace(/[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g, ' ')
    .replace(/[\u00AD\u034F\u1806\u180B-\u180D\u200B-\u200D\u2060\uFE00-\uFE0F\uFEFF]/g, '')
    .normalize('NFKC');
}

/** §5.1 saslname: "=" → "=3D", "," → "=2C". */
export function escapeUsername(user: string): string {
  return saslprep(user).replace(/=/g, '=3D').replace(/,/g, '=2C');
}

/** 18 random bytes, base64 (printable, no ","). */
export function makeNonce(): string {
  return toBase64(crypto.getRandomValues(new Uint8Array(18)));
}

/** client-first-message-bare (§5.1). */
export function clientFirstBare(user: string, nonce: string): string {
  return `n=${escapeUsername(user)},r=${nonce}`;
}

/** client-first-message: the gs2 header plus the bare part. */
export function clientFirst(user: string, nonce: string): string {
  return GS2_HEADER + clientFirstBare(user, nonce);
}

function attributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq === 1) out.set(part[0]!, part.slice(2));
  }
  return out;
}

/** Parses and checks server-first-message (§5.1): our nonce prefix, a salt, a sane count. */
export function parseServerFirst(message: string, clientNonce: string): ServerFirst {
  if (message.startsWith('m=')) throw fail('the server requires an extension we do not support');
  const a = attributes(message);
  const nonce = a.get('r') ?? '';
  const salt = a.get('s') ?? '';
  const iterations = Number(a.get('i'));
  if (!nonce.startsWith(clientNonce) || nonce.length <= clientNonce.length) throw fail('the server nonce does not extend ours');
  if (salt === '') throw fail('the server sent no salt');
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) {
    throw fail(`the server asked for ${a.get('i')} iterations (allowed 1..${MAX_ITERATIONS})`);
  }
  return { nonce, salt, iterations };
}

async function hmac(key: Bytes, data: Bytes): Promise<Bytes> {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, data));
}

const xor = (a: Bytes, b: Bytes): Bytes => a.map((x, i) => x ^ b[i]!);

/** SaltedPassword := Hi(Normalize(password), salt, i) (PBKDF2-HMAC-SHA-1), then the two keys. */
export async function deriveKeys(password: string, salt: string, iterations: number): Promise<ScramKeys> {
  const base = await crypto.subtle.importKey('raw', enc.encode(saslprep(password)), 'PBKDF2', false, ['deriveBits']);
  const salted = new Uint8Array(await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-1', salt: fromBase64(salt), iterations }, base, 160));
  const [clientKey, serverKey] = await Promise.all([hmac(salted, enc.encode('Client Key')), hmac(salted, enc.encode('Server Key'))]);
  salted.fill(0);
  return { salt, iterations, clientKey, serverKey };
}

/**
 * client-final-message (§3) and the ServerSignature the server must prove (§5.1 "v=").
 * AuthMessage := client-first-bare + "," + server-first + "," + client-final-without-proof.
 */
export async function clientFinal(keys: ScramKeys, firstBare: string, serverFirst: string, serverNonce: string): Promise<{ message: string; serverSignature: string }> {
  const withoutProof = `c=${btoa(GS2_HEADER)},r=${serverNonce}`;
  const authMessage = enc.encode(`${firstBare},${serverFirst},${withoutProof}`);
  const storedKey = new Uint8Array(await crypto.subtle.digest('SHA-1', keys.clientKey));
  const [clientSignature, serverSignature] = await Promise.all([hmac(storedKey, authMessage), hmac(keys.serverKey, authMessage)]);
  return { message: `${withoutProof},p=${toBase64(xor(keys.clientKey, clientSignature))}`, serverSignature: toBase64(serverSignature) };
}

/** Checks server-final-message (§5.1): "e=" is a failure, "v=" must equal our ServerSignature. */
export function verifyServerFinal(message: string, serverSignature: string): void {
  const a = attributes(message);
  if (a.has('e')) throw fail(`the server said "${a.get('e')}"`);
  const v = a.get('v');
  if (v === undefined || v !== serverSignature) throw fail('the server signature does not match; this server does not know the password');
}

/** Decodes base64 SASL data to text (UTF-8). */
export function decodeSasl(text: string): string {
  return dec.decode(fromBase64(text));
}

/** Encodes text as base64 SASL data (UTF-8). */
export function encodeSasl(text: string): string {
  return toBase64(enc.encode(text));
}
