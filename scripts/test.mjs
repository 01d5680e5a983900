// `npm test`: installs missing system packages (root + apt-get), then runs every suite and
// ends with one line "N passed, N failed" summing them all. Exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSystemPackages } from './system-deps.mjs';

ensureSystemPackages();
const results = 'test-results';
mkdirSync(results, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const bin = (name) => `node_modules/.bin/${name}`;

/** `*.test.ts` files under `dir`, sorted (Node 20's --test does not expand globs itself). */
function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.test.ts'))
    .map((d) => join(d.parentPath ?? d.path, d.name))
    .sort();
}

function readCounts(file) {
  try { return JSON.parse(readFileSync(file, 'utf8').trim().split('\n').pop()); } catch { return undefined; }
}

function suite(name, cmd, args, countsFile) {
  console.log(`\n=== ${name} ===`);
  if (countsFile) rmSync(countsFile, { force: true });
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  const counts = countsFile ? readCounts(countsFile) : { passed: r.status === 0 ? 1 : 0, failed: r.status === 0 ? 0 : 1, skipped: 0 };
  if (!counts) {
    console.log(`${name}: produced no counts (exit ${r.status}); counted as 1 failure`);
    totals.failed++;
    return;
  }
  // A runner that exits non-zero with no failing test (crash, load error) still fails the run.
  if (r.status !== 0 && counts.failed === 0) counts.failed = 1;
  totals.passed += counts.passed; totals.failed += counts.failed; totals.skipped += counts.skipped;
  console.log(`${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

suite('typecheck (tsc --strict)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
suite('node unit tests', process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=./scripts/node-count-reporter.mjs', `--test-reporter-destination=${results}/counts-node.json`,
  ...testFiles('test/node')], `${results}/counts-node.json`);
suite('browser tests (Chromium)', bin('web-test-runner'), [], `${results}/counts-browser.json`);

// Issue #6: the short soak — 500 messages each way through the fault proxy (a link killed every
// 50–500 ms), 2 reloads, 1 Prosody restart — in Chromium, on its own (one page at a time).
suite('short soak (issue #6, N = 500 each way)', bin('web-test-runner'), ['--files', 'test/integration/soak.test.ts'],
  `${results}/counts-browser.json`);
if (existsSync('test/e2e')) {
  suite('end-to-end (playwright-core + Chromium)', process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/node-count-reporter.mjs', `--test-reporter-destination=${results}/counts-e2e.json`,
    ...testFiles('test/e2e')], `${results}/counts-e2e.json`);
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed > 0 ? 1 : 0);
