// `node bench/chat-size.mjs`: what <impp-chat> itself adds, in bytes. Bundles the element with
// lit, RxJS, core and the shared component modules external (the same rollup + terser + gzip -9
// as scripts/size.mjs), so the figure is src/components/chat/** plus message.styles.ts only.
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import { bundlePlugins } from '../rollup.config.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const own = [resolve(root, 'src/components/chat') + sep, resolve(root, 'src/components/message.styles.ts')];
const mine = (id) => own.some((p) => id.startsWith(p));
const bundle = await rollup({
  input: resolve(root, 'src/components/chat/impp-chat.ts'),
  external: (id, _importer, resolved) => !id.startsWith('\0') && (resolved ? !mine(id) : !/^[./]/.test(id)),
  plugins: bundlePlugins(),
  onwarn: () => undefined,
});
const { output } = await bundle.generate({ format: 'es' });
const [chunk] = output;
const kb = (n) => (n / 1024).toFixed(2);
console.log(`<impp-chat> own code: ${kb(chunk.code.length)} KB min, ${kb(gzipSync(chunk.code, { level: 9 }).length)} KB min+gz`);
for (const [id, m] of Object.entries(chunk.modules).sort((a, b) => b[1].renderedLength - a[1].renderedLength)) {
  console.log(`  ${kb(m.renderedLength).padStart(6)} KB rendered  ${id.slice(root.length + 1)}`);
}
if (process.argv.includes('--print')) console.log(chunk.code);
