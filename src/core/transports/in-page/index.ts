/**
 * The in-page transport: a complete IMPP service inside the page — no server. Clients on the
 * same channel share one service; tabs of one origin share it over BroadcastChannel
 * `'impp-kit:' + channel` (each tab a full replica, last writer wins per fact, a snapshot for a
 * new tab, devices of a vanished tab swept after 3 minutes of silence).
 *
 * What a client sees:
 * - Events come in macrotasks, never inside a command; a command resolves before the events it
 *   causes. `connect()` resolves after `online`, the `roster`, watchers and initial presence.
 * - `presence` events for every roster entry, every watched address and ourselves (all our
 *   devices' tuples), only when what we may see changed.
 * - `send` resolving means sent; `receipt` events (`delivered`, `read`; never `sent`) are keyed
 *   by our message id and go to the sending device only (replayed when it reconnects).
 *   `mark-read` marks every earlier message from that peer read too (XEP-0333 §3).
 * - No carbons: a message reaches every online device of the recipient, never the sender's
 *   other devices (they find it in `history`).
 * - Unknown recipients (never signed in) reject `send` with `recipient/unknown`.
 * @module
 */
import type { Transport } from '../transport.js';
import { InPageService } from './service.js';
import { DEFAULT_CHANNEL, DEFAULT_DOMAIN, InPageTransport, type InPageOptions } from './transport.js';

const services = new Map<string, InPageService>();

/**
 * Signs `user` in to the in-page service of `channel` (a Transport for `createClient`).
 *
 * Semantics follow RFC 2778/2779 and RFC 6121: subscription requests need approval, a polite
 * block looks exactly like offline, every device is a presence tuple, messages to an offline
 * user are stored and delivered at their next sign-in. Nothing persists beyond the last tab.
 *
 * @throws {ImppError} `address/invalid` or `client/invalid-argument` for a bad user or device.
 * @example
 * ```ts
 * import { createClient } from 'impp-kit';
 * import { inPage } from 'impp-kit/transports/in-page';
 *
 * const alice = createClient({ transport: inPage({ user: 'alice', channel: 'demo' }) });
 * const bob = createClient({ transport: inPage({ user: 'bob', channel: 'demo', device: 'phone' }) });
 * await alice.addBuddy('bob@in-page.invalid'); // bob sees a pending watcher
 * ```
 */
export function inPage(options: InPageOptions): Transport {
  const channel = options?.channel ?? DEFAULT_CHANNEL;
  let service = services.get(channel);
  if (service === undefined) services.set(channel, (service = new InPageService(`impp-kit:${channel}`)));
  return new InPageTransport(options, service);
}

export { DEFAULT_CHANNEL, DEFAULT_DOMAIN };
export type { InPageOptions };
