/**
 * `<impp-client transport="xmpp" service="wss://…" jid="alice@example.com">`: loads the XMPP
 * transport on demand (its own chunk) and signs in with credentials the element collected from
 * its sign-in form. A password never comes from an attribute or from storage.
 * @module
 */
import { ImppError, type ImppClient } from '../../core/index.js';
import type { TransportLoaderContext } from './transport-loaders.js';

/** Creates a signed-in XMPP client, or fails with `auth/*` so the element shows its form. */
export async function loadXmppClient(ctx: TransportLoaderContext): Promise<ImppClient> {
  const service = ctx.attribute('service');
  if (service === undefined) throw new TypeError('transport="xmpp" needs a service attribute, e.g. service="wss://example.com/xmpp-websocket".');
  if (ctx.attribute('password') !== undefined) {
    throw new ImppError('component/invalid-attribute', 'Never put a password in an attribute: leave it out and <impp-client> asks for it.');
  }
  const jid = ctx.credentials?.jid ?? ctx.attribute('jid');
  const password = ctx.credentials?.password;
  if (jid === undefined || password === undefined) throw new ImppError('auth/credentials-required', 'Sign in with your address and password.');
  const [{ createClient }, { xmppWebSocket }] = await Promise.all([
    import('../../core/client.js'),
    import('../../core/transports/xmpp/index.js'),
  ]);
  const resource = ctx.attribute('device');
  const client = createClient({ transport: xmppWebSocket({ service, jid, password, ...(resource ? { resource } : {}) }) });
  // Resolve only once signed in, so a wrong password brings the form back instead of a dead client.
  await new Promise<void>((resolve, reject) => {
    const sub = client.connection$.subscribe(({ state, error }) => {
      if (state === 'online') resolve();
      else if (state === 'failed' || state === 'offline') reject(error ?? new ImppError('transport/unreachable', 'Could not reach the server.'));
      else return;
      queueMicrotask(() => sub.unsubscribe());
    });
  }).catch(async (e: unknown) => {
    await client.disconnect().catch(() => undefined);
    throw e;
  });
  return client;
}
