// Bundle sizes: impp-kit's rows come from scripts/size.mjs (its scenarios, its rollup+terser
// build); peers get a tiny entry each that connects, sends presence and a message, bundled the
// same way. Rollup alone cannot read CommonJS or JSON (no @rollup/plugin-commonjs / -json in this
// repo), so peers that ship those (xmpp.js via ltx, stanza, converse) are first flattened into
// one unminified ES module by esbuild, then go through the same rollup + terser + gzip -9.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { measure, SCENARIOS } from '../scripts/size.mjs';
import { BUNDLE_CONDITIONS } from '../rollup.config.mjs';
import { root } from './lib/browser.mjs';

/** impp-kit rows reported (names as in scripts/size.mjs) and the short label used here. */
const IMPP_ROWS = {
  'core + in-page': 'impp-kit core + in-page',
  'core + XMPP': 'impp-kit core + XMPP',
  'components + lit (core, rxjs external)': 'impp-kit components (lit incl., core external)',
  'CDN impp-kit.min.js (core, in-page, components)': 'impp-kit CDN initial (core, in-page, components)',
  'CDN full (incl. XMPP)': 'impp-kit CDN full (incl. XMPP)',
};
const TARGETS = { 'core + in-page': 15, 'CDN full (incl. XMPP)': 55 };

export const PEERS = [
  { name: '@xmpp/client', pkg: '@xmpp/client', flatten: true,
    code: `import { client, xml } from '@xmpp/client';
const x = client({ service: 'wss://example.com/xmpp', username: 'a', password: 'p' });
x.on('stanza', (s) => console.log(s.toString()));
x.start().then(() => { x.send(xml('presence')); x.send(xml('message', { to: 'b@example.com', type: 'chat' }, xml('body', {}, 'hi'))); });` },
  { name: 'strophe.js', pkg: 'strophe.js', flatten: false,
    code: `import { Strophe, $pres, $msg } from 'strophe.js';
const c = new Strophe.Connection('wss://example.com/xmpp');
c.addHandler((m) => { console.log(m); return true; }, null, 'message');
c.connect('a@example.com', 'p', (s) => { if (s === Strophe.Status.CONNECTED) { c.send($pres()); c.send($msg({ to: 'b@example.com', type: 'chat' }).c('body').t('hi')); } });` },
  { name: 'stanza', pkg: 'stanza', flatten: true,
    code: `import * as XMPP from 'stanza';
const c = XMPP.createClient({ jid: 'a@example.com', password: 'p', transports: { websocket: 'wss://example.com/xmpp', bosh: false } });
c.on('chat', (m) => console.log(m.body));
c.on('session:started', () => { c.sendPresence(); c.sendMessage({ to: 'b@example.com', body: 'hi' }); });
c.connect();` },
  { name: '@converse/headless', pkg: '@converse/headless', flatten: true, dist: 'dist/converse-headless.min.js',
    code: `import converse from '@converse/headless';
converse.initialize({ jid: 'a@example.com', password: 'p', websocket_url: 'wss://example.com/xmpp', auto_login: true });` },
];

/** Flattens a peer entry (CommonJS, JSON) into one ES module; rollup + terser do the rest. */
async function flatten(code, dir, name) {
  const outfile = join(dir, `${name.replace(/[^a-z0-9]+/gi, '_')}.mjs`);
  await esbuild.build({
    stdin: { contents: code, resolveDir: root, loader: 'js' },
    outfile, bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: false,
    conditions: BUNDLE_CONDITIONS, mainFields: ['browser', 'module', 'main'], treeShaking: true,
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    loader: { '.json': 'json' }, logLevel: 'silent',
    plugins: [{ name: 'empty-node', setup(b) {
      b.onResolve({ filter: /^node:/ }, (a) => ({ path: a.path, namespace: 'empty' }));
      b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export default {};' }));
    } }],
  });
  return `import ${JSON.stringify(outfile)};`;
}

/** Measures impp-kit's rows and the peers'; rows with `error` when a build failed. */
export async function measureSizes() {
  const dir = await mkdtemp(join(tmpdir(), 'impp-bench-size-'));
  try {
    const imppScenarios = SCENARIOS.filter((s) => s.name in IMPP_ROWS);
    const impp = (await measure(imppScenarios)).map((r) => ({
      name: IMPP_ROWS[r.name], source: r.name, lib: 'impp-kit', min: r.min, gzip: r.gzip, error: r.error,
      target: TARGETS[r.name], ok: TARGETS[r.name] === undefined ? undefined : r.gzip <= TARGETS[r.name] * 1024,
    }));
    const peers = [];
    for (const p of PEERS) {
      const version = (await import(join(root, 'node_modules', p.pkg, 'package.json'), { with: { type: 'json' } })).default.version;
      try {
        const code = p.flatten ? await flatten(p.code, dir, p.name) : p.code;
        const [r] = await measure([{ name: p.name, code }]);
        peers.push({ name: `${p.name} ${version}`, lib: p.name, version, min: r.min, gzip: r.gzip, error: r.error,
          method: p.flatten ? 'esbuild flatten → rollup + terser' : 'rollup + terser' });
      } catch (e) {
        const why = (e.errors ?? []).map((x) => `${x.text} (${x.location?.file ?? ''})`)[0] ?? String(e.message ?? e).split('\n')[0];
        if (p.dist) {
          // Fallback: the package's own prebuilt, minified browser bundle (not tree-shaken).
          const code = await readFile(join(root, 'node_modules', p.pkg, p.dist));
          peers.push({ name: `${p.name} ${version}`, lib: p.name, version, min: code.length, gzip: gzipSync(code, { level: 9 }).length,
            method: `prebuilt ${p.dist} (own bundling failed: ${why})` });
        } else {
          peers.push({ name: `${p.name} ${version}`, lib: p.name, version, error: why });
        }
      }
    }
    return { impp, peers };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await measureSizes(), null, 2));
