import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImppError } from '../../../src/core/errors.js';
import { backoffDelay, MAX_BACKOFF_MS, retry } from '../../../src/core/transports/xmpp/backoff.js';

describe('reconnect backoff (full jitter)', () => {
  it('stays within [0, min(cap, base·2^n)) for every attempt and random value', () => {
    for (let n = 0; n < 40; n++) {
      const ceiling = Math.min(MAX_BACKOFF_MS, 500 * 2 ** n);
      for (const r of [0, 0.25, 0.5, 0.999999]) {
        const d = backoffDelay(n, {}, () => r);
        assert.ok(d >= 0 && d < ceiling, `attempt ${n} r ${r}: ${d} vs ${ceiling}`);
      }
      assert.equal(backoffDelay(n, {}, () => 0), 0, 'full jitter reaches 0');
    }
    assert.ok(backoffDelay(3, { baseMs: 1000 }, () => 0.999) > 7900);
  });

  it('never exceeds 60 s, whatever cap is asked for', () => {
    assert.ok(backoffDelay(50, { capMs: 10 * MAX_BACKOFF_MS }, () => 0.9999999) < MAX_BACKOFF_MS);
    assert.ok(backoffDelay(50, { capMs: 5000 }, () => 0.9999999) < 5000);
  });

  it('spreads delays (jitter) rather than repeating one value', () => {
    const seen = new Set(Array.from({ length: 50 }, () => backoffDelay(6)));
    assert.ok(seen.size > 10);
  });

  it('retries transient failures, stops at a fatal one (no retry after auth failure)', async () => {
    const ac = new AbortController();
    let calls = 0;
    await retry(ac.signal, async () => { if (++calls < 3) throw new ImppError('transport/unreachable', 'down'); }, { baseMs: 1 });
    assert.equal(calls, 3);
    calls = 0;
    await assert.rejects(
      retry(ac.signal, async () => { calls++; throw new ImppError('auth/not-authorized', 'bad'); }, { baseMs: 1 }),
      (e) => ImppError.is(e, 'auth/not-authorized'));
    assert.equal(calls, 1);
  });

  it('an abort ends the loop without another attempt', async () => {
    const ac = new AbortController();
    let calls = 0;
    const p = retry(ac.signal, async () => { calls++; throw new ImppError('transport/unreachable', 'down'); }, { baseMs: 20 });
    setTimeout(() => ac.abort(), 50);
    await p;
    const n = calls;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(calls, n);
  });
});
