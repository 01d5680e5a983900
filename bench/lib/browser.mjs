// Bundles the browser bench pages with esbuild into a temp dir, serves them from a loopback-only
// HTTP server, and launches headless Chromium (playwright-core, system chromium).
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve, dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { findChromium } from '../../scripts/system-deps.mjs';
import { BUNDLE_CONDITIONS } from '../../rollup.config.mjs';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `node:*` imports (Node-only code paths of peers, e.g. @xmpp/resolve's DNS) become empty modules. */
const emptyNodeBuiltins = {
  name: 'empty-node-builtins',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (a) => ({ path: a.path, namespace: 'empty' }));
    b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export default {};', loader: 'js' }));
  },
};

/**
 * Bundles `entries` ({ name: absolute .ts path }) into one temp dir (minified, production
 * conditions, same decorator settings as the library build) and writes `<name>.html` for each.
 */
export async function buildPages(entries, { minify = true } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'impp-bench-'));
  const result = await esbuild.build({
    entryPoints: entries,
    outdir: dir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify,
    conditions: BUNDLE_CONDITIONS,
    mainFields: ['browser', 'module', 'main'],
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } },
    logLevel: 'silent',
    metafile: true,
    plugins: [emptyNodeBuiltins],
  });
  for (const name of Object.keys(entries)) {
    await writeFile(join(dir, `${name}.html`),
      `<!doctype html><meta charset="utf-8"><title>${name}</title><body><script type="module" src="./${name}.js"></script></body>`);
  }
  return { dir, warnings: result.warnings };
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

/** Static server on 127.0.0.1 (random port) for `dir`. */
export async function serve(dir) {
  const server = createServer(async (req, res) => {
    const path = join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!path.startsWith(dir)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(path);
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}

/** Headless Chromium; loopback only (no proxy, no component updates, no background networking). */
export async function launchChromium() {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('chromium not found (apt-get install chromium, or set CHROME_PATH)');
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-proxy-server',
      '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows',
      '--js-flags=--expose-gc'],
  });
}

/** Opens `url` in a fresh context, waits until `window[global]` exists. */
export async function openPage(browser, url, global = 'bench') {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction((g) => g in window, global, { timeout: 15000 }).catch((e) => {
    throw new Error(`${url}: ${errors.join('; ') || e.message}`);
  });
  return { page, context, errors };
}

export async function removeDir(dir) {
  await rm(dir, { recursive: true, force: true });
}
