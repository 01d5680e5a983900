// The client's first-connect retry uses the shared backoff (src/core/backoff.ts): drawn over the
// herd window, skipped by an explicit connect(), reset on success, none after an auth failure.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { createClient } from '../../../src/core/client.js';
import { ImppError, type ImppErrorCode } from '../../../src/core/errors.js';
import { FakeTransport } from './fake-transport.js';
import { windowEvents } from '../window-events.js';

const flush = async () => { for (let i = 0; i < 10; i++) await Promise.resolve(); };

function setup() {
  const transport = new FakeTransport();
  const failures: (ImppErrorCode | undefined)[] = [];
  let calls = 0;
  const real = transport.connect.bind(transport);
  transport.connect = async () => {
    calls++;
    const code = failures.shift();
    if (code) throw new ImppError(code, code);
    return real();
  };
  const client = createClient({ outbox: 'memory', transport, autoConnect: false });
  let state = '';
  client.connection$.subscribe((c) => { state = c.state; });
  return { client, failures, calls: () => calls, state: () => state };
}

describe('client first-connect retry', () => {
  beforeEach(() => {
    mock.method(Math, 'random', () => 0.5);
    mock.timers.enable({ apis: ['setTimeout'] });
  });
  afterEach(() => {
    mock.timers.reset();
    mock.restoreAll();
  });

  it('retries over the 30 s herd window, growing after failures; connect() retries at once; a success starts over', async () => {
    const t = setup();
    t.failures.push('transport/timeout', 'transport/unreachable');
    await t.client.connect().catch(() => undefined);
    assert.equal(t.calls(), 1);
    assert.equal(t.state(), 'reconnecting');
    mock.timers.tick(14_999);
    await flush();
    assert.equal(t.calls(), 1, 'not before 0.5 · 30 s');
    mock.timers.tick(1);
    await flush();
    assert.equal(t.calls(), 2, 'first retry at 15 s');
    mock.timers.tick(14_999);
    await flush();
    assert.equal(t.calls(), 2, 'second retry not before 15 s later');
    mock.timers.tick(1);
    await flush();
    assert.equal(t.calls(), 3);
    assert.equal(t.state(), 'online');

    await t.client.disconnect();
    t.failures.push('transport/timeout');
    await t.client.connect().catch(() => undefined);
    assert.equal(t.calls(), 4);
    await t.client.connect(); // "Retry now": no wait
    assert.equal(t.calls(), 5);
    assert.equal(t.state(), 'online');
    mock.timers.tick(60_000);
    await flush();
    assert.equal(t.calls(), 5, 'the pending retry was cancelled');
  });

  it('the backoff option tunes the retries; the browser\'s online event retries at once', async () => {
    const transport = new FakeTransport();
    let calls = 0;
    let fail = 2;
    const real = transport.connect.bind(transport);
    transport.connect = async () => {
      calls++;
      if (fail-- > 0) throw new ImppError('transport/unreachable', 'refused');
      return real();
    };
    const { target, restore } = windowEvents();
    try {
      const client = createClient({ outbox: 'memory', transport, autoConnect: false, backoff: { spreadMs: 0, baseMs: 100 } });
      await client.connect().catch(() => undefined);
      mock.timers.tick(50); // 0.5 · 100 ms
      await flush();
      assert.equal(calls, 2, 'spreadMs: 0 retries within baseMs');
      target.dispatchEvent(new Event('online'));
      await flush();
      assert.equal(calls, 3, 'online: at once');
      mock.timers.tick(60_000);
      await flush();
      assert.equal(calls, 3, 'online and connected: nothing pending');
      await client.disconnect();
    } finally {
      restore();
    }
  });

  it('does not retry after an auth failure', async () => {
    const t = setup();
    t.failures.push('auth/not-authorized');
    await assert.rejects(t.client.connect(), (e) => ImppError.is(e, 'auth/not-authorized'));
    mock.timers.tick(60_000);
    await flush();
    assert.equal(t.calls(), 1);
  });
});
