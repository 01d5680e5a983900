// The shared reconnect backoff (src/core/backoff.ts): full jitter, cap, reset, herd window, and
// the wake-ups that skip the wait (#6).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { Backoff, backoffDelay, isFatal, MAX_BACKOFF_MS, retry, SPREAD_MS } from '../../src/core/backoff.js';
import { ImppError } from '../../src/core/errors.js';
import { windowEvents } from './window-events.js';

const err = (code: ConstructorParameters<typeof ImppError>[0]) => new ImppError(code, code);
const top = () => 0.999999; // just under each ceiling
const half = () => 0.5;

describe('reconnect backoff: full jitter, capped, herd window, reset on success', () => {
  it('without the herd window: within [0, min(cap, base·2^n)) for every attempt and random value', () => {
    for (let n = 0; n < 40; n++) {
      const ceiling = Math.min(MAX_BACKOFF_MS, 500 * 2 ** n);
      for (const r of [0, 0.25, 0.5, 0.999999]) {
        const d = backoffDelay(n, { spreadMs: 0 }, () => r);
        assert.ok(d >= 0 && d < ceiling, `attempt ${n} r ${r}: ${d} vs ${ceiling}`);
      }
      assert.equal(backoffDelay(n, { spreadMs: 0 }, () => 0), 0, 'full jitter reaches 0');
      assert.ok(backoffDelay(n, { spreadMs: 0 }, top) >= ceiling - 1, 'full jitter reaches the ceiling');
    }
  });

  it('by default every retry, the first included, is drawn over the 30 s herd window (then grows to 60 s)', () => {
    assert.equal(SPREAD_MS, 30_000);
    assert.equal(backoffDelay(0, {}, half), 15_000, 'first retry: uniform over 30 s');
    assert.equal(backoffDelay(0, {}, () => 0), 0, 'the window starts at 0');
    assert.equal(backoffDelay(5, {}, half), 15_000, '500·2^5 = 16 s is still inside the window');
    assert.equal(backoffDelay(6, {}, half), 16_000, '500·2^6 = 32 s is above it');
    assert.equal(backoffDelay(20, {}, half), MAX_BACKOFF_MS / 2, 'capped at 60 s');
    assert.equal(backoffDelay(0, { spreadMs: 4000 }, half), 2000, 'spreadMs sets the window');
  });

  it('never exceeds 60 s, whatever cap or spread is asked for', () => {
    assert.ok(backoffDelay(50, { capMs: 10 * MAX_BACKOFF_MS }, top) < MAX_BACKOFF_MS);
    assert.ok(backoffDelay(0, { capMs: 10 * MAX_BACKOFF_MS, spreadMs: 10 * MAX_BACKOFF_MS }, top) < MAX_BACKOFF_MS);
    assert.ok(backoffDelay(50, { capMs: 5000 }, top) < 5000);
    assert.ok(backoffDelay(0, { capMs: 5000 }, top) < 5000, 'the herd window obeys capMs too');
  });

  it('grows per failed attempt and starts over after reset()', () => {
    const b = new Backoff({ spreadMs: 0 }, half);
    assert.deepEqual([b.next(), b.next(), b.next()], [250, 500, 1000]);
    b.reset();
    assert.equal(b.next(), 250);
  });

  it('spreads delays (jitter) rather than repeating one value', () => {
    const seen = new Set(Array.from({ length: 50 }, () => backoffDelay(0)));
    assert.ok(seen.size > 10);
  });

  it('auth, configuration and unsupported-server failures are fatal; network ones are not', () => {
    for (const c of ['auth/not-authorized', 'auth/mechanism-unavailable', 'transport/unsupported', 'client/invalid-argument', 'address/invalid'] as const) {
      assert.ok(isFatal(err(c)), c);
    }
    for (const c of ['transport/closed', 'transport/unreachable', 'transport/timeout', 'transport/server-shutdown', 'transport/stream-error'] as const) {
      assert.ok(!isFatal(err(c)), c);
    }
  });
});

describe('retry loop', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());
  const flush = async () => { for (let i = 0; i < 5; i++) await Promise.resolve(); };

  it('the first attempt waits a random time inside the herd window', async () => {
    let calls = 0;
    const done = retry(new AbortController().signal, async () => { calls++; }, { random: half });
    mock.timers.tick(15_000 - 1);
    await flush();
    assert.equal(calls, 0, 'not before 15 s (0.5 of 30 s)');
    mock.timers.tick(1);
    await flush();
    assert.equal(calls, 1);
    await done;
  });

  it('a wake-up ("Retry now") attempts at once, and only the current wait is cut', async () => {
    let wakeUp: (() => void) | undefined;
    let removed = 0;
    const times: number[] = [];
    let now = 0;
    const done = retry(new AbortController().signal, async () => {
      times.push(now);
      if (times.length === 1) throw err('transport/closed');
    }, { random: half, wake: (w) => { wakeUp = w; return () => void removed++; } });
    mock.timers.tick(1000);
    now += 1000;
    wakeUp!();
    await flush();
    assert.deepEqual(times, [1000], 'woken after 1 s instead of 15 s');
    mock.timers.tick(14_999);
    now += 14_999;
    await flush();
    assert.deepEqual(times, [1000], 'the next wait is a full one again');
    mock.timers.tick(1);
    now += 1;
    await flush();
    await done;
    assert.deepEqual(times, [1000, 16_000]);
    assert.equal(removed, 2, 'each wait removes its wake-up');
  });

  it('the browser\'s online event ends the wait', async () => {
    const { target, restore } = windowEvents();
    try {
      let calls = 0;
      const done = retry(new AbortController().signal, async () => { calls++; }, { random: half });
      await flush();
      target.dispatchEvent(new Event('online'));
      await flush();
      assert.equal(calls, 1);
      await done;
    } finally {
      restore();
    }
  });

  it('retries transient failures with growing ceilings (herd window off)', async () => {
    const times: number[] = [];
    let now = 0;
    const fails = ['transport/timeout', 'transport/unreachable'] as const;
    const done = retry(new AbortController().signal, async () => {
      times.push(now);
      const f = fails[times.length - 1];
      if (f) throw err(f);
    }, { spreadMs: 0, random: half });
    for (let i = 0; i < 100 && times.length < 3; i++) {
      mock.timers.tick(50);
      now += 50;
      await flush();
    }
    await done;
    assert.deepEqual(times, [250, 750, 1750]);
  });

  it('stops at a fatal failure after one attempt (no retry after an auth failure)', async () => {
    let calls = 0;
    const done = retry(new AbortController().signal, async () => { calls++; throw err('auth/not-authorized'); }, { random: () => 0 });
    mock.timers.tick(0);
    await assert.rejects(done, (e) => ImppError.is(e, 'auth/not-authorized'));
    mock.timers.tick(MAX_BACKOFF_MS);
    await flush();
    assert.equal(calls, 1);
  });

  it('an abort ends the loop without another attempt', async () => {
    const ac = new AbortController();
    let calls = 0;
    const done = retry(ac.signal, async () => { calls++; throw err('transport/closed'); }, { spreadMs: 0, random: half });
    mock.timers.tick(250);
    await flush();
    assert.equal(calls, 1);
    ac.abort();
    await done;
    mock.timers.tick(MAX_BACKOFF_MS);
    await flush();
    assert.equal(calls, 1);
  });
});
