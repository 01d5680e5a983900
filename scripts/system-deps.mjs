// Ensures the system packages the tests need (Debian names): installs them with apt-get when
// running as root, otherwise says exactly what to install. Used by `npm test`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** command → Debian package that provides it. */
export const SYSTEM_PACKAGES = { chromium: 'chromium', prosody: 'prosody', prosodyctl: 'prosody' };

export function findChromium() {
  for (const p of [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'])
    if (p && existsSync(p)) return p;
  return undefined;
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

export function ensureSystemPackages(commands = Object.keys(SYSTEM_PACKAGES)) {
  const missing = [...new Set(commands.filter((c) => !has(c)).map((c) => SYSTEM_PACKAGES[c]))];
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !has('apt-get')) {
    console.error(`impp-kit tests need these Debian packages: ${missing.join(' ')}\n` +
      `Install them first, e.g.: sudo apt-get install -y ${missing.join(' ')}`);
    process.exit(2);
  }
  console.log(`Installing system packages: ${missing.join(' ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  // policy-rc.d-free containers may start a system Prosody; our scripts never use or stop it.
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
}

if (import.meta.url === `file://${process.argv[1]}`) ensureSystemPackages(process.argv.slice(2).length ? process.argv.slice(2) : undefined);
