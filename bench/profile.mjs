// `node bench/profile.mjs storm|inbox|echo|connect`: a CPU profile of one scenario (unminified
// bundle), self time summed per function and source line: where the time goes when a target is
// missed. `heap`: retained size per constructor of one idle impp-kit XMPP client (snapshot diff).
import { buildPages, launchChromium, openPage, removeDir, root, serve } from './lib/browser.mjs';
import { startProsody } from '../scripts/prosody.mjs';
import { join } from 'node:path';

const what = process.argv[2] ?? 'storm';
const proto = what === 'echo' || what === 'connect' || what === 'heap';
const { dir } = await buildPages(proto ? { impp: join(root, 'bench/protocol/impp.ts') } : { 'ui-impp': join(root, 'bench/ui/impp.ts') }, { minify: false });
const server = await serve(dir);
const browser = await launchChromium();
const prosody = proto ? await startProsody({ users: ['a', 'b', 'c', 'idle', 'pub'].map((u) => [u, 'pw']) }) : undefined;
try {
  const { page, context } = await openPage(browser, `${server.url}/${proto ? 'impp' : 'ui-impp'}.html`, proto ? 'bench' : 'ui');
  const cdp = await context.newCDPSession(page);
  let frames = { sent: 0, received: 0 };
  if (proto) {
    const acc = (u) => [`${u}@localhost`, 'pw'];
    await page.evaluate((c) => globalThis.bench.setup(c), { service: prosody.wsUrl, accounts: { a: acc('a'), b: acc('b'), c: acc('c'), idle: acc('idle'), pub: acc('pub') } });
    await cdp.send('Network.enable');
    cdp.on('Network.webSocketFrameSent', () => frames.sent++);
    cdp.on('Network.webSocketFrameReceived', () => frames.received++);
  }
  if (what === 'heap') {
    // Heap snapshots before/after K idle sessions: retained self size per constructor, diffed.
    const K = 20;
    const snapshot = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      let json = '';
      const onChunk = (e) => { json += e.chunk; };
      cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
      await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
      const snap = JSON.parse(json);
      const f = snap.snapshot.meta.node_fields;
      const types = snap.snapshot.meta.node_types[0];
      const [ti, ni, si] = ['type', 'name', 'self_size'].map((k) => f.indexOf(k));
      const agg = new Map();
      for (let i = 0; i < snap.nodes.length; i += f.length) {
        const key = `${types[snap.nodes[i + ti]]}:${String(snap.strings[snap.nodes[i + ni]]).slice(0, 60)}`;
        const a = agg.get(key) ?? { n: 0, bytes: 0 };
        a.n++; a.bytes += snap.nodes[i + si];
        agg.set(key, a);
      }
      return agg;
    };
    await page.evaluate(() => globalThis.bench.idleOpen(1));
    const before = await snapshot();
    await page.evaluate((k) => globalThis.bench.idleOpen(k), K);
    await new Promise((r) => setTimeout(r, 500));
    const after = await snapshot();
    const diff = [...after].map(([k, a]) => [k, (a.bytes - (before.get(k)?.bytes ?? 0)) / K, (a.n - (before.get(k)?.n ?? 0)) / K]);
    const total = diff.reduce((t, d) => t + d[1], 0);
    console.log(`heap per idle session (snapshot diff / ${K}): ${(total / 1024).toFixed(1)} KB; top constructors:`);
    for (const [k, b, n] of diff.sort((x, y) => y[1] - x[1]).slice(0, 30)) console.log(`${(b / 1024).toFixed(2).padStart(8)} KB ${n.toFixed(1).padStart(7)} objects  ${k}`);
    await page.evaluate(() => globalThis.bench.teardown());
    process.exitCode = 0;
  } else {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const N = 100;
  const result = what === 'storm' ? await page.evaluate(() => globalThis.ui.presenceStorm(10000, 1000, 3).then((r) => ({ frames: r.frames.length, longTasks: r.longTasks.length })))
    : what === 'inbox' ? await page.evaluate(() => globalThis.ui.inbox(2000, 100, true, 20000))
    : what === 'connect' ? await page.evaluate((n) => globalThis.bench.connect(n).then((x) => x.length), N)
    : await page.evaluate((n) => globalThis.bench.echo(n).then((x) => x.length), N);
  const { profile } = await cdp.send('Profiler.stop');
  console.log(what, JSON.stringify(result));
  if (proto) console.log(`WebSocket frames per ${what} (all clients in the page): sent ${(frames.sent / N).toFixed(1)}, received ${(frames.received / N).toFixed(1)}`);
  const dt = new Map();
  const total = profile.timeDeltas.reduce((a, b) => a + b, 0);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (let i = 0; i < profile.samples.length; i++) {
    const n = byId.get(profile.samples[i]);
    const cf = n.callFrame;
    const file = cf.url.split('/').pop();
    const key = `${cf.functionName || '(anon)'} ${file ? `${file}:${cf.lineNumber + 1}` : ''}`;
    dt.set(key, (dt.get(key) ?? 0) + profile.timeDeltas[i]);
  }
  console.log(`total sampled ${(total / 1000).toFixed(0)} ms; top self time:`);
  for (const [k, v] of [...dt].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(v / 1000).toFixed(1).padStart(8)} ms  ${(100 * v / total).toFixed(1).padStart(5)} %  ${k}`);
  if (proto) await page.evaluate(() => globalThis.bench.teardown());
  }
} finally {
  await browser.close();
  await server.close();
  await prosody?.stop();
  await removeDir(dir);
}
