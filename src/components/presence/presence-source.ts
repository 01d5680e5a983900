/**
 * The presence a badge shows: live from `client.presence$()` (one protocol watch per address,
 * ref-counted in the core) with a short linger, and a shared one-shot fetch (RFC 2778 §3.2
 * fetcher) when we may not subscribe.
 * @module
 */
import { catchError, concat, EMPTY, filter, from, map, of, ReplaySubject, share, switchMap, take, timer, type Observable } from 'rxjs';
import type { Address, ImppClient, Presence } from '../../core/index.js';

/** What a badge renders. */
export interface BadgePresence {
  readonly presence: Presence;
  /** Set when the presence is a one-shot fetch (we may not subscribe): when it was fetched. */
  readonly fetchedAt?: number;
}

/**
 * Timings, in milliseconds. Mutable for tests and for pages with unusual needs.
 *
 * - `linger`: how long a watch outlives its last visible badge, so scrolling back and forth,
 *   or a list that re-creates its rows, does not churn watch/unwatch.
 * - `fetchGrace`: how long a watch may stay `unknown` before we fall back to a fetch (the
 *   first value of a new watch is `unknown` until the service answers).
 * - `fetchTtl`: a fetch is shared by every badge of the address for this long, and a visible
 *   badge that only has fetched presence fetches again after it.
 */
export const presenceTiming = { linger: 2000, fetchGrace: 400, fetchTtl: 60_000 };

const streams = new WeakMap<ImppClient, Map<string, Observable<BadgePresence>>>();
const fetches = new WeakMap<ImppClient, Map<string, { at: number; result: Promise<Presence> }>>();

/**
 * The shared presence stream of `address` for every badge of `client`: subscribing while
 * another badge of the address is subscribed (or within `linger` of the last one leaving)
 * costs no protocol work.
 */
export function badgePresence$(client: ImppClient, address: Address): Observable<BadgePresence> {
  let byAddress = streams.get(client);
  if (byAddress === undefined) streams.set(client, (byAddress = new Map()));
  let stream = byAddress.get(address.id);
  if (stream === undefined) {
    stream = client.presence$(address).pipe(
      switchMap((presence) =>
        presence.availability === 'unknown' ? concat(of({ presence }), fetched$(client, address)) : of({ presence }),
      ),
      share({
        connector: () => new ReplaySubject<BadgePresence>(1),
        resetOnRefCountZero: () => timer(presenceTiming.linger),
      }),
    );
    byAddress.set(address.id, stream);
  }
  return stream;
}

/** Once online and still unknown after the grace period: the shared fetch, again after each TTL. */
function fetched$(client: ImppClient, address: Address): Observable<BadgePresence> {
  return client.connection$.pipe(
    filter((c) => c.state === 'online'),
    take(1),
    switchMap(() => timer(presenceTiming.fetchGrace, presenceTiming.fetchTtl)),
    switchMap(() => {
      const entry = fetchOnce(client, address);
      return from(entry.result).pipe(
        map((presence): BadgePresence => ({ presence, fetchedAt: entry.at })),
        catchError(() => EMPTY), // refused or failed: the client reported it on errors$
      );
    }),
  );
}

/** One `fetchPresence` per address per client within `fetchTtl`, whoever asks. */
export function fetchOnce(client: ImppClient, address: Address): { at: number; result: Promise<Presence> } {
  let byAddress = fetches.get(client);
  if (byAddress === undefined) fetches.set(client, (byAddress = new Map()));
  const now = Date.now();
  let entry = byAddress.get(address.id);
  if (entry === undefined || now - entry.at >= presenceTiming.fetchTtl) {
    entry = { at: now, result: client.fetchPresence(address) };
    entry.result.catch(() => undefined); // a rejection is handled by each caller
    byAddress.set(address.id, entry);
  }
  return entry;
}
