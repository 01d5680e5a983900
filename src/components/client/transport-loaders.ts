/**
 * How `<impp-client transport="…">` turns attributes into a client: one loader per transport
 * name. Transports are loaded with a dynamic `import()`, so a page that never uses one never
 * downloads it (bundlers emit a separate chunk, or inline it when asked to).
 * @module
 */
import type { ImppClient } from '../../core/index.js';

/** What a loader may read from the `<impp-client>` element. */
export interface TransportLoaderContext {
  /** The element's attribute, or `undefined` when absent or empty. */
  attribute(name: string): string | undefined;
  /** Credentials the user typed into a sign-in form (never from attributes or storage). */
  readonly credentials?: { readonly jid: string; readonly password: string };
}

/** Creates a connected (or connecting) client from the element's attributes. */
export type TransportLoader = (context: TransportLoaderContext) => Promise<ImppClient>;

const loaders = new Map<string, TransportLoader>();

/**
 * Registers the loader for `transport="<name>"`. This is the hook further transports plug
 * into; the XMPP work adds, in its own module:
 *
 * @example
 * ```ts
 * registerTransportLoader('xmpp', async (ctx) => {
 *   const [{ createClient }, { xmppWebSocket }] = await Promise.all([
 *     import('../../core/client.js'), import('../../core/transports/xmpp/index.js')]);
 *   return createClient({ transport: xmppWebSocket({ url: ctx.attribute('url')!, jid: ctx.attribute('user')! }) });
 * });
 * ```
 */
export function registerTransportLoader(name: string, loader: TransportLoader): void {
  loaders.set(name, loader);
}

/** The loader for a transport name, if one is registered. */
export function transportLoader(name: string): TransportLoader | undefined {
  return loaders.get(name);
}

/** The names `transport` accepts right now. */
export function transportNames(): string[] {
  return [...loaders.keys()];
}

// The embedded default: an in-page IMPP service shared by every client in the page (and the
// page's other tabs). `user` is required; `device` and `channel` are optional.
registerTransportLoader('in-page', async (ctx) => {
  const [{ createClient }, { inPage }] = await Promise.all([
    import('../../core/client.js'),
    import('../../core/transports/in-page/index.js'),
  ]);
  const user = ctx.attribute('user');
  if (user === undefined) throw new TypeError('transport="in-page" needs a user attribute, e.g. user="alice".');
  const device = ctx.attribute('device');
  const channel = ctx.attribute('channel');
  return createClient({
    transport: inPage({ user, ...(device === undefined ? {} : { device }), ...(channel === undefined ? {} : { channel }) }),
  });
});

// XMPP over WebSocket (RFC 7395): `service` and `jid` attributes; the password comes only from
// the sign-in form (`signIn()`). The transport is its own chunk, loaded on first use.
registerTransportLoader('xmpp', (ctx) => import('./xmpp-loader.js').then((m) => m.loadXmppClient(ctx)));
