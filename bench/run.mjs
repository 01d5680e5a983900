// `npm run bench`: bundle sizes, protocol speed against one private Prosody, UI speed in headless
// Chromium, inbox throughput — libraries interleaved round by round to spread machine noise.
// Writes bench/results/latest.json and latest.md. Loopback only; every loop bounded in count and time.
//   BENCH_QUICK=1 npm run bench    # fewer samples (smoke test)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startProsody } from '../scripts/prosody.mjs';
import { ensureSystemPackages } from '../scripts/system-deps.mjs';
import { buildPages, launchChromium, openPage, removeDir, root, serve } from './lib/browser.mjs';
import { environment, noiseProbe } from './lib/env.mjs';
import { summarize } from './lib/stats.mjs';
import { renderMarkdown } from './report.mjs';
import { measureSizes } from './size.mjs';
import { seedAccounts, startWatchers } from './protocol/watchers.mjs';

const QUICK = process.env.BENCH_QUICK === '1';
const CFG = {
  rounds: 4,
  connectPerRound: QUICK ? 5 : 50, // ≥ 200 samples per library
  echoPerRound: QUICK ? 10 : 50, // ≥ 200
  // 1,000 watchers cost Prosody ~0.1–0.5 s per sample on 2 busy cores: 15 × 4 = 60 samples per
  // library keeps the run under 10 minutes (fewer than the 200 the other metrics get; reported).
  fanoutPerRound: QUICK ? 3 : 15,
  throughputMessages: QUICK ? 100 : 200, // per round
  watchers: QUICK ? 100 : 1000,
  idleConnections: QUICK ? 5 : 20,
  contacts: 10_000,
  firstPaintSamples: QUICK ? 2 : 5,
  stormPerSecond: 1000,
  stormSeconds: QUICK ? 2 : 10,
  inboxMessages: 10_000,
  inboxBatch: 100,
  inboxMaxMs: QUICK ? 5000 : 20000,
  /** No protocol round starts unless it is expected to end by this point of the run (UI and
   * teardown need ~75 s more), so the whole run stays < 10 min; a shortened run says so. */
  protocolDeadlineMs: 480_000,
};
const LIBS = [
  { id: 'raw', file: 'protocol/raw.ts' },
  { id: 'impp', file: 'protocol/impp.ts' },
  { id: 'xmppjs', file: 'protocol/xmppjs.ts' },
  { id: 'stanza', file: 'protocol/stanza.ts' },
  { id: 'strophe', file: 'protocol/strophe.ts' },
  // Diagnosis: impp-kit without the IndexedDB outbox (same page, ?outbox=memory); echo, throughput, heap only.
  { id: 'impp-mem', file: 'protocol/impp.ts', page: 'impp', query: '?outbox=memory', skip: ['connect', 'fanout'] },
];
const UI = { 'ui-naive': 'ui/naive.ts', 'ui-impp': 'ui/impp.ts' };

const started = Date.now();
const log = (...a) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s]`, ...a);
const wall = () => performance.timeOrigin + performance.now();
const out = { date: new Date().toISOString(), config: CFG, phases: {}, noise: [], sizes: undefined, protocol: {}, ui: {}, notes: [] };
async function phase(name, fn) {
  const t0 = Date.now();
  log(`${name}…`);
  try { return await fn(); } catch (e) {
    out.notes.push(`${name} failed: ${String(e?.message ?? e).split('\n')[0]}`);
    log(`${name} FAILED:`, e?.message ?? e);
    return undefined;
  } finally { out.phases[name] = (Date.now() - t0) / 1000; }
}

ensureSystemPackages();
out.env = environment(root);
out.noise.push({ phase: 'start', ...noiseProbe() });
out.sizes = await phase('bundle sizes', measureSizes);

let prosody, watchers, server, browser, pagesDir;
try {
  // ---- Prosody, accounts (project script, in-band registration) and watcher rosters ----
  await phase('prosody + accounts', async () => {
    const t0 = performance.now();
    prosody = await startProsody({});
    out.protocol.prosodyStartMs = performance.now() - t0;
    const users = ['pub', ...LIBS.flatMap((l) => ['a', 'b', 'c', 'idle'].map((u) => `${u}_${l.id}`))];
    const t1 = performance.now();
    await Promise.all(users.map((u) => prosody.register(u, 'benchpw')));
    out.protocol.registerMs = performance.now() - t1;
    const w = Array.from({ length: CFG.watchers }, (_, i) => [`w${i}`, 'watchpw']);
    out.protocol.watcherSeedMs = await seedAccounts(prosody.base, prosody.host, w, 'pub');
    const t2 = performance.now();
    watchers = await startWatchers({ port: prosody.ports.c2s, domain: prosody.host, users: w, pub: ['pub', 'benchpw'], concurrency: 32, seeded: true });
    out.protocol.watcherLoginMs = performance.now() - t2;
    out.protocol.watchers = watchers.count;
    log(`prosody ${prosody.wsUrl}; ${users.length} accounts registered in-band in ${out.protocol.registerMs.toFixed(0)} ms; ` +
      `${watchers.count} watchers seeded in ${out.protocol.watcherSeedMs.toFixed(0)} ms, online in ${out.protocol.watcherLoginMs.toFixed(0)} ms`);
  });

  // ---- Browser pages ----
  await phase('build pages + chromium', async () => {
    const entries = Object.fromEntries([...LIBS.filter((l) => !l.page).map((l) => [l.id, join(root, 'bench', l.file)]), ...Object.entries(UI).map(([k, f]) => [k, join(root, 'bench', f)])]);
    pagesDir = (await buildPages(entries)).dir;
    server = await serve(pagesDir);
    browser = await launchChromium();
    out.env.chromium = browser.version();
  });

  if (prosody && browser) await phase('protocol', () => protocol());
  out.noise.push({ phase: 'after protocol', ...noiseProbe() });
  if (browser) await phase('ui', () => ui());
} finally {
  await browser?.close().catch(() => undefined);
  await server?.close();
  await watchers?.stop();
  await prosody?.stop();
  if (pagesDir) await removeDir(pagesDir);
}
out.noise.push({ phase: 'end', ...noiseProbe() });
out.totalSeconds = (Date.now() - started) / 1000;
const dir = join(root, 'bench', 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(out, null, 2)}\n`);
const md = renderMarkdown(out);
writeFileSync(join(dir, 'latest.md'), md);
console.log(`\n${md}`);
log(`done in ${out.totalSeconds.toFixed(0)} s → bench/results/latest.md, latest.json`);

// ---------------------------------------------------------------------------------------------
async function protocol() {
  const pages = [];
  for (const l of LIBS) {
    try {
      const { page, context } = await openPage(browser, `${server.url}/${l.page ?? l.id}.html${l.query ?? ''}`);
      const acc = (u) => [`${u}_${l.id}@${prosody.host}`, 'benchpw'];
      await page.evaluate((c) => globalThis.bench.setup(c), {
        service: prosody.wsUrl, accounts: { a: acc('a'), b: acc('b'), c: acc('c'), idle: acc('idle'), pub: [`pub@${prosody.host}`, 'benchpw'] },
      });
      if (!l.skip?.includes('fanout')) await page.evaluate((r) => globalThis.bench.fanoutSetup(r), `bench-${l.id}`);
      // Clock offset page↔node (wall clocks), from the tightest of 7 brackets.
      let best = { rtt: Infinity, offset: 0 };
      for (let i = 0; i < 7; i++) {
        const n0 = wall(); const b = await page.evaluate(() => globalThis.bench.wall()); const n1 = wall();
        if (n1 - n0 < best.rtt) best = { rtt: n1 - n0, offset: b - (n0 + n1) / 2 };
      }
      const r = { id: l.id, name: await page.evaluate(() => globalThis.bench.name), notes: await page.evaluate(() => globalThis.bench.notes()),
        connect: [], echo: [], fanout: [], fanoutFirst: [], throughput: [], errors: [], clock: best };
      pages.push({ ...l, page, context, r });
      out.protocol[l.id] = r;
      log(`  ${r.name}: ready (clock offset ${best.offset.toFixed(2)} ± ${(best.rtt / 2).toFixed(2)} ms)`);
    } catch (e) {
      out.protocol[l.id] = { id: l.id, error: String(e?.message ?? e).split('\n')[0] };
      log(`  ${l.id}: setup failed: ${e?.message ?? e}`);
    }
  }
  let seq = 0;
  let lastRoundMs = 0;
  for (let round = 0; round < CFG.rounds; round++) {
    if (Date.now() - started + lastRoundMs > CFG.protocolDeadlineMs) {
      out.notes.push(`protocol: stopped after ${round} of ${CFG.rounds} rounds to stay within 10 minutes (sample counts are lower than configured)`);
      break;
    }
    const roundStart = Date.now();
    const order = pages.map((_, i) => pages[(i + round) % pages.length]); // rotate who goes first
    for (const p of order) {
      const { page, r } = p;
      const step = async (what, fn) => { if (p.skip?.includes(what)) return; try { await fn(); } catch (e) { r.errors.push(`${what}: ${String(e?.message ?? e).split('\n')[0]}`); } };
      await step('connect', async () => r.connect.push(...await page.evaluate((n) => globalThis.bench.connect(n), CFG.connectPerRound)));
      await step('echo', async () => r.echo.push(...await page.evaluate((n) => globalThis.bench.echo(n), CFG.echoPerRound)));
      await step('fanout', async () => {
        for (let i = 0; i < CFG.fanoutPerRound; i++) {
          const token = `fan:${p.id}:${++seq}`;
          const got = watchers.waitFor(token, 10000);
          const tb = await page.evaluate((t) => globalThis.bench.fanout(t), token);
          const w = await got;
          const sent = tb - r.clock.offset;
          r.fanout.push(w.last - sent);
          r.fanoutFirst.push(w.first - sent);
        }
      });
      await step('throughput', async () => {
        const t = await page.evaluate((m) => globalThis.bench.throughput(m), CFG.throughputMessages);
        r.throughput.push({ ...t, perSecond: (t.received / t.ms) * 1000 });
      });
    }
    lastRoundMs = Date.now() - roundStart;
    log(`  round ${round + 1}/${CFG.rounds} done`);
  }
  // Heap per idle connection: CDP GC + heap usage around opening K more sessions.
  for (const { page, context, r } of pages) {
    try {
      const cdp = await context.newCDPSession(page);
      const used = async () => { await cdp.send('HeapProfiler.collectGarbage'); await cdp.send('HeapProfiler.collectGarbage'); return (await cdp.send('Runtime.getHeapUsage')).usedSize; };
      // Five warm-up idle sessions first, so compiled code and caches are not counted; then two
      // batches of K sessions, each measured after GC; the figure is the mean of the two slopes.
      await page.evaluate(() => globalThis.bench.idleOpen(5)); // warm-up: JIT code and caches
      const settle = () => new Promise((res) => setTimeout(res, 500)); // post-login traffic
      await settle();
      const h0 = await used();
      await page.evaluate((k) => globalThis.bench.idleOpen(k), CFG.idleConnections);
      await settle();
      const h1 = await used();
      await page.evaluate((k) => globalThis.bench.idleOpen(k), CFG.idleConnections);
      await settle();
      const h2 = await used();
      r.heapSlopes = [(h1 - h0) / CFG.idleConnections, (h2 - h1) / CFG.idleConnections];
      r.heapPerConnection = (h2 - h0) / (2 * CFG.idleConnections);
      r.heapConnections = 2 * CFG.idleConnections;
      await page.evaluate(() => globalThis.bench.idleClose());
      const t = await page.evaluate(() => globalThis.imppTimings ?? null);
      if (t) r.sessionAuthMs = summarize(t.slice(1).map((x) => x.authMs)); // first login derives the keys
      await page.evaluate(() => globalThis.bench.fanoutClose());
      await page.evaluate(() => globalThis.bench.teardown());
    } catch (e) {
      r.errors.push(`heap: ${String(e?.message ?? e).split('\n')[0]}`);
    }
    await context.close();
  }
  for (const { r } of pages) {
    r.stats = {
      connect: summarize(r.connect), echo: summarize(r.echo), fanout: summarize(r.fanout), fanoutFirst: summarize(r.fanoutFirst),
      throughput: summarize(r.throughput.filter((t) => t.complete).map((t) => t.perSecond)),
    };
  }
}

async function ui() {
  const pages = {};
  for (const id of Object.keys(UI)) pages[id] = (await openPage(browser, `${server.url}/${id}.html`, 'ui')).page;
  const res = { naive: { firstPaint: [] }, impp: { firstPaint: [], firstPaintDomRows: undefined, firstPaintWithStore: [] } };
  out.ui = res;
  res.idleFrames = summarize((await pages['ui-impp'].evaluate(() => globalThis.ui.idleFrames(2))).frames);
  for (let i = 0; i < CFG.firstPaintSamples; i++) { // interleaved
    res.naive.firstPaint.push(await pages['ui-naive'].evaluate((n) => globalThis.ui.firstPaint(n), CFG.contacts));
    const f = await pages['ui-impp'].evaluate((n) => globalThis.ui.firstPaint(n), CFG.contacts);
    res.impp.firstPaint.push(f.ms);
    res.impp.firstPaintDomRows = f.domRows;
    res.impp.firstPaintWithStore.push(await pages['ui-impp'].evaluate((n) => globalThis.ui.firstPaintWithStore(n), CFG.contacts));
  }
  log('  first paint done');
  for (const [k, id] of [['naive', 'ui-naive'], ['impp', 'ui-impp']]) {
    const s = await pages[id].evaluate(([n, ps, sec]) => globalThis.ui.presenceStorm(n, ps, sec), [CFG.contacts, CFG.stormPerSecond, CFG.stormSeconds]);
    res[k].storm = { frames: summarize(s.frames), longTasks: s.longTasks.length, longestTask: Math.max(0, ...s.longTasks), over50: s.longTasks.filter((d) => d > 50).length };
  }
  log('  presence storm done');
  for (const [k, id] of [['naive', 'ui-naive'], ['impp', 'ui-impp']]) {
    const r = await pages[id].evaluate(([n, b, max]) => globalThis.ui.inbox(n, b, true, max), [CFG.inboxMessages, CFG.inboxBatch, CFG.inboxMaxMs]);
    res[k].inbox = { ...r, perSecond: ((r.sent ?? r.rendered) / r.ms) * 1000 };
  }
  const storeOnly = await pages['ui-impp'].evaluate(([n, b, max]) => globalThis.ui.inbox(n, b, false, max), [CFG.inboxMessages, CFG.inboxBatch, CFG.inboxMaxMs]);
  res.impp.inboxStoreOnly = { ...storeOnly, perSecond: (storeOnly.sent / storeOnly.ms) * 1000 };
  log('  inbox done');
  for (const k of ['naive', 'impp']) res[k].firstPaintStats = summarize(res[k].firstPaint);
  res.impp.firstPaintWithStoreStats = summarize(res.impp.firstPaintWithStore);
}
