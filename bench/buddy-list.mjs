// `node bench/buddy-list.mjs`: the <impp-buddy-list> part of the UI bench alone (~20 s): first
// paint of 10,000 contacts, then a presence storm (1,000 changes/s) with rAF intervals, long
// tasks, the element's per-update cost (willUpdate + render + commit) and main-thread time.
//   SAMPLES=10 STORM_S=10 node bench/buddy-list.mjs
import { join } from 'node:path';
import { buildPages, launchChromium, openPage, removeDir, root, serve } from './lib/browser.mjs';
import { round, summarize } from './lib/stats.mjs';

const N = 10_000;
const SAMPLES = Number(process.env.SAMPLES ?? 5);
const STORM_S = Number(process.env.STORM_S ?? 5);
const brief = (xs) => { const s = summarize(xs); return { n: s.n, median: round(s.median, 1), p95: round(s.p95, 1), max: round(s.max, 1) }; };

const { dir } = await buildPages({ 'ui-impp': join(root, 'bench/ui/impp.ts') });
const server = await serve(dir);
const browser = await launchChromium();
try {
  const { page, context } = await openPage(browser, `${server.url}/ui-impp.html`, 'ui');
  const firstPaint = [];
  let domRows;
  for (let i = 0; i < SAMPLES; i++) {
    const f = await page.evaluate((n) => globalThis.ui.firstPaint(n), N);
    firstPaint.push(f.ms);
    domRows = f.domRows;
  }
  await page.evaluate(() => {
    const C = customElements.get('impp-buddy-list');
    const perform = C.prototype.performUpdate;
    globalThis.updateMs = [];
    C.prototype.performUpdate = function () {
      const t = performance.now();
      perform.call(this);
      globalThis.updateMs.push(performance.now() - t);
    };
  });
  await page.evaluate(() => globalThis.ui.presenceStorm(10_000, 1000, 1)); // warm-up
  await page.evaluate(() => (globalThis.updateMs = []));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const m0 = await metrics();
  const storm = await page.evaluate(([n, s]) => globalThis.ui.presenceStorm(n, 1000, s), [N, STORM_S]);
  const m1 = await metrics();
  const updateMs = (await page.evaluate(() => globalThis.updateMs)).slice(1); // the first one mounts
  const ms = (k) => Math.round((m1[k] - m0[k]) * 1000);
  console.log(JSON.stringify({
    contacts: N,
    firstPaintMs: brief(firstPaint),
    domRows,
    storm: {
      seconds: STORM_S,
      frameMs: brief(storm.frames),
      longTasks: storm.longTasks.length,
      longestTaskMs: Math.max(0, ...storm.longTasks),
      updateMs: brief(updateMs),
      mainThreadMs: { task: ms('TaskDuration'), script: ms('ScriptDuration'), layout: ms('LayoutDuration'), style: ms('RecalcStyleDuration') },
    },
  }, null, 1));
} finally {
  await browser.close();
  await server.close();
  await removeDir(dir);
}
