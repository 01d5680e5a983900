// `node bench/chat.mjs [n] [--profile]`: <impp-chat> render cost in headless Chromium (see
// bench/ui/chat.ts). A live chat of n messages (default 2,000; one per task, a third of them
// ours, each of ours delivered then read), then the bench's inbox scenario (10,000 messages,
// 100 per task, ≤ 20 s). Prints Chromium's main-thread split (script, style, layout) of the live
// run, and with --profile the functions with the most self time.
import { resolve } from 'node:path';
import { buildPages, launchChromium, openPage, removeDir, root, serve } from './lib/browser.mjs';

const n = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 2000);
const profile = process.argv.includes('--profile');
const { dir } = await buildPages({ chat: resolve(root, 'bench/ui/chat.ts') }, { minify: !profile });
const server = await serve(dir);
const browser = await launchChromium();
try {
  const { page, context } = await openPage(browser, `${server.url}/chat.html`, 'chat');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  await page.evaluate(() => globalThis.chat.live(200)); // warm-up
  if (profile) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  const m0 = await metrics();
  console.log('live', JSON.stringify(await page.evaluate((k) => globalThis.chat.live(k), n)));
  const m1 = await metrics();
  const ms = (k) => Math.round((m1[k] - m0[k]) * 1000);
  console.log(`  main thread ms: task ${ms('TaskDuration')}, script ${ms('ScriptDuration')}, style ${ms('RecalcStyleDuration')} (${m1.RecalcStyleCount - m0.RecalcStyleCount}×), layout ${ms('LayoutDuration')} (${m1.LayoutCount - m0.LayoutCount}×)`);
  if (profile) {
    const { profile: p } = await cdp.send('Profiler.stop');
    const self = new Map();
    const dt = new Map(p.nodes.map((x) => [x.id, 0]));
    p.samples.forEach((id, i) => dt.set(id, dt.get(id) + (p.timeDeltas[i] ?? 0)));
    for (const x of p.nodes) {
      const cf = x.callFrame;
      const k = `${cf.functionName || '(anon)'} ${cf.url.split('/').pop()}:${cf.lineNumber + 1}`;
      self.set(k, (self.get(k) ?? 0) + dt.get(x.id));
    }
    for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  }
  console.log('inbox', JSON.stringify(await page.evaluate(() => globalThis.chat.inbox(10_000, 100))));
} finally {
  await browser.close();
  await server.close();
  await removeDir(dir);
}
