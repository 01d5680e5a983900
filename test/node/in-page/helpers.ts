// Shared helpers of the in-page service tests: transports on explicit service instances
// (one instance = one "tab"), event logs, and waiting for an event.
import { filter, type Observable } from 'rxjs';
import { parseAddress, type Address } from '../../../src/core/address.js';
import type { TransportEvent } from '../../../src/core/transports/transport.js';
import { InPageService } from '../../../src/core/transports/in-page/service.js';
import { InPageTransport, type InPageOptions } from '../../../src/core/transports/in-page/transport.js';
import { firstMatch } from '../../conformance/streams.js';

let n = 0;
/** A channel name no other test uses. */
export const freshChannel = (): string => `impp-kit:test-${++n}-${Math.random().toString(36).slice(2, 8)}`;

/** A "tab": one service instance on `channel`. Close it at the end of the test. */
export const tab = (channel: string): InPageService => new InPageService(channel);

export const at = (user: string): Address => parseAddress(`im:${user}@in-page.invalid`);

/** A transport for `user` on `service`, with a log of every event it emitted. */
export function device(service: InPageService, user: string, options: Partial<InPageOptions> = {}) {
  const t = new InPageTransport({ user, ...options }, service);
  const log: TransportEvent[] = [];
  t.events$.subscribe((e) => log.push(e));
  return Object.freeze({ t, log, address: at(user) });
}

/** The first event of `type` (from now on, or already logged) that satisfies `pred`. */
export function next<T extends TransportEvent['type']>(
  events$: Observable<TransportEvent>,
  type: T,
  pred: (e: Extract<TransportEvent, { type: T }>) => boolean = () => true,
  ms = 2000,
): Promise<Extract<TransportEvent, { type: T }>> {
  const typed = events$.pipe(filter((e): e is Extract<TransportEvent, { type: T }> => e.type === type));
  return firstMatch(typed, pred, ms, `a ${type} event`);
}

/** Lets every pending macrotask (flushes, BroadcastChannel messages) run. */
export const tick = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms));
