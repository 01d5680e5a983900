// Subscriptions and access rules (RFC 2778 §2.4, RFC 2779 §5.1–5.3, RFC 6121 §3).
import type { Presence } from '../../src/core/presence.js';
import { deepEqual, equal, ok } from './assert.js';
import { withHarness, type ConformanceCase, type ConformanceFactory } from './factory.js';
import { current, firstMatch, noMatch } from './streams.js';

/** What a watcher can observe of a presence (its entity aside). */
export const view = (p: Presence) => ({ availability: p.availability, tuples: p.tuples, notes: p.notes });

export function subscriptionCases(f: ConformanceFactory): ConformanceCase[] {
  const fetchers = f.capabilities?.fetcherWatchers === false ? 'the backend does not report fetchers' : undefined;
  return [
    {
      name: 'subscription request shows a pending watcher; approval lets the subscriber see presence',
      run: withHarness(f, async (h) => {
        const alice = await h.signIn(), bob = await h.signIn();
        const a = alice.client, b = bob.client;
        await a.addBuddy(b.self, { name: 'Bob', groups: ['Friends'] });
        const pending = await firstMatch(b.watchers$, (ws) => ws.some((w) => w.address.id === a.self.id), h.timeout, 'a watcher');
        deepEqual(pending.find((w) => w.address.id === a.self.id)?.state, 'pending', 'watcher state');
        deepEqual(pending.find((w) => w.address.id === a.self.id)?.kind, 'subscriber', 'watcher kind');
        const asked = await firstMatch(a.buddies$, (bs) => bs.some((x) => x.address.id === b.self.id), h.timeout, 'bob in the buddy list');
        const item = asked.find((x) => x.address.id === b.self.id)!;
        ok(item.pendingOut, 'the request is pending');
        equal(item.name, 'Bob', 'buddy name');
        deepEqual(item.groups, ['Friends'], 'buddy groups');
        await b.approve(a.self);
        await firstMatch(b.watchers$, (ws) => ws.some((w) => w.address.id === a.self.id && w.state === 'approved'), h.timeout, 'an approved watcher');
        await firstMatch(a.buddies$, (bs) => bs.some((x) => x.address.id === b.self.id && x.subscription === 'to' && !x.pendingOut), h.timeout, "subscription 'to'");
        await firstMatch(b.buddies$, (bs) => bs.some((x) => x.address.id === a.self.id && x.subscription === 'from'), h.timeout, "subscription 'from'");
        await firstMatch(a.presence$(b.self), (p) => p.availability === 'available', h.timeout, 'bob available');
        await b.setPresence({ availability: 'busy' });
        await firstMatch(a.presence$(b.self), (p) => p.availability === 'busy', h.timeout, 'bob busy');
      }),
    },
    {
      name: 'a denied subscriber sees unknown presence, subscription none, nothing pending',
      run: withHarness(f, async (h) => {
        const alice = await h.signIn(), bob = await h.signIn();
        const a = alice.client, b = bob.client;
        await a.addBuddy(b.self);
        await firstMatch(b.watchers$, (ws) => ws.some((w) => w.address.id === a.self.id && w.state === 'pending'), h.timeout, 'a pending watcher');
        await b.deny(a.self);
        await firstMatch(a.buddies$, (bs) => bs.some((x) => x.address.id === b.self.id && x.subscription === 'none' && !x.pendingOut), h.timeout, 'the request answered');
        await b.setPresence({ availability: 'busy', note: 'secret' });
        await noMatch(a.presence$(b.self), (p) => p.availability !== 'unknown', h.quiet, 'presence of a presentity that denied us');
        deepEqual(view(await current(a.presence$(b.self))), { availability: 'unknown', tuples: [], notes: [] }, 'the denied view');
      }),
    },
    {
      name: 'polite block looks exactly like offline to the blocked watcher',
      run: withHarness(f, async (h) => {
        const alice = await h.signIn(), bob = await h.signIn(), carol = await h.signIn();
        const a = alice.client, b = bob.client;
        await h.befriend(alice, bob);
        await h.befriend(alice, carol);
        await carol.client.disconnect(); // a real offline user, for comparison
        const offline = await firstMatch(a.presence$(carol.client.self), (p) => p.availability === 'offline', h.timeout, 'carol offline');
        await b.setPresence({ availability: 'available', note: 'here' });
        await firstMatch(a.presence$(b.self), (p) => p.availability === 'available', h.timeout, 'bob available');
        await b.block(a.self);
        await firstMatch(b.watchers$, (ws) => ws.some((w) => w.address.id === a.self.id && w.state === 'blocked'), h.timeout, 'a blocked watcher');
        const blocked = await firstMatch(a.presence$(b.self), (p) => p.availability === 'offline', h.timeout, 'bob looking offline');
        deepEqual(view(blocked), view(offline), 'blocked view equals offline view');
        await b.setPresence({ availability: 'busy', note: 'still hidden' });
        await noMatch(a.presence$(b.self), (p) => p.availability !== 'offline' || p.notes.length > 0 || p.tuples.length > 0, h.quiet, 'a leak through the block');
        const buddies = await current(a.buddies$);
        const asBuddy = (id: string) => { const x = buddies.find((y) => y.address.id === id)!; return { s: x.subscription, p: x.pendingOut, v: view(x.presence) }; };
        deepEqual(asBuddy(b.self.id), asBuddy(carol.client.self.id), 'blocked buddy equals offline buddy');
        deepEqual(view(await a.fetchPresence(b.self)), view(await a.fetchPresence(carol.client.self)), 'fetched views');
      }),
    },
    {
      name: 'unblock restores presence',
      run: withHarness(f, async (h) => {
        const alice = await h.signIn(), bob = await h.signIn();
        const a = alice.client, b = bob.client;
        await h.befriend(alice, bob);
        await b.block(a.self);
        await firstMatch(a.presence$(b.self), (p) => p.availability === 'offline', h.timeout, 'bob looking offline');
        await b.unblock(a.self);
        await firstMatch(b.watchers$, (ws) => ws.some((w) => w.address.id === a.self.id && w.state === 'approved'), h.timeout, 'the watcher approved again');
        await firstMatch(a.presence$(b.self), (p) => p.availability === 'available', h.timeout, 'bob available again');
      }),
    },
    {
      name: 'fetch returns presence without a subscription and shows a fetcher watcher',
      skip: fetchers,
      run: withHarness(f, async (h) => {
        const alice = await h.signIn(), bob = await h.signIn();
        const a = alice.client, b = bob.client;
        await b.setPresence({ availability: 'away', note: 'fetched' });
        const p = await a.fetchPresence(b.self);
        equal(p.availability, 'away', 'fetched availability');
        equal(p.entity.id, b.self.id, 'fetched entity');
        const ws = await firstMatch(b.watchers$, (list) => list.some((w) => w.address.id === a.self.id), h.timeout, 'a fetcher');
        deepEqual(ws.filter((w) => w.address.id === a.self.id).map((w) => [w.kind, w.state]), [['fetcher', 'approved']], 'fetcher watcher');
        ok(!(await current(a.buddies$)).some((x) => x.address.id === b.self.id), 'no buddy added by a fetch');
      }),
    },
    {
      name: 'removing a buddy cancels the subscription both ways',
      run: withHarness(f, async (h) => {
        const alice = await h.signIn(), bob = await h.signIn();
        const a = alice.client, b = bob.client;
        await h.befriend(alice, bob);
        await a.removeBuddy(b.self);
        await firstMatch(a.buddies$, (bs) => !bs.some((x) => x.address.id === b.self.id), h.timeout, 'bob removed');
        await firstMatch(b.watchers$, (ws) => !ws.some((w) => w.address.id === a.self.id && w.state === 'approved'), h.timeout, 'alice no longer approved');
        await firstMatch(b.buddies$, (bs) => !bs.some((x) => x.address.id === a.self.id && x.subscription !== 'none'), h.timeout, "bob's side cancelled");
        await b.setPresence({ availability: 'busy' });
        await noMatch(a.presence$(b.self), (p) => p.availability === 'busy', h.quiet, 'presence after removal');
      }),
    },
  ];
}
