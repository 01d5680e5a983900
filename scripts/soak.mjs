// `npm run soak`: the full soak of issue #6 — test/integration/soak.test.ts in Chromium with
// N = 10,000 messages each way (SOAK_N to change; SOAK_RATE messages/s per sender, default 20; SOAK_SEED for
// the chaos), through the fault proxy, with reloads and server restarts. Prints
//   lost=0 duplicated=0 kills=… reloads=… restarts=…
// from the figures the page posts (test-results/soak-result.json) and exits non-zero on failure.
// Loopback only; bounded in time (the run is stopped after SOAK_MAX_MIN minutes, default 40).
import { readFileSync, rmSync } from 'node:fs';
import { defaultReporter, startTestRunner } from '@web/test-runner';
import { ensureSystemPackages } from './system-deps.mjs';

ensureSystemPackages();
process.env.SOAK_N ??= '10000';
process.env.SOAK_FULL ??= '1';
process.env.SOAK_PROGRESS ??= '1';
const resultFile = (process.env.SOAK_RESULT ??= 'test-results/soak-result.json');
rmSync(resultFile, { force: true });
const maxMs = Number(process.env.SOAK_MAX_MIN ?? 40) * 60_000;

process.env.IMPP_PROSODY_READY_MS ??= '30000'; // restarts under load (read when the plugin loads prosody.mjs)
const { default: base } = await import('../web-test-runner.config.mjs');
const config = {
  ...base,
  files: ['test/integration/soak.test.ts'],
  concurrency: 1,
  testsFinishTimeout: maxMs,
  testFramework: { config: { timeout: maxMs } },
  reporters: [defaultReporter()],
  watch: false,
};

const t0 = Date.now();
const runner = await startTestRunner({ config, readFileConfig: false, readCliArgs: false, autoExitProcess: false });
if (!runner) {
  console.error('soak: web-test-runner did not start');
  process.exit(2);
}
const guard = setTimeout(() => {
  console.error(`soak: still running after ${maxMs / 60_000} min; stopping it`);
  void runner.stop();
}, maxMs + 60_000);
const passed = await new Promise((resolve) => runner.on('stopped', resolve));
clearTimeout(guard);

let r;
try {
  r = JSON.parse(readFileSync(resultFile, 'utf8'));
} catch {
  console.error(`soak: no figures (${resultFile}); the page did not get to the end`);
  process.exit(1);
}
const m = r.killsByMode ?? {};
console.log(`\nsoak: N=${r.n} each way at ${r.rate}/s per sender, ${r.durationS} s in the page (${Math.round((Date.now() - t0) / 1000)} s in all)`);
console.log(`lost=${r.lost} duplicated=${r.duplicated} reordered=${r.reordered} open=${r.open} failed=${r.failed} `
  + `kills=${r.kills} (close=${m.close} mid-frame=${m['mid-frame']} silent=${m.silent}) reloads=${r.reloads} restarts=${r.restarts} `
  + `reconnects=${r.reconnectAttempts} resumes=${r.resumes} new-sessions=${r.newSessions}`);
process.exit(passed && r.lost === 0 && r.duplicated === 0 ? 0 : 1);
