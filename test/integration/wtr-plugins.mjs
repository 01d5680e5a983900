// Test-server plugins for web-test-runner: one private Prosody (scripts/prosody.mjs) for the
// whole browser run, on free loopback ports. Test files ask the dev server where it is:
//   GET  /__impp/prosody.json        → { wsUrl, domain }
//   POST /__impp/users               → { jid, password }   (a fresh account per call: test isolation)
//   POST /__impp/prosody/restart     → { wsUrl, domain }   (same ports and accounts; SM sessions lost)
// Fault proxies in front of it (or of a private Prosody): see wtr-fault-plugin.mjs.
// If Prosody cannot start, those endpoints answer { error } with the reason; other suites still run.
import { randomBytes } from 'node:crypto';
import { startProsody } from '../../scripts/prosody.mjs';
import { faultPlugins } from './wtr-fault-plugin.mjs';
import { profilePlugin } from './wtr-profile-plugin.mjs';

let seq = 0;

function prosodyPlugin() {
  /** @type {Awaited<ReturnType<typeof startProsody>> | undefined} */
  let server;
  let failure = '';
  const json = (body) => ({ body: JSON.stringify(body), type: 'application/json', headers: { 'cache-control': 'no-store' } });
  const settings = () => ({ wsUrl: server.wsUrl, domain: server.host });
  return {
    name: 'impp-prosody',
    /** The running Prosody (for the fault-proxy plugin). */
    getServer: () => server,
    async serverStart() {
      try {
        // Install only where we may (root); elsewhere a missing Prosody fails just the integration tests.
        server = await startProsody({ install: process.getuid?.() === 0 });
      } catch (err) {
        failure = String(err?.stack ?? err);
        console.error(`[impp-prosody] not started; integration tests will fail: ${failure}`);
      }
    },
    async serverStop() {
      await server?.stop();
      server = undefined;
    },
    async serve(ctx) {
      if (!ctx.path.startsWith('/__impp/')) return undefined;
      // (the serve hook always answers 200: test files check for `error`)
      if (!server) return json({ error: failure || 'prosody is not running' });
      if (ctx.method === 'GET' && ctx.path === '/__impp/prosody.json') return json(settings());
      if (ctx.method === 'POST' && ctx.path === '/__impp/users') {
        const user = `u${++seq}-${randomBytes(4).toString('hex')}`;
        const password = randomBytes(9).toString('base64url');
        try {
          await server.register(user, password);
        } catch (err) {
          return json({ error: `registering ${user} failed: ${err?.message ?? err}` });
        }
        return json({ jid: `${user}@${server.host}`, password });
      }
      if (ctx.method === 'POST' && ctx.path === '/__impp/prosody/restart') {
        await server.restart();
        return json(settings());
      }
      return undefined;
    },
  };
}

export async function integrationPlugins() {
  const prosody = prosodyPlugin();
  return [prosody, ...faultPlugins(() => prosody.getServer()), profilePlugin()];
}
