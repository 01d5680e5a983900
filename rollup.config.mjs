// Two builds from one config (`rollup -c`; `tsc -p tsconfig.build.json` then adds dist/types):
//  1. the npm library: one ESM file per subpath export, dependencies left to the user's bundler;
//  2. the CDN file: `<script type="module" src=".../impp-kit.min.js">` with everything inlined
//     (lit, rxjs, …), minified, and the XMPP transport split into a lazily imported chunk.
// `scripts/size.mjs` builds with the same `bundlePlugins()` so its numbers match what ships.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';
import { minifyCss } from './scripts/minify-css-literals.mjs';

/** Library entry → output name (without `.js`), relative to dist/. Mirrors package.json "exports". */
export const LIBRARY_ENTRIES = {
  index: 'src/index.ts',
  codecs: 'src/core/codecs/index.ts',
  'transports/in-page': 'src/core/transports/in-page/index.ts',
  'transports/xmpp': 'src/core/transports/xmpp/index.ts',
  components: 'src/components/index.ts',
  define: 'src/components/define-all.ts',
  'components/presence/define': 'src/components/presence/define.ts',
  'components/session/define': 'src/components/session/define.ts',
  'components/sign-in/define': 'src/components/sign-in/define.ts',
};

/** Modules the CDN entry (src/cdn.ts) imports; it cannot build until they all exist. */
export const CDN_INPUTS = ['src/cdn.ts', 'src/index.ts', 'src/core/transports/in-page/index.ts',
  'src/core/transports/xmpp/index.ts', 'src/components/define-all.ts'];

/** ES2022 is what every browser that runs Lit 3 and native modules supports. */
export const TARGET = 'es2022';

/**
 * TypeScript via esbuild. Decorator settings are spelled out (not only inherited from
 * tsconfig.json) because Lit's `@property()` needs legacy decorators and no class-field
 * defines, and a silent change there breaks every component at runtime.
 */
export function typescript() {
  return esbuild({
    target: TARGET,
    tsconfig: 'tsconfig.json',
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } },
    sourceMap: true,
  });
}

/**
 * Export conditions of the self-contained bundles. `es2015` picks RxJS's ES2015 build
 * (rxjs/dist/esm: classes, no tslib `__extends`) over its ES5 default: about 1 KB less
 * min+gzip for the same code. `browser` picks nanoid's crypto.getRandomValues build. No
 * `development`, so Lit is its production build.
 */
export const BUNDLE_CONDITIONS = ['es2015', 'browser', 'module', 'import', 'default'];

/** Plugins for a self-contained browser bundle (CDN build and size measurements). */
export function bundlePlugins({ minify = true, conditions = BUNDLE_CONDITIONS } = {}) {
  return [
    nodeResolve({ browser: true, exportConditions: conditions }),
    minify && minifyCss(),
    typescript(),
    minify && terser({ ecma: 2020, module: true, compress: { passes: 2 }, format: { comments: false } }),
  ].filter(Boolean);
}

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const dependencies = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
/** `lit`, `lit/decorators.js`, `@lit/context`, … stay imports in the library build. */
const isDependency = (id) => dependencies.some((dep) => id === dep || id.startsWith(`${dep}/`));

/** Removes a generated folder before a build, so hashed chunks of old builds do not pile up. */
function clean(dir) {
  return { name: 'clean', buildStart: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Library build: one file per subpath export; lit, rxjs, … stay imports for the user's bundler. */
export function libraryConfig(input) {
  return {
    input,
    external: isDependency,
    plugins: [clean('dist/chunks'), minifyCss(), typescript()],
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      sourcemap: true,
    },
  };
}

/** CDN build: everything inlined; the lazily imported XMPP transport lands in dist/cdn/. */
export function cdnConfig() {
  return {
    input: { 'impp-kit.min': 'src/cdn.ts' },
    // The lazy chunks import shared code from the entry. Letting the entry export those extra
    // (mangled) bindings keeps everything in impp-kit.min.js; the default would move it all to
    // a dist/cdn/ chunk behind a one-line re-export facade: an extra request on every page.
    preserveEntrySignatures: 'allow-extension',
    plugins: [clean('dist/cdn'), ...bundlePlugins()],
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: 'cdn/[name]-[hash].js',
      sourcemap: true,
    },
  };
}

/**
 * Rollup calls this config function, so importing the helpers above (as scripts/size.mjs does)
 * builds nothing. Entries whose source has not been written yet are skipped with a warning
 * instead of failing the whole build.
 */
export default function config() {
  const input = Object.fromEntries(Object.entries(LIBRARY_ENTRIES).filter(([, src]) => existsSync(src)));
  const missing = Object.values(LIBRARY_ENTRIES).filter((src) => !existsSync(src));
  if (missing.length) console.warn(`rollup.config.mjs: skipping entries not written yet: ${missing.join(', ')}`);
  const configs = [];
  if (Object.keys(input).length) configs.push(libraryConfig(input));
  if (CDN_INPUTS.every((src) => existsSync(src))) configs.push(cdnConfig());
  else console.warn('rollup.config.mjs: skipping the CDN build until src/cdn.ts and its imports exist');
  return configs;
}
