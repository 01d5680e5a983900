// `npm start`: the demo pages on http://127.0.0.1:8000/demo/ (PORT overrides; a busy port falls
// back to a free one). Node's http server plus esbuild: demo pages load `../dist/impp-kit.min.js`
// exactly as a user loads the CDN file, and in live mode that URL (and its dist/cdn/ chunks) is
// bundled from src/cdn.ts in memory, rebuilt incrementally on each page load. No build step,
// nothing written to disk; the only dependency is esbuild, a devDependency.
//
// Also importable: `startServer({ port: 0, live: false })` serves the real dist/ (the CDN test).
import { spawn } from 'node:child_process';
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** URL prefixes served from disk; everything else (src/, node_modules/, …) is a 404. */
const STATIC_ROOTS = ['/demo/', '/dist/', '/test/e2e/'];

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** In-memory esbuild bundle of src/cdn.ts, laid out like the rollup CDN build. */
async function liveBundle() {
  const outdir = join(root, 'dist');
  const ctx = await esbuild.context({
    absWorkingDir: root,
    entryPoints: { 'impp-kit.min': 'src/cdn.ts' },
    outdir,
    chunkNames: 'cdn/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // Lit's dev build warns about mistakes (e.g. class fields shadowing reactive properties).
    conditions: ['development'],
    tsconfig: 'tsconfig.json',
    sourcemap: 'linked',
    write: false,
    logLevel: 'silent',
  });
  const files = new Map();
  let pending;
  const rebuild = () => (pending ??= ctx.rebuild()
    .then((result) => {
      // Merge rather than replace: a page that got the previous entry may still ask for the
      // previous build's hashed chunks.
      for (const f of result.outputFiles) files.set(`/${f.path.slice(root.length + 1).split(sep).join('/')}`, f.contents);
      return { ok: true };
    })
    .catch(async (error) => {
      const text = (await esbuild.formatMessages(error.errors ?? [], { kind: 'error' })).join('\n') || String(error);
      console.error(`\n[impp-kit serve] build failed:\n${text}`);
      return { ok: false, text };
    })
    .finally(() => { pending = undefined; }));
  return {
    /** The entry triggers a rebuild (esbuild's incremental rebuild takes milliseconds). */
    async get(path) {
      if (path === '/dist/impp-kit.min.js' || !files.size) {
        const r = await rebuild();
        // A module that reports the error keeps the page's console and the terminal in sync.
        if (!r.ok && path.endsWith('.js')) return Buffer.from(`console.error(${JSON.stringify(`impp-kit dev server: build failed\n${r.text}`)});\n`);
      }
      return files.get(path);
    },
    dispose: () => ctx.dispose(),
  };
}

function send(res, status, body, type = 'text/plain; charset=utf-8') {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

function staticFile(urlPath) {
  const file = normalize(join(root, urlPath));
  // Checked after normalising, so an encoded `..%2f` cannot step out of the allowed folders.
  const rel = `/${file.slice(root.length + 1).split(sep).join('/')}${urlPath.endsWith('/') ? '/' : ''}`;
  if (!file.startsWith(root + sep) || !STATIC_ROOTS.some((p) => rel.startsWith(p))) return undefined;
  try {
    const s = statSync(file);
    if (s.isFile()) return file;
    if (s.isDirectory() && statSync(join(file, 'index.html')).isFile()) return join(file, 'index.html');
  } catch { /* missing */ }
  return undefined;
}

/**
 * Starts the dev server. Resolves once listening.
 * @param {{ port?: number, host?: string, live?: boolean }} [options] `port` 0 picks a free
 *   port; `live: false` serves dist/ from disk (run `npm run build` first).
 * @returns {Promise<{ url: string, port: number, close(): Promise<void> }>}
 */
export async function startServer({ port = Number(process.env.PORT ?? 8000), host = '127.0.0.1', live = true } = {}) {
  const bundle = live ? await liveBundle() : undefined;
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'GET only');
      // Browsers ask for it on every page; a 404 would be a console error in every test.
      if (path === '/favicon.ico') return send(res, 204, undefined);
      if (path === '/' || path === '/demo') {
        res.writeHead(302, { location: '/demo/' });
        return res.end();
      }
      // The live bundle (and its source maps) shadows whatever an earlier build left in dist/.
      if (bundle && (path.startsWith('/dist/impp-kit.min.js') || path.startsWith('/dist/cdn/'))) {
        const body = await bundle.get(path);
        if (body) return send(res, 200, req.method === 'HEAD' ? undefined : body, TYPES[extname(path)]);
        return send(res, 404, `Not found: ${path}`);
      }
      const file = staticFile(path);
      if (!file) return send(res, 404, `Not found: ${path}${path.startsWith('/dist/') ? ' (run `npm run build`)' : ''}`);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).pipe(res);
    } catch (error) {
      send(res, 500, String(error));
    }
  });
  const listen = (p) => new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(p, host, () => { server.off('error', fail); ok(); });
  });
  try {
    await listen(port);
  } catch (error) {
    if (error.code !== 'EADDRINUSE') throw error;
    console.warn(`[impp-kit serve] port ${port} is busy; using a free one`);
    await listen(0);
  }
  const actual = server.address().port;
  return {
    url: `http://${host}:${actual}/`,
    port: actual,
    async close() {
      server.closeAllConnections?.();
      await new Promise((ok) => server.close(() => ok()));
      await bundle?.dispose();
    },
  };
}

/** Best effort: a desktop session without CI gets a browser tab; anything failing is ignored. */
function openBrowser(url) {
  if (process.env.CI) return;
  const cmd = process.platform === 'darwin' ? ['open', url]
    : process.platform === 'win32' ? ['cmd', '/c', 'start', '', url]
    : process.env.DISPLAY || process.env.WAYLAND_DISPLAY ? ['xdg-open', url] : undefined;
  if (!cmd) return;
  try {
    const child = spawn(cmd[0], cmd.slice(1), { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch { /* no opener installed */ }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const live = !process.argv.includes('--dist');
  const server = await startServer({ live });
  const url = `${server.url}demo/`;
  console.log(`impp-kit demo: ${url}${live ? '' : ' (serving the built dist/)'}\nPress Ctrl+C to stop.`);
  if (!process.argv.includes('--no-open')) openBrowser(url);
  const stop = () => server.close().finally(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
