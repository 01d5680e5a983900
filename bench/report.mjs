// Markdown for bench/results/latest.md: every figure beside the peers' from the same run, with ratios.
const f = (x, d = 1) => (x === undefined || x === null || Number.isNaN(x) ? '–' : x.toFixed(d));
const kb = (b) => (b === undefined ? '–' : (b / 1024).toFixed(1));
const ratio = (a, b) => (a === undefined || b === undefined || !b ? '–' : `${(a / b).toFixed(2)}×`);
const verdict = (ok) => (ok === undefined ? '' : ok ? '**met**' : '**missed**');

/** Evaluates the issue's targets against a result object; used by the table and the summary. */
export function targets(o) {
  const sz = Object.fromEntries((o.sizes?.impp ?? []).map((r) => [r.source, r]));
  const P = o.protocol ?? {};
  const raw = P.raw?.stats, im = P.impp?.stats;
  const U = o.ui ?? {};
  const t = [];
  const add = (name, value, target, ok, why = '') => t.push({ name, value, target, ok, why });
  const ip = sz['core + in-page'];
  add('core + in-page ≤ 15 KB min+gz', ip && `${kb(ip.gzip)} KB`, '15 KB', ip && !ip.error ? ip.gzip <= 15 * 1024 : undefined);
  const full = sz['CDN full (incl. XMPP)'];
  add('full bundle incl. XMPP ≤ 55 KB min+gz', full && `${kb(full.gzip)} KB`, '55 KB', full && !full.error ? full.gzip <= 55 * 1024 : undefined);
  if (raw?.echo?.n && im?.echo?.n) add('echo RTT ≤ 1.1× raw floor (median)', `${f(im.echo.median)} ms vs ${f(raw.echo.median)} ms = ${ratio(im.echo.median, raw.echo.median)}`, '1.1×', im.echo.median <= 1.1 * raw.echo.median);
  if (im?.connect?.n) add('SCRAM connect ≤ 10 ms (median, keys cached)', `${f(im.connect.median)} ms (SASL step alone ${f(P.impp?.sessionAuthMs?.median)} ms)`, '10 ms', im.connect.median <= 10);
  if (P.impp?.heapPerConnection !== undefined) add('heap per idle connection ≤ 20 KB', `${kb(P.impp.heapPerConnection)} KB`, '20 KB', P.impp.heapPerConnection <= 20 * 1024);
  if (U.impp?.firstPaintStats?.n) add('<impp-buddy-list> first paint, 10,000 contacts ≤ 100 ms (median)', `${f(U.impp.firstPaintStats.median)} ms`, '100 ms', U.impp.firstPaintStats.median <= 100);
  if (U.impp?.storm) {
    add('frame time p95 < 16 ms during 1,000 presence changes/s', `${f(U.impp.storm.frames.p95)} ms`, '< 16 ms', U.impp.storm.frames.p95 < 16);
    add('no long task > 50 ms during the storm', `${U.impp.storm.over50} long tasks > 50 ms (longest ${f(U.impp.storm.longestTask, 0)} ms)`, '0', U.impp.storm.over50 === 0);
  }
  return t;
}

export function renderMarkdown(o) {
  const L = [];
  const e = o.env ?? {};
  L.push(`## Performance`, '', `Run ${o.date} · total ${f(o.totalSeconds, 0)} s · \`npm run bench\``, '');
  L.push(`Machine: ${e.cpu} × ${e.cores} cores, ${e.memGB} GB, ${e.os} (${e.kernel}) · Node ${e.node} · Chromium ${e.chromium ?? '–'} (headless) · Prosody ${e.prosody ?? '–'}`, '');
  L.push('Noise probe (fixed JS workload, 25 runs): ' + (o.noise ?? []).map((n) => `${n.phase}: median ${f(n.medianMs)} ms, CV ${f(n.cvPct, 0)} %, load ${f(n.loadavg1)}`).join(' · '), '');

  // Sizes
  const s = o.sizes;
  if (s) {
    const base = s.impp.find((r) => r.source === 'core + XMPP');
    L.push('### Bundle size (min+gzip, rollup + terser, tiny entry per feature)', '');
    L.push('| Bundle | min KB | min+gz KB | × impp-kit core + XMPP | target |', '|---|---:|---:|---:|---|');
    for (const r of [...s.impp, ...s.peers]) {
      L.push(`| ${r.name}${r.method && r.method !== 'rollup + terser' ? ` ¹` : ''} | ${r.error ? 'error' : kb(r.min)} | ${r.error ? r.error : kb(r.gzip)} | ${ratio(r.gzip, base?.gzip)} | ${r.target ? `≤ ${r.target} KB ${verdict(r.ok)}` : ''} |`);
    }
    const methods = s.peers.filter((r) => r.method && r.method !== 'rollup + terser').map((r) => `${r.name}: ${r.method}`);
    if (methods.length) L.push('', `¹ ${methods.join('; ')}.`);
    L.push('');
  }

  // Protocol
  const P = o.protocol ?? {};
  const ids = ['raw', 'impp', 'impp-mem', 'xmppjs', 'stanza', 'strophe'].filter((id) => P[id]);
  if (ids.length) {
    L.push(`### Protocol speed (headless Chromium ↔ Prosody on loopback, same run, interleaved)`, '');
    const table = (title, unit, get, d = 1, higherBetter = false) => {
      L.push(`**${title}**`, '', `| Library | median ${unit} | p95 ${unit} | n | × raw floor | × impp-kit |`, '|---|---:|---:|---:|---:|---:|');
      const v = (id) => get(P[id]);
      for (const id of ids) {
        const r = P[id];
        if (r.error) { L.push(`| ${id} | setup failed: ${r.error} | | | | |`); continue; }
        const x = v(id);
        if (!x?.n) continue;
        L.push(`| ${r.name} | ${f(x?.median, d)} | ${f(x?.p95, d)} | ${x?.n ?? 0} | ${ratio(x?.median, v('raw')?.median)} | ${ratio(x?.median, v('impp')?.median)} |`);
      }
      L.push(higherBetter ? '\n(higher is better)\n' : '');
    };
    table('Connect + SCRAM auth + bind/online (new client each time)', 'ms', (r) => r?.stats?.connect);
    table('Echo round trip A → B → A (B echoes with the same library)', 'ms', (r) => r?.stats?.echo, 2);
    table(`Presence fan-out: set presence → last of ${P.watchers ?? '?'} watchers received it`, 'ms', (r) => r?.stats?.fanout);
    table(`Presence fan-out: … → first watcher received it`, 'ms', (r) => r?.stats?.fanoutFirst, 2);
    table(`Sustained messages/s (${o.config?.throughputMessages} back-to-back A → B, per round)`, 'msg/s', (r) => r?.stats?.throughput, 0, true);
    L.push('**Heap per idle connection** (CDP heap after GC, around opening 2 batches of sessions; per-batch figures in brackets)', '', '| Library | KB per connection | connections | × raw floor | × impp-kit |', '|---|---:|---:|---:|---:|');
    for (const id of ids) {
      const r = P[id];
      if (r.error) continue;
      L.push(`| ${r.name} | ${kb(r.heapPerConnection)}${r.heapSlopes ? ` (${r.heapSlopes.map(kb).join(', ')})` : ''} | ${r.heapConnections ?? '–'} | ${ratio(r.heapPerConnection, P.raw?.heapPerConnection)} | ${ratio(r.heapPerConnection, P.impp?.heapPerConnection)} |`);
    }
    L.push('', `Setup: Prosody ready in ${f(P.prosodyStartMs, 0)} ms; bench accounts registered in-band in ${f(P.registerMs, 0)} ms; ${P.watchers} watcher accounts + rosters written to Prosody's storage in ${f(P.watcherSeedMs, 0)} ms, logged in (PLAIN over c2s TCP, worker thread) in ${f(P.watcherLoginMs, 0)} ms.`, '');
    for (const id of ids) {
      const r = P[id];
      if (r.notes?.length || r.errors?.length) L.push(`- ${r.name ?? id}: ${[...(r.notes ?? []), ...(r.errors ?? []).map((x) => `error: ${x}`)].join('; ')}`);
    }
    L.push('');
  }

  // UI
  const U = o.ui ?? {};
  if (U.impp) {
    L.push(`### UI speed (headless Chromium; idle page frame interval median ${f(U.idleFrames?.median)} ms)`, '');
    L.push('| Metric | naive list (floor) | impp-kit | impp-kit ÷ floor |', '|---|---:|---:|---:|');
    const row = (m, a, b, d = 1) => L.push(`| ${m} | ${f(a, d)} | ${f(b, d)} | ${ratio(b, a)} |`);
    row(`First paint, ${o.config.contacts} contacts, median of ${U.impp.firstPaintStats?.n} (ms)`, U.naive.firstPaintStats?.median, U.impp.firstPaintStats?.median);
    L.push(`| …impp-kit incl. filling the client store (roster + presence events), ms | | ${f(U.impp.firstPaintWithStoreStats?.median)} | |`);
    row(`Frame interval median during ${o.config.stormPerSecond} presence changes/s for ${o.config.stormSeconds} s (ms)`, U.naive.storm?.frames.median, U.impp.storm?.frames.median);
    row('Frame interval p95 (ms)', U.naive.storm?.frames.p95, U.impp.storm?.frames.p95);
    row('Long tasks > 50 ms (count)', U.naive.storm?.over50, U.impp.storm?.over50, 0);
    row('Longest task (ms)', U.naive.storm?.longestTask, U.impp.storm?.longestTask, 0);
    row(`Inbox → rendered chat, messages/s (${o.config.inboxMessages} messages, ${o.config.inboxBatch} per task)`, U.naive.inbox?.perSecond, U.impp.inbox?.perSecond, 0);
    L.push(`| …messages rendered within the ${o.config.inboxMaxMs / 1000} s bound | ${U.naive.inbox?.rendered ?? '–'} | ${U.impp.inbox?.sent ?? '–'} | |`);
    L.push(`| …impp-kit store only (inbox$ + conversation, no element), messages/s | | ${f(U.impp.inboxStoreOnly?.perSecond, 0)} | |`);
    L.push('', `impp-kit DOM rows after first paint: ${U.impp.firstPaintDomRows} (virtualised). Naive floor: one DOM row per contact / message, text updated in place.`, '');
  }

  // Targets
  L.push('### Targets', '', '| Target | measured | verdict |', '|---|---|---|');
  for (const t of targets(o)) L.push(`| ${t.name} | ${t.value ?? '–'} | ${verdict(t.ok)} |`);
  L.push('');
  if (o.notes?.length) L.push('Notes:', ...o.notes.map((n) => `- ${n}`), '');
  L.push(`Phases (s): ${Object.entries(o.phases ?? {}).map(([k, v]) => `${k} ${f(v)}`).join(' · ')}`, '');
  return `${L.join('\n')}\n`;
}
