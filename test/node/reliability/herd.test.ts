// Thundering herd (issue #6): 200 XMPP sessions on one private Prosody, which then restarts.
// Every reconnect attempt (a WebSocket opened by the session's factory) is timed; no second may
// hold more than 10% of the clients' attempts, and every session must be back within a bound.
// Node + the `ws` package (a dependency of our dev tooling) as the session's `webSocket` factory:
// a browser would throttle 200 sockets to one host itself and hide the client's own spread.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { createSession, type XmppSession } from '../../../src/core/transports/xmpp/session.js';
import type { BackoffOptions } from '../../../src/core/transports/xmpp/backoff.js';
import type { WebSocketLike } from '../../../src/core/transports/xmpp/socket.js';

const CLIENTS = 200;
const MAX_SHARE = 0.1; // of the clients, in any one second
const BACK_WITHIN_MS = 90_000;

interface Prosody { wsUrl: string; host: string; register(u: string, p: string): Promise<void>; restart(): Promise<void>; stop(): Promise<void> }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let prosody: Prosody;
const accounts: { jid: string; password: string }[] = [];

before(async () => {
  // The restarted server meets the herd at once: give its readiness probe room (default 5 s).
  process.env['IMPP_PROSODY_READY_MS'] ??= '30000';
  // @ts-expect-error plain ESM script without types
  const { startProsody } = await import('../../../scripts/prosody.mjs');
  prosody = await startProsody({ install: false });
  for (let i = 0; i < CLIENTS; i += 20) {
    await Promise.all(Array.from({ length: Math.min(20, CLIENTS - i) }, async (_, k) => {
      const user = `herd${i + k}`;
      await prosody.register(user, `pw-${user}`);
      accounts.push({ jid: `${user}@${prosody.host}`, password: `pw-${user}` });
    }));
  }
});

after(async () => {
  await prosody?.stop();
});

/** Connects every account, restarts Prosody, and returns each attempt's time (ms after the restart began). */
async function herd(backoff: BackoffOptions | undefined) {
  let t0 = Number.POSITIVE_INFINITY;
  const attempts: number[] = [];
  const sockets = new Set<WebSocket>();
  const factory = (url: string, protocols: string): WebSocketLike => {
    const now = performance.now();
    if (now >= t0) attempts.push(now - t0);
    const ws = new WebSocket(url, protocols);
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', () => undefined);
    return ws as unknown as WebSocketLike;
  };
  const sessions: XmppSession[] = accounts.map((a) => createSession({
    service: prosody.wsUrl, jid: a.jid, password: a.password, webSocket: factory, keepaliveMs: 0, ...(backoff ? { backoff } : {}),
  }));
  const back = new Array<number>(sessions.length).fill(-1);
  try {
    for (let i = 0; i < sessions.length; i += 20) await Promise.all(sessions.slice(i, i + 20).map((s) => s.connect()));
    sessions.forEach((s, i) => s.status$.subscribe((st) => {
      if (st.state === 'online' && performance.now() >= t0 && back[i]! < 0) back[i] = performance.now() - t0;
    }));
    t0 = performance.now();
    await prosody.restart();
    const restartMs = performance.now() - t0;
    for (const end = performance.now() + BACK_WITHIN_MS; performance.now() < end && back.some((b) => b < 0);) await sleep(100);
    const seconds = Math.ceil(Math.max(...attempts, 1) / 1000);
    const histogram = Array.from({ length: seconds }, (_, s) => attempts.filter((t) => t >= s * 1000 && t < (s + 1) * 1000).length);
    const failed = sessions.filter((s) => (s as unknown as { status: { value: { state: string } } }).status.value.state === 'failed').length;
    return { attempts, histogram, back, restartMs, failed };
  } finally {
    await Promise.allSettled(sessions.map((s) => s.disconnect()));
    for (const ws of sockets) ws.terminate();
  }
}

function report(name: string, r: Awaited<ReturnType<typeof herd>>) {
  const peak = Math.max(...r.histogram);
  const lastBack = Math.max(...r.back);
  console.log(`[herd] ${name}: ${CLIENTS} clients, restart took ${Math.round(r.restartMs)} ms, ${r.attempts.length} reconnect attempts; `
    + `peak ${peak} in one second (${Math.round((peak / CLIENTS) * 100)}% of clients; limit ${MAX_SHARE * 100}%); `
    + `${r.back.filter((b) => b >= 0).length}/${CLIENTS} back, last after ${Math.round(lastBack)} ms; failed ${r.failed}`);
  console.log(`[herd] ${name}: attempts per second since the restart began: ${r.histogram.map((n, s) => `${s}s:${n}`).join(' ')}`);
  return { peak, lastBack };
}

describe('herd: 200 clients and a server restart', () => {
  // Known failure, kept running and reported (todo) until the backoff change proposed in #6 lands:
  // with Prosody's silent WebSocket close, full jitter over a 500 ms first ceiling puts ~200
  // first attempts in one second.
  it('the default backoff spreads reconnect attempts: no second holds more than 10% of the clients', { todo: 'issue #6: herd spread not met by the default backoff yet' }, async () => {
    const r = await herd(undefined);
    const { peak } = report('default backoff (base 500 ms, full jitter)', r);
    assert.ok(r.back.every((b) => b >= 0), `every client back within ${BACK_WITHIN_MS} ms`);
    assert.ok(peak <= CLIENTS * MAX_SHARE, `peak ${peak} attempts in one second > ${CLIENTS * MAX_SHARE}: `
      + 'full jitter over a 500 ms first ceiling puts every first attempt in the same half second (see the #6 report)');
  });

  // Statistical and borderline (200 clients over 20 s average 10/s against a limit of 20/s; a
  // peak of 21 was seen): a proposal under study for #6, reported but not yet a gate.
  it('a first reconnect window of 20 s (the proposed herd spread) keeps every second under 10%', { todo: 'issue #6: the proposed 20 s window is borderline (peak 21 seen); needs ~30 s or a shutdown-aware window' }, async () => {
    // Demonstrates the fix proposed in the #6 report with today's options: the first ceiling is
    // what spreads a herd. (It also slows single-link recoveries, hence the proposal to use the
    // wide window only when the server says it is going away, e.g. <system-shutdown/>.)
    const r = await herd({ baseMs: 20_000 });
    const { peak } = report('first ceiling 20 s', r);
    assert.ok(r.back.every((b) => b >= 0), `every client back within ${BACK_WITHIN_MS} ms`);
    assert.ok(peak <= CLIENTS * MAX_SHARE, `peak ${peak} attempts in one second`);
  });
});
