// Browser tests run in Debian's Chromium (never a downloaded browser).
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { findChromium } from './scripts/system-deps.mjs';
import { countReporter } from './scripts/wtr-count-reporter.mjs';
import { integrationPlugins } from './test/integration/wtr-plugins.mjs';

const executablePath = findChromium();
if (!executablePath) throw new Error('Chromium not found: run `npm test` (installs it) or apt-get install chromium');

export default {
  // The short soak (issue #6: N = 500 each way) runs as its own step of `npm test` (scripts/test.mjs);
  // `npm run soak` is the full one.
  files: ['src/**/*.test.ts', 'test/browser/**/*.test.ts', 'test/integration/**/*.test.ts', '!test/integration/soak.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'production'], browser: true },
  // One file at a time: a second file would run in a hidden tab (no animation frames, throttled timers).
  concurrency: 1,
  concurrentBrowsers: 1,
  testFramework: { config: { timeout: 20000 } },
  testsFinishTimeout: 600000,
  browserStartTimeout: 60000,
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.test.json' }), ...(await integrationPlugins())],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
          '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
          '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows'],
      },
    }),
  ],
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), countReporter('test-results/counts-browser.json')],
};
