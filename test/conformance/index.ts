/**
 * The transport-agnostic conformance suite: every case drives the public client
 * (`createClient`) over a backend's transports, so the same behaviours are proved for the
 * in-page service, XMPP (Prosody) and later SIP.
 *
 * @example
 * ```ts
 * import { test } from 'node:test';
 * for (const c of conformanceCases(inPageFactory())) test(c.name, { skip: c.skip }, c.run);
 * ```
 */
import type { ConformanceCase, ConformanceFactory } from './factory.js';
import { messagingCases } from './messaging.js';
import { presenceCases } from './presence.js';
import { roomCases } from './rooms.js';
import { subscriptionCases } from './subscription.js';

export function conformanceCases(factory: ConformanceFactory): ConformanceCase[] {
  return [...subscriptionCases(factory), ...presenceCases(factory), ...messagingCases(factory), ...roomCases(factory)];
}

export { Harness, withHarness } from './factory.js';
export type { ConformanceCapabilities, ConformanceCase, ConformanceFactory, Signed } from './factory.js';
export { deepEqual, equal, ok, rejectsWith, show } from './assert.js';
export { current, firstMatch, noMatch, sleep } from './streams.js';
