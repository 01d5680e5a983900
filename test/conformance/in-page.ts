// The conformance factory for the in-page transport (the reference backend).
import { inPage } from '../../src/core/transports/in-page/index.js';
import { DEFAULT_DOMAIN } from '../../src/core/transports/in-page/transport.js';
import type { ConformanceFactory } from './factory.js';

let counter = 0;

/** Users on one channel of the page's in-page service (a fresh channel per factory by default). */
export function inPageFactory(channel = `conformance-${Math.random().toString(36).slice(2, 8)}`): ConformanceFactory {
  return {
    name: 'in-page',
    uniqueUser: async () => `user${++counter}-${Math.random().toString(36).slice(2, 6)}`,
    address: (name) => `${name}@${DEFAULT_DOMAIN}`,
    user: async (name, options = {}) => inPage({ user: name, channel, ...options }),
    capabilities: { priority: true, fetcherWatchers: true, unknownRecipient: true, offlineStorage: true, history: true, rooms: true },
    timing: { timeoutMs: 3000, quietMs: 150 },
  };
}
