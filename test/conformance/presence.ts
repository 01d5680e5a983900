// Presence information: tuples per device, aggregation, notes (RFC 2778 §2.2, RFC 3863 §4.1).
import { presenceNote, type Presence } from '../../src/core/presence.js';
import { deepEqual, equal } from './assert.js';
import { withHarness, type ConformanceCase, type ConformanceFactory } from './factory.js';
import { firstMatch } from './streams.js';

const ids = (p: Presence) => p.tuples.map((t) => t.id).sort();

export function presenceCases(f: ConformanceFactory): ConformanceCase[] {
  return [
    {
      name: 'a presence note reaches subscribers',
      run: withHarness(f, async (h) => {
        const alice = await h.signIn(), bob = await h.signIn();
        await h.befriend(alice, bob);
        await bob.client.setPresence({ availability: 'away', note: 'At lunch' });
        const p = await firstMatch(alice.client.presence$(bob.client.self), (x) => presenceNote(x) === 'At lunch', h.timeout, 'the note');
        equal(p.availability, 'away', 'availability with the note');
      }),
    },
    {
      name: 'two devices of one user are two tuples; open beats closed, the most recent leads',
      run: withHarness(f, async (h) => {
        const alice = await h.signIn();
        const phone = await h.signIn(undefined, { device: 'phone' });
        const pc = await h.signIn(phone.name, { device: 'pc' });
        await h.befriend(alice, phone);
        const bob = phone.client.self;
        const both = await firstMatch(alice.client.presence$(bob), (p) => p.tuples.length === 2, h.timeout, 'two tuples');
        deepEqual(ids(both), ['pc', 'phone'], 'tuple ids are the devices');
        await phone.client.setPresence({ availability: 'busy' });
        await pc.client.setPresence({ availability: 'offline' }); // invisible: a closed tuple
        await firstMatch(alice.client.presence$(bob), (p) => p.availability === 'busy' && p.tuples.every((t) => t.id !== 'pc' || t.status !== 'open'), h.timeout, 'open beats closed');
        await pc.client.setPresence({ availability: 'available' });
        await firstMatch(alice.client.presence$(bob), (p) => p.tuples.filter((t) => t.status === 'open').length === 2, h.timeout, 'both open');
        await phone.client.setPresence({ availability: 'away' }); // the latest, though less available
        await firstMatch(alice.client.presence$(bob), (p) => p.availability === 'away', h.timeout, 'the most recent leads');
        await pc.client.disconnect();
        await firstMatch(alice.client.presence$(bob), (p) => p.tuples.length === 1 && p.tuples[0]!.id === 'phone', h.timeout, "disconnect removes the device's tuple");
      }),
    },
    {
      name: 'a higher-priority open tuple leads over a more recent one',
      skip: f.capabilities?.priority ? undefined : 'the backend cannot set a device priority',
      run: withHarness(f, async (h) => {
        const alice = await h.signIn();
        const high = await h.signIn(undefined, { device: 'desk', priority: 1 });
        const low = await h.signIn(high.name, { device: 'mobile', priority: 0.5 });
        await h.befriend(alice, high);
        await high.client.setPresence({ availability: 'busy' });
        await firstMatch(alice.client.presence$(high.client.self), (p) => p.tuples.length === 2 && p.availability === 'busy', h.timeout, 'busy');
        await low.client.setPresence({ availability: 'available' });
        await firstMatch(alice.client.presence$(high.client.self), (p) => p.tuples.some((t) => t.id === 'mobile' && t.availability === 'available'), h.timeout, 'the update');
        equal((await firstMatch(alice.client.presence$(high.client.self), () => true)).availability, 'busy', 'priority wins');
      }),
    },
  ];
}
