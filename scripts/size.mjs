// `npm run size [-- --check]`: what a user pays, in bytes, for each feature. Each row bundles a
// tiny entry the way an app would (rollup + node-resolve + esbuild + terser, tree-shaken), with
// `impp-kit/*` aliased to src/ so no build is needed. Prints min and min+gzip (level 9) sizes,
// writes test-results/size.json, and with --check exits 1 when a budget is missed. --verbose
// lists the biggest contributors of each row.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import { bundlePlugins, LIBRARY_ENTRIES } from '../rollup.config.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const KB = 1024;

/** `impp-kit` and `impp-kit/<subpath>` → the TypeScript source of that package export. */
const SUBPATHS = Object.fromEntries(Object.entries(LIBRARY_ENTRIES)
  .map(([name, src]) => [name === 'index' ? 'impp-kit' : `impp-kit/${name}`, resolve(root, src)]));
SUBPATHS['impp-kit/impp-kit.min.js'] = resolve(root, 'src/cdn.ts');

function alias() {
  return {
    name: 'impp-kit-alias',
    resolveId(id) {
      if (!(id in SUBPATHS)) return null;
      if (!existsSync(SUBPATHS[id])) throw new Error(`${id} → ${SUBPATHS[id]}: source not written yet`);
      return SUBPATHS[id];
    },
  };
}

const ENTRY = '\0size-entry.js';
function virtualEntry(code) {
  return { name: 'size-entry', resolveId: (id) => (id === ENTRY ? ENTRY : null), load: (id) => (id === ENTRY ? code : null) };
}

const coreDir = resolve(root, 'src/core') + sep;
/** Core and RxJS are counted in the core rows; "components + lit" is what the elements add. */
const coreExternal = (id, _importer, isResolved) =>
  id === 'rxjs' || id.startsWith('rxjs/') || (isResolved && id.startsWith(coreDir));

/**
 * One row per feature. `budget` is KB of min+gzip; rows without one are informational.
 *
 * Which output chunks a row counts (`files`): by default (`'used'`) the entry, its static
 * imports and every lazy chunk that is not an opt-in feature — those load at startup or first
 * render anyway (e.g. idb for the durable outbox). Lazy chunks of opt-in
 * features ({@link OPTIONAL}: rooms, XMPP) are listed but not counted. `'xmpp'` counts only the
 * XMPP chunks, `'all'` every chunk.
 */
export const SCENARIOS = [
  {
    name: 'core + in-page',
    budget: 15,
    code: `import { createClient } from 'impp-kit';
import { inPage } from 'impp-kit/transports/in-page';
createClient({ transport: inPage({ user: 'a' }) });`,
  },
  {
    // Informational: what a bundler that does not ask for RxJS's `es2015` build (Vite, esbuild,
    // webpack defaults) ships for the same entry.
    name: 'core + in-page, default conditions',
    code: `import { createClient } from 'impp-kit';
import { inPage } from 'impp-kit/transports/in-page';
createClient({ transport: inPage({ user: 'a' }) });`,
    conditions: ['browser', 'module', 'import', 'default'],
  },
  {
    name: 'core + XMPP',
    code: `import { createClient } from 'impp-kit';
import { xmppWebSocket } from 'impp-kit/transports/xmpp';
createClient({ transport: xmppWebSocket({ service: 'wss://example.com/xmpp', jid: 'a@example.com', password: 'p' }) });`,
  },
  { name: 'codecs (all)', code: `export * from 'impp-kit/codecs';` },
  {
    name: 'components + lit (core, rxjs external)',
    budget: 15,
    code: `import 'impp-kit/define';`,
    external: coreExternal,
  },
  { name: 'components + lit + core + in-page', code: `import 'impp-kit/define';` },
  { name: 'CDN impp-kit.min.js (core, in-page, components)', budget: 30, code: `export * from 'impp-kit/impp-kit.min.js';` },
  { name: 'CDN XMPP chunk (lazy)', code: `export * from 'impp-kit/impp-kit.min.js';`, files: 'xmpp' },
  // What a page with <impp-client transport="xmpp"> fetches: the CDN file, the XMPP loader, the
  // sign-in form and the XMPP chunk (not the presence/session elements unless it uses them).
  { name: 'CDN + XMPP (an XMPP page)', budget: 55, code: `export * from 'impp-kit/impp-kit.min.js';`, files: 'xmpp-page' },
  { name: 'CDN, every chunk', code: `export * from 'impp-kit/impp-kit.min.js';`, files: 'all' },
];

const builds = new Map();
const externalIds = new Map();
/** Bundles one entry (cached, since the three CDN rows share a build). */
function build(code, external, conditions) {
  if (external && !externalIds.has(external)) externalIds.set(external, externalIds.size + 1);
  const key = `${code}\n${externalIds.get(external) ?? 0}\n${conditions ?? ''}`;
  if (!builds.has(key)) {
    builds.set(key, (async () => {
      const bundle = await rollup({
        input: ENTRY,
        external,
        preserveEntrySignatures: 'allow-extension', // as the CDN build: no facade chunk
        plugins: [virtualEntry(code), alias(), ...bundlePlugins(conditions ? { conditions } : {})],
        onwarn: (w, warn) => (w.code === 'CIRCULAR_DEPENDENCY' ? undefined : warn(w)),
      });
      try {
        const { output } = await bundle.generate({ format: 'es', entryFileNames: 'entry.js', chunkFileNames: 'cdn/[name]-[hash].js', sourcemap: false });
        return output.filter((o) => o.type === 'chunk');
      } finally {
        await bundle.close();
      }
    })());
  }
  return builds.get(key);
}

/**
 * `import()` targets of opt-in features: the lazy chunk made for one is fetched only when the
 * page uses the feature. Judged by the chunk's facade (the module the `import()` names), not by
 * what the chunk holds: a chunk made for `import('core/index.js')` may hold rooms code, yet
 * every `<impp-client transport="…">` fetches it.
 */
const OPTIONAL = [/^src\/core\/transports\/xmpp\/index\.ts$/, /^src\/core\/transports\/in-page\/rooms\.ts$/,
  // Elements registered on first use (define-all.ts → defineOnUse): fetched only by pages that use the tag.
  /^src\/components\/(presence|session|sign-in)\/define\.ts$/,
  // <impp-client transport="xmpp">'s loader (it then imports the XMPP chunk): fetched only for that transport.
  /^src\/components\/client\/xmpp-loader\.ts$/];
const XMPP = /^src\/core\/transports\/xmpp\//;
const relative = (id) => (id.startsWith(root) ? id.slice(root.length + 1).split(sep).join('/') : id);
const holds = (c, re) => Object.keys(c.modules).some((id) => re.test(relative(id)));

/**
 * Splits chunks into `initial` (entry + static imports), `lazy` (fetched anyway: reached from
 * the initial chunks by import() without passing an opt-in feature's chunk) and `optional`
 * (an opt-in feature's chunk, or only reached through one, like code the XMPP chunk shares with
 * the session element).
 */
function classify(chunks, include = []) {
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  const optional = (c) => c.facadeModuleId != null && OPTIONAL.some((re) => re.test(relative(c.facadeModuleId)))
    && !include.some((re) => re.test(relative(c.facadeModuleId)));
  const initial = new Set();
  const visit = (c) => { if (c && !initial.has(c)) { initial.add(c); c.imports.forEach((f) => visit(byName.get(f))); } };
  chunks.filter((c) => c.isEntry).forEach(visit);
  const used = new Set();
  const reach = (c) => {
    if (!c || used.has(c) || (!initial.has(c) && optional(c))) return;
    used.add(c);
    [...c.imports, ...c.dynamicImports].forEach((f) => reach(byName.get(f)));
  };
  initial.forEach(reach);
  return (c) => (initial.has(c) ? 'initial' : used.has(c) ? 'lazy' : 'optional');
}

/** Opt-in chunks an XMPP page fetches: `<impp-client transport="xmpp">`'s loader, its sign-in form, the transport. */
const XMPP_PAGE = [/^src\/components\/client\/xmpp-loader\.ts$/, /^src\/components\/sign-in\/define\.ts$/, /^src\/core\/transports\/xmpp\/index\.ts$/];

function pick(chunks, files = 'used') {
  const kind = classify(chunks, files === 'xmpp-page' ? XMPP_PAGE : []);
  if (files === 'all') return { counted: chunks, skipped: [] };
  if (files === 'xmpp') return { counted: chunks.filter((c) => kind(c) !== 'initial' && holds(c, XMPP)), skipped: [] };
  return { counted: chunks.filter((c) => kind(c) !== 'optional'), skipped: chunks.filter((c) => kind(c) === 'optional') };
}

const gz = (c) => gzipSync(c.code, { level: 9 }).length;

/** Measures every scenario; never throws (a failed build is a row with `error`). */
export async function measure(scenarios = SCENARIOS) {
  // Start every build at once: terser runs in worker threads, so they overlap well.
  for (const s of scenarios) build(s.code, s.external, s.conditions).catch(() => undefined);
  const rows = [];
  for (const s of scenarios) {
    const row = { name: s.name, budget: s.budget };
    try {
      const { counted: chunks, skipped } = pick(await build(s.code, s.external, s.conditions), s.files);
      // Each chunk is its own HTTP response, so it is gzipped on its own.
      row.files = chunks.map((c) => ({ file: c.fileName, min: Buffer.byteLength(c.code), gzip: gz(c) }));
      row.min = row.files.reduce((n, f) => n + f.min, 0);
      row.gzip = row.files.reduce((n, f) => n + f.gzip, 0);
      if (skipped.length) row.optional = skipped.map((c) => ({ file: c.fileName, min: Buffer.byteLength(c.code), gzip: gz(c) }));
      row.ok = s.budget === undefined || row.gzip <= s.budget * KB;
      // Where the bytes come from (rendered, before minification): what to cut when over budget.
      row.modules = chunks.flatMap((c) => Object.entries(c.modules))
        .filter(([, m]) => m.renderedLength > 0)
        .map(([id, m]) => ({ id: id.startsWith(root) ? id.slice(root.length + 1) : id, bytes: m.renderedLength }))
        .sort((a, b) => b.bytes - a.bytes)
        .slice(0, 40);
    } catch (error) {
      row.error = String(error?.message ?? error).split('\n')[0];
      row.ok = false;
    }
    rows.push(row);
  }
  return rows;
}

const kb = (n) => (n === undefined ? '' : (n / KB).toFixed(2));

/** Biggest contributors per row, grouped by package (node_modules) or file (src). */
export function formatModules(rows, top = 12) {
  const out = [];
  for (const r of rows.filter((x) => x.modules)) {
    const groups = new Map();
    for (const m of r.modules) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(m.id)?.[1] ?? m.id;
      groups.set(pkg, (groups.get(pkg) ?? 0) + m.bytes);
    }
    const files = (list, tag) => list.map((f) => `${f.file} ${kb(f.gzip)} KB gz${tag}`);
    out.push(`\n${r.name}: ${[...files(r.files, ''), ...files(r.optional ?? [], ' (opt-in, not counted)')].join(', ')}`);
    out.push('  biggest modules of the counted chunks (rendered bytes, before minification):');
    for (const [name, bytes] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, top))
      out.push(`  ${kb(bytes).padStart(8)} KB  ${name}`);
  }
  return out.join('\n');
}

export function formatTable(rows) {
  const w = Math.max(...rows.map((r) => r.name.length), 6);
  const lines = [`${'Bundle'.padEnd(w)}  ${'min KB'.padStart(8)}  ${'min+gz KB'.padStart(9)}  ${'opt-in gz'.padStart(9)}  budget (min+gz)`];
  for (const r of rows) {
    const verdict = r.error ? `ERROR: ${r.error}`
      : r.budget === undefined ? '' : `≤ ${r.budget} KB ${r.ok ? 'ok' : `MISSED by ${kb(r.gzip - r.budget * KB)} KB`}`;
    const optional = r.optional ? kb(r.optional.reduce((n, f) => n + f.gzip, 0)) : '';
    lines.push(`${r.name.padEnd(w)}  ${kb(r.min).padStart(8)}  ${kb(r.gzip).padStart(9)}  ${optional.padStart(9)}  ${verdict}`);
  }
  lines.push('1 KB = 1024 bytes; gzip level 9, each chunk on its own, summed. Counted: entry, static imports and the',
    'lazy chunks every page loads (outbox idb, …). "opt-in gz": chunks made for the',
    'import() of an opt-in feature (in-page rooms, XMPP), fetched only when used: not counted.');
  return lines.join('\n');
}

export function writeReport(rows, file = resolve(root, 'test-results/size.json')) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), unit: 'bytes', rows }, null, 2)}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = await measure();
  console.log(formatTable(rows));
  if (process.argv.includes('--verbose')) console.log(formatModules(rows));
  writeReport(rows);
  const missed = rows.filter((r) => !r.ok);
  if (missed.length && process.argv.includes('--check')) {
    console.error(`\nSize check failed: ${missed.map((r) => r.name).join('; ')}`);
    process.exit(1);
  }
}
