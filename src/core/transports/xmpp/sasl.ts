// RFC 6120 §6: SASL negotiation — https://www.rfc-editor.org/rfc/rfc6120#section-6
// SCRAM-SHA-1 (RFC 5802) preferred; PLAIN (RFC 4616) only when SCRAM is not offered and the
// caller allowed it, and never after SCRAM worked for this account (downgrade, BAD-INPUTS #52).
import { child, childrenOf, el, textOf, type XmlElement } from '../../codecs/xml.js';
import { ImppError } from '../../errors.js';
import {
  clientFinal, clientFirst, clientFirstBare, decodeSasl, deriveKeys, encodeSasl, makeNonce, parseServerFirst, verifyServerFinal,
  type ScramKeys,
} from './scram.js';
import type { XmppStream } from './stream.js';

export const NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';

/**
 * What we know to log in. The password is dropped after the first SCRAM success: later logins
 * (reconnects) use the cached keys for the server's salt and iteration count.
 */
export class Credentials {
  private readonly cache = new Map<string, ScramKeys>();
  private scramWorked = false;

  constructor(readonly username: string, private password: string | undefined, keys?: ScramKeys) {
    if (keys) this.remember(keys);
  }

  /** The keys of the last SCRAM login, for an app that stores them instead of the password. */
  get keys(): ScramKeys | undefined {
    return [...this.cache.values()].pop();
  }

  /** True once a SCRAM login succeeded (PLAIN is refused from then on). */
  get scramProven(): boolean {
    return this.scramWorked;
  }

  async keysFor(salt: string, iterations: number): Promise<ScramKeys> {
    const hit = this.cache.get(`${iterations}:${salt}`);
    if (hit) return hit;
    if (this.password === undefined) {
      throw new ImppError('auth/credentials-required', 'The server changed the salt or iteration count and no password is kept; sign in again with the password.');
    }
    return deriveKeys(this.password, salt, iterations);
  }

  plainPassword(): string | undefined {
    return this.password;
  }

  /** Call after `<success/>`. SCRAM: keep the keys, drop the password. PLAIN: the password stays (it is all we have). */
  succeeded(keys: ScramKeys | undefined): void {
    if (!keys) return;
    this.remember(keys);
    this.scramWorked = true;
    this.password = undefined;
  }

  private remember(keys: ScramKeys): void {
    this.cache.set(`${keys.iterations}:${keys.salt}`, keys);
  }
}

const notAuthorized = (why: string): ImppError => new ImppError('auth/not-authorized', `Sign-in failed: ${why}. Check the address and password.`);

function saslElement(name: string, attrs: Record<string, string>, data: string | undefined): XmlElement {
  // RFC 6120 §6.4.2: empty initial response is "=".
  return el(name, { xmlns: NS_SASL, ...attrs }, data === undefined ? undefined : data === '' ? '=' : data);
}

/** The next challenge/success/failure; failure → ImppError. */
async function step(stream: XmppStream): Promise<XmlElement> {
  const e = await stream.waitFor((x) => x.ns === NS_SASL && ['challenge', 'success', 'failure'].includes(x.local));
  if (e.local === 'failure') {
    const cond = childrenOf(e).find((c) => c.local !== 'text')?.local ?? 'not-authorized';
    const text = textOf(child(e, 'text', NS_SASL)).slice(0, 200);
    throw notAuthorized(`${cond}${text ? ` (${JSON.stringify(text)})` : ''}`);
  }
  return e;
}

async function scram(stream: XmppStream, creds: Credentials): Promise<ScramKeys> {
  const nonce = makeNonce();
  const bare = clientFirstBare(creds.username, nonce);
  stream.send(saslElement('auth', { mechanism: 'SCRAM-SHA-1' }, encodeSasl(clientFirst(creds.username, nonce))));
  const challenge = await step(stream);
  if (challenge.local !== 'challenge') throw notAuthorized('the server skipped the SCRAM challenge');
  const serverFirst = decodeSasl(textOf(challenge));
  const first = parseServerFirst(serverFirst, nonce);
  const keys = await creds.keysFor(first.salt, first.iterations);
  const final = await clientFinal(keys, bare, serverFirst, first.nonce);
  stream.send(saslElement('response', {}, encodeSasl(final.message)));
  let outcome = await step(stream);
  // RFC 6120 §6.3.10: server-final may come as a challenge (answered with an empty response) or in <success/>.
  if (outcome.local === 'challenge') {
    verifyServerFinal(decodeSasl(textOf(outcome)), final.serverSignature);
    stream.send(saslElement('response', {}, undefined));
    outcome = await step(stream);
    if (outcome.local !== 'success') throw notAuthorized('unexpected SASL step');
  } else {
    verifyServerFinal(decodeSasl(textOf(outcome)), final.serverSignature);
  }
  return keys;
}

/**
 * Authenticates on `stream` given its `features`. Resolves with the mechanism used.
 * @throws {ImppError} `auth/not-authorized` (wrong credentials, bad server proof: never retried),
 *   `auth/mechanism-unavailable`, `auth/credentials-required`.
 */
export async function authenticate(stream: XmppStream, features: XmlElement, creds: Credentials, allowPlain: boolean): Promise<'SCRAM-SHA-1' | 'PLAIN'> {
  const offered = childrenOf(child(features, 'mechanisms', NS_SASL) ?? el('none'), 'mechanism').map((m) => textOf(m).trim());
  if (offered.includes('SCRAM-SHA-1')) {
    creds.succeeded(await scram(stream, creds));
    return 'SCRAM-SHA-1';
  }
  const password = creds.plainPassword();
  if (offered.includes('PLAIN') && allowPlain && !creds.scramProven && password !== undefined) {
    stream.send(saslElement('auth', { mechanism: 'PLAIN' }, encodeSasl(`\0${creds.username}\0${password}`)));
    const outcome = await step(stream);
    if (outcome.local !== 'success') throw notAuthorized('unexpected SASL step');
    creds.succeeded(undefined);
    return 'PLAIN';
  }
  const why = creds.scramProven && offered.includes('PLAIN')
    ? 'the server now offers only PLAIN after SCRAM worked before (possible downgrade); refusing'
    : `no usable mechanism (offered: ${offered.join(', ') || 'none'}${offered.includes('PLAIN') ? '; PLAIN needs allowPlain: true' : ''})`;
  throw new ImppError('auth/mechanism-unavailable', `Cannot sign in: ${why}.`);
}
