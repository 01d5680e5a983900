// Diagnostic: a CPU profile of the test page, over the Chrome DevTools Protocol (the soak's
// SOAK_PROFILE=1 takes one while the backlog drains). The page calls
//   executeServerCommand('impp-profile', { action: 'start' })  … { action: 'stop' }
// and gets back the functions that took the most self time; the whole profile goes to
// test-results/soak-profile.cpuprofile (open it in Chromium's DevTools, Performance tab).
import { mkdir, writeFile } from 'node:fs/promises';

export function profilePlugin() {
  const running = new Map();
  return {
    name: 'impp-profile',
    async executeCommand({ command, payload, session }) {
      if (command !== 'impp-profile') return undefined;
      const page = session.browser.getPage?.(session.id);
      if (!page) return { error: 'no page (not Chromium?)' };
      if (payload?.action === 'start') {
        const cdp = await page.target().createCDPSession();
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
        await cdp.send('Profiler.start');
        running.set(session.id, cdp);
        return { started: true };
      }
      const cdp = running.get(session.id);
      if (!cdp) return { error: 'not started' };
      running.delete(session.id);
      const { profile } = await cdp.send('Profiler.stop');
      await cdp.detach().catch(() => undefined);
      await mkdir('test-results', { recursive: true });
      await writeFile('test-results/soak-profile.cpuprofile', JSON.stringify(profile));
      return { top: summarize(profile, payload?.top ?? 30) };
    },
  };
}

/** Self time per function (name, file, line), largest first, as printable lines. */
function summarize(profile, top) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = deltas[i + 1] ?? 0;
    total += dt;
    const f = byId.get(id)?.callFrame;
    const key = f ? `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/\/[^/]+/, '').replace(/\?.*$/, '')}:${f.lineNumber + 1}` : '?';
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  return [`total ${Math.round(total / 1000)} ms sampled`, ...[...self].sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([k, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`)];
}
