// Thundering herd (issue #6): 200 XMPP sessions on one private Prosody 0.12, which then restarts
// (SIGTERM). Every reconnect attempt (a WebSocket opened by the session's factory) is timed; no
// second may hold more than 10% of the clients' attempts, and every session must be back within
// a bound. Node + the `ws` package (a dependency of our dev tooling) as the `webSocket` factory:
// a browser would throttle 200 sockets to one host itself and hide the client's own spread.
//
// What Prosody 0.12.3 sends on SIGTERM (observed with ws, and in its source):
// - a session without XEP-0198: <stream:error><system-shutdown/>, <close/>, WebSocket close 1000
//   (mod_c2s); the session reports `transport/server-shutdown` and waits in the herd window;
// - a session with XEP-0198 (ours, whenever mod_smacks is loaded): nothing. mod_smacks drops the
//   TCP connection so the session can be resumed later; the client sees WebSocket 1006, exactly
//   what a one-client network blip looks like. So no retry is "fast": every retry, the first
//   included, is drawn over the 30 s herd window (src/core/backoff.ts); a page skips the wait on
//   the browser's `online` event or an explicit connect() ("Retry now").
// Never 1001/1012/1013 (mod_websocket only sends 1000), though other servers may; those count as
// a shutdown too.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { createSession, type XmppSession } from '../../../src/core/transports/xmpp/session.js';
import type { WebSocketLike } from '../../../src/core/transports/xmpp/socket.js';

const CLIENTS = 200;
const MAX_SHARE = 0.1; // of the clients, in any one second
const LIMIT = CLIENTS * MAX_SHARE;
// Herd window 30 s (SPREAD_MS) + a restart, plus room for the few redrawn during the restart.
const BACK_WITHIN_MS = 80_000;

interface Prosody { wsUrl: string; host: string; register(u: string, p: string): Promise<void>; restart(): Promise<void>; stop(): Promise<void> }
interface Server { prosody: Prosody; accounts: { jid: string; password: string }[] }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startServer(withoutSmacks: boolean): Promise<Server> {
  // The restarted server meets the herd at once: give its readiness probe room (default 5 s).
  process.env['IMPP_PROSODY_READY_MS'] ??= '30000';
  // @ts-expect-error plain ESM script without types
  const { startProsody, DEFAULT_MODULES } = await import('../../../scripts/prosody.mjs');
  const modules = withoutSmacks ? (DEFAULT_MODULES as string[]).filter((m) => m !== 'smacks') : undefined;
  const prosody: Prosody = await startProsody({ install: false, ...(modules ? { modules } : {}) });
  const accounts: Server['accounts'] = [];
  for (let i = 0; i < CLIENTS; i += 20) {
    await Promise.all(Array.from({ length: Math.min(20, CLIENTS - i) }, async (_, k) => {
      const user = `herd${i + k}`;
      await prosody.register(user, `pw-${user}`);
      accounts.push({ jid: `${user}@${prosody.host}`, password: `pw-${user}` });
    }));
  }
  return { prosody, accounts };
}

const perSecond = (times: number[]) => Array.from({ length: Math.ceil(Math.max(...times, 1) / 1000) },
  (_, s) => times.filter((t) => t >= s * 1000 && t < (s + 1) * 1000).length);

/**
 * Connects every account, restarts Prosody, and returns each attempt's time (ms after the restart
 * began), per second.
 */
async function herd({ prosody, accounts }: Server) {
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
    service: prosody.wsUrl, jid: a.jid, password: a.password, webSocket: factory, keepaliveMs: 0,
  }));
  const back = new Array<number>(sessions.length).fill(-1);
  const lostWith = new Map<string, number>();
  try {
    for (let i = 0; i < sessions.length; i += 20) await Promise.all(sessions.slice(i, i + 20).map((s) => s.connect()));
    sessions.forEach((s, i) => s.status$.subscribe((st) => {
      if (performance.now() < t0) return;
      if (st.state === 'reconnecting' && st.error) lostWith.set(st.error.code, (lostWith.get(st.error.code) ?? 0) + 1);
      if (st.state === 'online' && back[i]! < 0) back[i] = performance.now() - t0;
    }));
    t0 = performance.now();
    await prosody.restart();
    const restartMs = performance.now() - t0;
    for (const end = performance.now() + BACK_WITHIN_MS; performance.now() < end && back.some((b) => b < 0);) await sleep(100);
    const all = perSecond(attempts);
    const failed = sessions.filter((s) => (s as unknown as { status: { value: { state: string } } }).status.value.state === 'failed').length;
    return { attempts, all, back, restartMs, failed, lostWith };
  } finally {
    await Promise.allSettled(sessions.map((s) => s.disconnect()));
    for (const ws of sockets) ws.terminate();
  }
}

function report(name: string, r: Awaited<ReturnType<typeof herd>>) {
  const peak = Math.max(0, ...r.all);
  const lastBack = Math.max(...r.back);
  console.log(`[herd] ${name}: ${CLIENTS} clients, restart took ${Math.round(r.restartMs)} ms, ${r.attempts.length} reconnect attempts; `
    + `peak ${peak} in one second (${Math.round((peak / CLIENTS) * 100)}% of clients; limit ${MAX_SHARE * 100}%); `
    + `${r.back.filter((b) => b >= 0).length}/${CLIENTS} back, last after ${Math.round(lastBack)} ms; failed ${r.failed}; `
    + `lost with ${[...r.lostWith].map(([c, n]) => `${c}×${n}`).join(' ')}`);
  console.log(`[herd] ${name}: attempts per second since the restart began: ${r.all.map((n, s) => `${s}s:${n}`).join(' ')}`);
  return { peak, lastBack };
}

describe('herd: 200 clients and a restart of a server that announces it (<system-shutdown/>, no XEP-0198)', () => {
  let server: Server | undefined;
  before(async () => { server = await startServer(true); });
  after(async () => { await server?.prosody.stop(); });

  it('the default backoff spreads reconnect attempts: no second holds more than 10% of the clients', async () => {
    const r = await herd(server!);
    report('announced shutdown, default backoff', r);
    const peak = Math.max(...r.all); // every attempt counts here
    // Prosody may exit before flushing every announcement (1 of 200 once saw a bare close).
    const announced = r.lostWith.get('transport/server-shutdown') ?? 0;
    assert.ok(announced >= CLIENTS * 0.9, `${announced} of ${CLIENTS} sessions read <system-shutdown/> as transport/server-shutdown`);
    assert.ok(r.back.every((b) => b >= 0), `every client back within ${BACK_WITHIN_MS} ms`);
    assert.equal(r.failed, 0);
    assert.ok(peak <= LIMIT, `peak ${peak} attempts in one second > ${LIMIT}`);
  });
});

describe('herd: 200 clients and a silent restart (Prosody 0.12 mod_smacks: WebSocket 1006, nothing announced)', () => {
  let server: Server | undefined;
  before(async () => { server = await startServer(false); });
  after(async () => { await server?.prosody.stop(); });

  it('the default backoff spreads reconnect attempts: no second holds more than 10% of the clients', async () => {
    const r = await herd(server!);
    report('silent restart, default backoff', r);
    assert.equal(r.lostWith.get('transport/closed'), CLIENTS, 'every session saw an unannounced close (1006)');
    assert.ok(r.back.every((b) => b >= 0), `every client back within ${BACK_WITHIN_MS} ms`);
    assert.equal(r.failed, 0);
    const peak = Math.max(...r.all); // every attempt counts
    assert.ok(peak <= LIMIT, `peak ${peak} attempts in one second > ${LIMIT}`);
  });
});
