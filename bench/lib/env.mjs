// Environment and machine-noise probe, recorded with every run so numbers can be judged.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, release } from 'node:os';
import { summarize } from './stats.mjs';

const tryRun = (cmd, args) => { try { return execFileSync(cmd, args, { encoding: 'utf8', timeout: 5000 }).trim(); } catch { return undefined; } };
const pkgVersion = (root, name) => { try { return JSON.parse(readFileSync(`${root}/node_modules/${name}/package.json`, 'utf8')).version; } catch { return undefined; } };

/** CPU, memory, OS and tool versions. (`prosody --version` can hang; the package version is asked instead.) */
export function environment(root) {
  const c = cpus();
  let os;
  try { os = /PRETTY_NAME="([^"]*)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1]; } catch { /* not Linux */ }
  return {
    cpu: c[0]?.model, cores: c.length, memGB: Math.round(totalmem() / 2 ** 30), os, kernel: release(),
    node: process.version,
    prosody: tryRun('dpkg-query', ['-W', '-f=${Version}', 'prosody']),
    packages: Object.fromEntries(['rollup', '@rollup/plugin-terser', 'esbuild', 'playwright-core', '@xmpp/client', 'strophe.js', 'stanza', '@converse/headless', 'lit', 'rxjs']
      .map((n) => [n, pkgVersion(root, n)])),
  };
}

/**
 * Noise probe: the same fixed CPU-bound JS workload `runs` times. A high spread (CV) or a
 * load average above the core count means other processes competed for the CPU during the run.
 */
export function noiseProbe(runs = 25) {
  const times = [];
  let sink = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    let x = 0;
    for (let i = 0; i < 3_000_000; i++) x = (x + Math.imul(i, 2654435761)) | 0;
    sink ^= x;
    times.push(performance.now() - t0);
  }
  const s = summarize(times);
  const sd = Math.sqrt(times.reduce((a, t) => a + (t - s.mean) ** 2, 0) / times.length);
  return { at: new Date().toISOString(), loadavg1: loadavg()[0], medianMs: s.median, p95Ms: s.p95, cvPct: (100 * sd) / s.mean, sink: sink & 1 };
}
