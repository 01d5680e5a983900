/// <reference types="mocha" />
// The transport-agnostic conformance suite (test/conformance) over XMPP against a real Prosody.
// Skips are only what XMPP cannot express; each says why.
import { xmppWebSocket } from '../../src/core/transports/xmpp/index.js';
import { conformanceCases, type ConformanceFactory } from '../conformance/index.js';
import { newAccount, prosody, type Account } from './xmpp-helpers.js';

const { wsUrl, domain } = await prosody();

function xmppFactory(): ConformanceFactory {
  const accounts = new Map<string, Account>();
  return {
    name: 'xmpp (prosody)',
    async uniqueUser() {
      const account = await newAccount();
      const name = account.jid.slice(0, account.jid.indexOf('@'));
      accounts.set(name, account);
      return name;
    },
    address: (name) => `${name}@${domain}`,
    async user(name, options = {}) {
      const account = accounts.get(name) ?? (await newAccount());
      return xmppWebSocket({
        service: wsUrl, jid: account.jid, password: account.password, keepaliveMs: 0,
        ...(options.device ? { resource: options.device } : {}),
        ...(options.priority !== undefined ? { priority: options.priority } : {}),
      });
    },
    capabilities: {
      priority: true,
      // RFC 6121 has no fetcher: presence is seen only through a subscription (a probe from a
      // non-subscriber is answered by nothing), and the presentity is never told of a look.
      fetcherWatchers: false,
      unknownRecipient: true,
      offlineStorage: true,
      history: true,
      rooms: true, // XEP-0045 on conference.<domain>
    },
    timing: { timeoutMs: 5000, quietMs: 300 },
  };
}

/** Cases XMPP cannot express, by name, with the reason. */
const XMPP_SKIPS: Readonly<Record<string, string>> = {
  'messages from a politely blocked sender stay sent, never delivered, and are dropped':
    'XEP-0191 §3.5 makes the server bounce a blocked sender\'s message with <service-unavailable/>, the very ' +
    'error an unknown account gets (Prosody mod_blocklist does): the sender sees "failed: recipient/unknown", not "sent"',
};

describe('xmpp transport: conformance (Prosody)', () => {
  for (const c of conformanceCases(xmppFactory())) {
    const skip = c.skip ?? XMPP_SKIPS[c.name];
    if (skip) it.skip(`${c.name} — skipped: ${skip}`, c.run);
    else it(c.name, c.run);
  }
});
