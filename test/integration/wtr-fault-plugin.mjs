// Fault-injection control for browser tests (web-test-runner plugin): fault proxies
// (scripts/fault-proxy.mjs) in front of a Prosody, steered by the test page over HTTP.
//   POST /__impp/proxy[?private=1&seed=N]   → { id, wsUrl, domain }  (wsUrl goes through the proxy)
//        private=1: a Prosody of its own (restarts then touch no other test file's server)
//   POST /__impp/proxy/:id/users            → { jid, password }  (a fresh account on that Prosody)
//   POST /__impp/proxy/:id/chaos?minMs&maxMs&modes=close,mid-frame,silent
//   POST /__impp/proxy/:id/stop-chaos | /kill?mode&one=1 | /delay?ms
//   POST /__impp/proxy/:id/restart          → { ms }  (restarts that proxy's Prosody; ports and accounts kept)
//   GET  /__impp/proxy/:id/log              → { lines }  (notable lines of that Prosody's log)
//   GET  /__impp/proxy/:id/stats            → { connections, kills, midFrame, silent, refused, openLinks, restarts }
//   POST /__impp/proxy/:id/save-log         → { file }  (copies that Prosody's log to test-results/)
//   POST /__impp/proxy/:id/close            (also done for every proxy in serverStop)
//   GET  /__impp/soak.json                  → soak parameters from the environment (SOAK_N, SOAK_RATE, SOAK_SEED)
//   POST /__impp/soak/progress              (a line printed when SOAK_PROGRESS=1)
//   POST /__impp/soak/result                (JSON body; written to test-results/soak-result.json for scripts/soak.mjs)
// Loopback only, bounded: at most MAX_PROXIES live proxies, each with the proxy's own lifetime.
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startFaultProxy } from '../../scripts/fault-proxy.mjs';
import { startProsody } from '../../scripts/prosody.mjs';

const MAX_PROXIES = 8;
const MAX_BODY = 1 << 20;
const MODES = new Set(['close', 'mid-frame', 'silent']);

const json = (body) => ({ body: JSON.stringify(body), type: 'application/json', headers: { 'cache-control': 'no-store' } });
const num = (v, lo, hi, dflt) => {
  const n = Number(v);
  return Number.isFinite(n) ? Math.max(lo, Math.min(hi, n)) : dflt;
};

function readBody(req) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) { reject(new Error('body too large')); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * @param {() => (Awaited<ReturnType<typeof startProsody>> | undefined)} getProsody the run's shared Prosody
 */
export function faultPlugins(getProsody) {
  /** @type {Map<string, { proxy: Awaited<ReturnType<typeof startFaultProxy>>, prosody: any, own: boolean, restarts: number }>} */
  const proxies = new Map();
  let seq = 0;
  let users = 0;

  // Chaos like the proxy's own, but counting each mode it applied (kills on a link with no
  // open link are not counted; `idleTicks` says how many ticks found none).
  function startChaos(entry, { minMs, maxMs, modes }) {
    stopChaos(entry);
    const random = () => ((entry.rand ^= entry.rand << 13), (entry.rand ^= entry.rand >>> 17), (entry.rand ^= entry.rand << 5), (entry.rand >>> 0) / 2 ** 32);
    const deadline = Date.now() + 60 * 60_000; // bounded even if nobody stops it
    const next = () => {
      if (Date.now() > deadline) return;
      entry.chaosTimer = setTimeout(() => {
        const mode = modes[Math.floor(random() * modes.length)];
        if (entry.proxy.openLinks > 0) entry.byMode[mode] += entry.proxy.kill(mode, { one: true });
        else entry.idleTicks++;
        next();
      }, minMs + random() * (maxMs - minMs));
    };
    next();
  }

  function stopChaos(entry) {
    clearTimeout(entry.chaosTimer);
    entry.chaosTimer = undefined;
  }

  async function closeEntry(id) {
    const entry = proxies.get(id);
    if (!entry) return;
    proxies.delete(id);
    stopChaos(entry);
    await entry.proxy.close().catch(() => undefined);
    if (entry.own) await entry.prosody.stop().catch(() => undefined);
  }

  async function create(query) {
    if (proxies.size >= MAX_PROXIES) return { error: `at most ${MAX_PROXIES} fault proxies at once; close one first` };
    const own = query.get('private') === '1';
    let prosody = own ? undefined : getProsody();
    if (own) {
      try {
        prosody = await startProsody({ install: false });
      } catch (err) {
        return { error: `private prosody did not start: ${err?.message ?? err}` };
      }
    }
    if (!prosody) return { error: 'prosody is not running' };
    const seed = num(query.get('seed'), 1, 2 ** 32 - 1, (Date.now() >>> 0) || 1);
    const proxy = await startFaultProxy({ targetPort: prosody.ports.http, seed, lifetimeMs: 60 * 60_000, maxConnections: 20_000 });
    const id = String(++seq);
    proxies.set(id, { proxy, prosody, own, restarts: 0, byMode: { close: 0, 'mid-frame': 0, silent: 0 }, idleTicks: 0, chaosTimer: undefined, rand: seed });
    return { id, seed, wsUrl: `ws://127.0.0.1:${proxy.port}/xmpp-websocket`, directWsUrl: prosody.wsUrl, domain: prosody.host };
  }

  async function act(entry, id, action, method, query) {
    const { proxy, prosody } = entry;
    if (method === 'GET' && action === 'stats') {
      return { ...proxy.stats, openLinks: proxy.openLinks, restarts: entry.restarts, byMode: { ...entry.byMode }, idleTicks: entry.idleTicks };
    }
    if (method === 'GET' && action === 'log') {
      // The notable lines of that Prosody's log (warnings, errors, stream errors, smacks), last 150.
      const text = await readFile(join(prosody.base, 'prosody.log'), 'utf8').catch(() => '');
      return { lines: text.split('\n').filter((l) => /warn|error|not-well|smacks|hibernat|resum|bounc|offline/i.test(l)).slice(-150) };
    }
    if (method !== 'POST') return undefined;
    switch (action) {
      case 'users': {
        const user = `f${++users}-${randomBytes(4).toString('hex')}`;
        const password = randomBytes(9).toString('base64url');
        try {
          await prosody.register(user, password);
        } catch (err) {
          return { error: `registering ${user} failed: ${err?.message ?? err}` };
        }
        return { jid: `${user}@${prosody.host}`, password };
      }
      case 'chaos': {
        const modes = (query.get('modes') ?? 'close,mid-frame,silent').split(',').filter((m) => MODES.has(m));
        if (modes.length === 0) return { error: 'no valid mode (close, mid-frame, silent)' };
        const minMs = num(query.get('minMs'), 10, 60_000, 50);
        const maxMs = num(query.get('maxMs'), minMs, 60_000, 500);
        startChaos(entry, { minMs, maxMs, modes });
        return { ok: true, minMs, maxMs, modes };
      }
      case 'stop-chaos':
        stopChaos(entry);
        return { ok: true };
      case 'kill': {
        const mode = query.get('mode') ?? 'close';
        if (!MODES.has(mode)) return { error: `unknown mode ${mode}` };
        const killed = proxy.kill(mode, { one: query.get('one') === '1' });
        entry.byMode[mode] += killed;
        return { killed };
      }
      case 'delay':
        proxy.setDelay(num(query.get('ms'), 0, 10_000, 0));
        return { ok: true };
      case 'restart': {
        // restart() stops the server if it does not come back in time (a loaded machine):
        // try again, a bounded number of times, so one slow start does not end the run.
        const t0 = Date.now();
        let failure;
        for (let tries = 0; tries < 3; tries++) {
          try {
            await prosody.restart();
            entry.restarts++;
            return { ms: Date.now() - t0, tries: tries + 1 };
          } catch (err) {
            failure = err;
          }
        }
        return { error: `restart failed 3 times: ${String(failure?.message ?? failure).split('\n')[0]}` };
      }
      case 'save-log': {
        // Keeps that Prosody's whole log (it goes with its temp dir) for a post-mortem.
        const file = `test-results/soak-prosody-${id}.log`;
        await mkdir('test-results', { recursive: true });
        await copyFile(join(prosody.base, 'prosody.log'), file).catch(() => undefined);
        return { file };
      }
      case 'close':
        await closeEntry(id);
        return { ok: true };
      default:
        return undefined;
    }
  }

  return [{
    name: 'impp-fault-proxy',
    async serverStop() {
      await Promise.allSettled([...proxies.keys()].map((id) => closeEntry(id)));
    },
    async serve(ctx) {
      if (ctx.method === 'GET' && ctx.path === '/__impp/soak.json') {
        return json({
          n: num(process.env.SOAK_N, 1, 100_000, 500),
          rate: num(process.env.SOAK_RATE, 1, 1000, 0) || undefined,
          seed: num(process.env.SOAK_SEED, 1, 2 ** 32 - 1, 0) || undefined,
          full: process.env.SOAK_FULL === '1',
          appRetry: process.env.SOAK_APP_RETRY === '1',
          plain: process.env.SOAK_PLAIN === '1', // diagnostic: no chaos, no reload, no restart
          profile: process.env.SOAK_PROFILE === '1', // diagnostic: a CPU profile of the drain after the chaos
          liveDom: process.env.SOAK_LIVE_DOM === undefined ? undefined : process.env.SOAK_LIVE_DOM === '1',
        });
      }
      if (ctx.method === 'POST' && ctx.path === '/__impp/soak/progress') {
        if (process.env.SOAK_PROGRESS === '1') {
          const line = await readBody(ctx.req).catch(() => '');
          process.stderr.write(`[soak progress] ${line.slice(0, 2000)}\n`);
        }
        return json({ ok: true });
      }
      if (ctx.method === 'POST' && ctx.path === '/__impp/soak/result') {
        try {
          const body = await readBody(ctx.req);
          const parsed = JSON.parse(body);
          await mkdir('test-results', { recursive: true });
          await writeFile(process.env.SOAK_RESULT ?? 'test-results/soak-result.json', `${JSON.stringify(parsed, null, 2)}\n`);
          return json({ ok: true });
        } catch (err) {
          return json({ error: String(err?.message ?? err) });
        }
      }
      if (ctx.path === '/__impp/proxy' && ctx.method === 'POST') return json(await create(ctx.URL.searchParams));
      const m = /^\/__impp\/proxy\/(\d+)\/([a-z-]+)$/.exec(ctx.path);
      if (!m) return undefined;
      const entry = proxies.get(m[1]);
      if (!entry) return json({ error: `no fault proxy ${m[1]}` });
      const result = await act(entry, m[1], m[2], ctx.method, ctx.URL.searchParams);
      return result === undefined ? undefined : json(result);
    },
  }];
}
