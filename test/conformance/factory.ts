// What a backend provides to run the conformance suite, and the per-case harness that signs
// users in through the public client (createClient) and signs them out afterwards.
import { createClient } from '../../src/core/client.js';
import type { ImppClient } from '../../src/core/client-api.js';
import type { Transport } from '../../src/core/transports/transport.js';
import { firstMatch } from './streams.js';

/** Optional features; a case that needs a missing one is skipped with a reason. */
export interface ConformanceCapabilities {
  /** Per-device tuple priority can be set at sign-in (`user(name, { priority })`). Default false. */
  readonly priority?: boolean;
  /** Fetchers show up in the presentity's `watchers$` (kind `'fetcher'`). Default true. */
  readonly fetcherWatchers?: boolean;
  /** Sending to a user who does not exist fails with `recipient/unknown`. Default true. */
  readonly unknownRecipient?: boolean;
  /** The server stores messages for offline users (RFC 2779 §4.2 / XEP-0160). Default true. */
  readonly offlineStorage?: boolean;
  /** The server keeps history (`loadOlder`). Default true. */
  readonly history?: boolean;
  /** Group sessions (`room(client, …)`, XEP-0045 on XMPP). Default false. */
  readonly rooms?: boolean;
}

/** Makes signed-in users on one backend. */
export interface ConformanceFactory {
  /** Backend name for test titles, e.g. `'in-page'`, `'xmpp (prosody)'`. */
  readonly name: string;
  /** A fresh user name no case has used (the account may be created lazily by `user`). */
  uniqueUser(): Promise<string>;
  /** The address string of a user name, e.g. `'alice-1@in-page.invalid'` (also used for names never created). */
  address(name: string): string;
  /** A transport signed in as `name` (creating the account if needed), not yet connected. */
  user(name: string, options?: { readonly device?: string; readonly priority?: number }): Promise<Transport>;
  readonly capabilities?: ConformanceCapabilities;
  /** How long to wait for an expected event (default 5000 ms) and for "nothing happens" (default 300 ms). */
  readonly timing?: { readonly timeoutMs?: number; readonly quietMs?: number };
}

/** One behaviour every transport must show. */
export interface ConformanceCase {
  readonly name: string;
  /** Why the case is skipped on this backend, when it is. */
  readonly skip?: string;
  run(): Promise<void>;
}

/** A signed-in client with its user name. */
export interface Signed {
  readonly name: string;
  readonly client: ImppClient;
}

/** Per-case helper: signs users in and, in `done()`, disconnects every client it made. */
export class Harness {
  readonly timeout: number;
  readonly quiet: number;
  private readonly clients: ImppClient[] = [];

  constructor(readonly factory: ConformanceFactory) {
    this.timeout = factory.timing?.timeoutMs ?? 5000;
    this.quiet = factory.timing?.quietMs ?? 300;
  }

  /** Signs `name` in (a fresh user when omitted) and waits until the client is online. */
  async signIn(name?: string, options?: { device?: string; priority?: number }): Promise<Signed> {
    const user = name ?? (await this.factory.uniqueUser());
    // Each sign-in is its own device: no outbox shared through this page's IndexedDB (a second
    // session of a user would restore the first one's unconfirmed messages as its own). The
    // durable outbox has tests of its own (test/browser/core, the soak).
    const client = createClient({ transport: await this.factory.user(user, options), outbox: 'memory' });
    this.clients.push(client);
    await firstMatch(client.connection$, (c) => c.state === 'online', this.timeout, `${user} to be online`);
    return { name: user, client };
  }

  /** `watcher` subscribes to `presentity`, which approves; resolves once the watcher's roster says so. */
  async befriend(watcher: Signed, presentity: Signed): Promise<void> {
    const w = watcher.client, p = presentity.client;
    await w.addBuddy(p.self);
    await firstMatch(p.watchers$, (ws) => ws.some((x) => x.address.id === w.self.id && x.state === 'pending'), this.timeout, 'a pending watcher');
    await p.approve(w.self);
    await firstMatch(w.buddies$, (bs) => bs.some((b) => b.address.id === p.self.id && (b.subscription === 'to' || b.subscription === 'both')), this.timeout, 'an approved subscription');
  }

  async done(): Promise<void> {
    await Promise.allSettled(this.clients.map((c) => c.disconnect()));
  }
}

/** Runs `body` with a fresh harness and always signs everyone out. */
export function withHarness(factory: ConformanceFactory, body: (h: Harness) => Promise<void>): () => Promise<void> {
  return async () => {
    const h = new Harness(factory);
    try {
      await body(h);
    } finally {
      await h.done();
    }
  };
}
