import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImppError } from '../../../src/core/errors.js';
import { Credentials } from '../../../src/core/transports/xmpp/sasl.js';
import {
  clientFinal, clientFirst, clientFirstBare, deriveKeys, escapeUsername, parseServerFirst, saslprep, verifyServerFinal,
} from '../../../src/core/transports/xmpp/scram.js';

// RFC 5802 §5: the SCRAM-SHA-1 example exchange (user "user", password "pencil").
const NONCE = 'fyko+d2lbbFgONRv9qkxdawL';
const SERVER_FIRST = 'r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096';
const CLIENT_FINAL = 'c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=';
const SERVER_FINAL = 'v=rmF9pqV8S7suAoZWja4dJRkFsKQ=';

describe('SCRAM-SHA-1 (RFC 5802)', () => {
  it('reproduces the RFC 5802 §5 example exchange byte for byte', async () => {
    assert.equal(clientFirst('user', NONCE), 'n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL');
    const first = parseServerFirst(SERVER_FIRST, NONCE);
    assert.deepEqual(first, { nonce: 'fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j', salt: 'QSXCR+Q6sek8bf92', iterations: 4096 });
    const keys = await deriveKeys('pencil', first.salt, first.iterations);
    const final = await clientFinal(keys, clientFirstBare('user', NONCE), SERVER_FIRST, first.nonce);
    assert.equal(final.message, CLIENT_FINAL);
    assert.equal(final.serverSignature, 'rmF9pqV8S7suAoZWja4dJRkFsKQ=');
    assert.doesNotThrow(() => verifyServerFinal(SERVER_FINAL, final.serverSignature));
  });

  it('refuses a server that cannot prove it knows the password', async () => {
    const keys = await deriveKeys('pencil', 'QSXCR+Q6sek8bf92', 4096);
    const final = await clientFinal(keys, clientFirstBare('user', NONCE), SERVER_FIRST, `${NONCE}3rfcNHYJY1ZVvWVs7j`);
    assert.throws(() => verifyServerFinal('v=AAAAAAAAAAAAAAAAAAAAAAAAAAA=', final.serverSignature), (e) => ImppError.is(e, 'auth/not-authorized'));
    assert.throws(() => verifyServerFinal('e=invalid-proof', final.serverSignature), (e) => ImppError.is(e, 'auth/not-authorized'));
    assert.throws(() => verifyServerFinal('', final.serverSignature), (e) => ImppError.is(e, 'auth/not-authorized'));
  });

  it('checks server-first: our nonce prefix, a salt, a sane iteration count, no mandatory extension', () => {
    const bad = [
      'r=someoneelse123,s=QSXCR+Q6sek8bf92,i=4096',
      `r=${NONCE},s=QSXCR+Q6sek8bf92,i=4096`, // not extended
      `r=${NONCE}x,i=4096`,
      `r=${NONCE}x,s=QSXCR+Q6sek8bf92,i=0`,
      `r=${NONCE}x,s=QSXCR+Q6sek8bf92,i=99999999`,
      `r=${NONCE}x,s=QSXCR+Q6sek8bf92,i=4096.5`,
      `m=ext,r=${NONCE}x,s=QSXCR+Q6sek8bf92,i=4096`,
    ];
    for (const msg of bad) assert.throws(() => parseServerFirst(msg, NONCE), (e) => ImppError.is(e, 'auth/not-authorized'), msg);
  });

  it('escapes "=" and "," in the username and applies SASLprep mappings', () => {
    assert.equal(escapeUsername('a=b,c'), 'a=3Db=2Cc');
    assert.equal(saslprep('I\u00ADX'), 'IX'); // RFC 4013 §3 example: soft hyphen mapped to nothing
    assert.equal(saslprep('a\u00A0b'), 'a b');
    assert.equal(saslprep('\u00AA'), 'a'); // NFKC
  });
});

describe('Credentials (SaltedPassword cache)', () => {
  it('derives once per salt and iteration count, then drops the password after a SCRAM success', async () => {
    const creds = new Credentials('user', 'pencil');
    const k1 = await creds.keysFor('QSXCR+Q6sek8bf92', 4096);
    creds.succeeded(k1);
    assert.equal(creds.plainPassword(), undefined, 'password dropped');
    assert.equal(creds.scramProven, true);
    const t0 = performance.now();
    const k2 = await creds.keysFor('QSXCR+Q6sek8bf92', 4096);
    assert.equal(k2, k1, 'cached keys reused (no PBKDF2)');
    assert.ok(performance.now() - t0 < 5);
    assert.equal(creds.keys, k1);
    await assert.rejects(creds.keysFor('c2FsdDI=', 4096), (e) => ImppError.is(e, 'auth/credentials-required'));
  });

  it('signs in from stored keys without any password', async () => {
    const keys = await deriveKeys('pencil', 'QSXCR+Q6sek8bf92', 4096);
    const creds = new Credentials('user', undefined, keys);
    const final = await clientFinal(await creds.keysFor('QSXCR+Q6sek8bf92', 4096), clientFirstBare('user', NONCE), SERVER_FIRST, `${NONCE}3rfcNHYJY1ZVvWVs7j`);
    assert.equal(final.message, CLIENT_FINAL);
  });
});
