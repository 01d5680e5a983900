// Group sessions through `room(client, …)` (src/core/rooms.ts), modelled on XEP-0045:
// creation and roles, presence of occupants, nick conflicts, fan-out with reflection, history
// on join, subject, invitations and leaving. Skipped on backends without the `rooms` capability.
import type { Room } from '../../src/core/client-api.js';
import type { InstantMessage } from '../../src/core/message.js';
import type { RoomInvitation } from '../../src/core/transports/transport.js';
import { room, roomInvitations$ } from '../../src/core/rooms.js';
import { deepEqual, equal, ok, rejectsWith } from './assert.js';
import { withHarness, type ConformanceCase, type ConformanceFactory, type Harness, type Signed } from './factory.js';
import { current, firstMatch, noMatch } from './streams.js';

/** A fresh room name (lower-case letters, digits and dashes: valid on every backend). */
const roomName = () => `conf-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** Joins `name` as `who` and waits until the room says joined; returns the room. */
async function enter(h: Harness, who: Signed, name: string, options?: { nick?: string; history?: number }): Promise<Room> {
  const r = room(who.client, name);
  await r.join(options);
  await firstMatch(r.status$, (s) => s.state === 'joined', h.timeout, `${who.name} joined`);
  return r;
}

const nicks = (r: Room, h: Harness, want: readonly string[], what: string) =>
  firstMatch(r.occupants$, (os) => want.every((n) => os.some((o) => o.nick === n)) && os.length === want.length, h.timeout, what);

export function roomCases(f: ConformanceFactory): ConformanceCase[] {
  const caps = f.capabilities ?? {};
  const skip = caps.rooms ? undefined : 'the backend has no group sessions';
  const cases: ConformanceCase[] = [
    {
      name: 'joining a missing room creates it; the creator is owner and moderator',
      run: withHarness(f, async (h) => {
        const alice = await h.signIn();
        const r = await enter(h, alice, roomName(), { nick: 'Alice' });
        equal((await current(r.status$)).nick, 'Alice', 'the nick asked for');
        const [me] = await nicks(r, h, ['Alice'], 'ourselves among the occupants');
        deepEqual([me!.role, me!.affiliation], ['moderator', 'owner'], 'creator role and affiliation');
        equal(await current(r.subject$), '', 'no subject yet');
      }),
    },
    {
      name: 'a second user joins as participant; both see each other with presence',
      run: withHarness(f, async (h) => {
        const alice = await h.signIn(), bob = await h.signIn();
        const name = roomName();
        const ra = await enter(h, alice, name, { nick: 'Alice' });
        const rb = await enter(h, bob, name, { nick: 'Bob' });
        const seen = await nicks(ra, h, ['Alice', 'Bob'], 'alice sees bob');
        equal(seen.find((o) => o.nick === 'Bob')!.role, 'participant', "bob's role");
        await nicks(rb, h, ['Alice', 'Bob'], 'bob sees alice');
        await bob.client.setPresence({ availability: 'away', note: 'brb' });
        await firstMatch(ra.occupants$, (os) => os.some((o) => o.nick === 'Bob' && o.presence.availability === 'away'), h.timeout, "bob's new presence in the room");
        await firstMatch(rb.occupants$, (os) => os.some((o) => o.nick === 'Alice' && o.presence.availability === 'available'), h.timeout, "alice's presence in the room");
      }),
    },
    {
      name: 'a nick held by another user gets a suffix; the status shows the nick granted',
      run: withHarness(f, async (h) => {
        const alice = await h.signIn(), bob = await h.signIn(), carol = await h.signIn();
        const name = roomName();
        const ra = await enter(h, alice, name, { nick: 'Sam' });
        const rb = await enter(h, bob, name, { nick: 'Sam' });
        const rc = await enter(h, carol, name, { nick: 'Sam' });
        equal((await current(ra.status$)).nick, 'Sam', 'first comer keeps it');
        equal((await current(rb.status$)).nick, 'Sam-2', 'second gets -2');
        equal((await current(rc.status$)).nick, 'Sam-3', 'third gets -3');
        await nicks(ra, h, ['Sam', 'Sam-2', 'Sam-3'], 'three occupants');
      }),
    },
    {
      name: 'a group message fans out to every occupant, and its reflection marks it delivered',
      run: withHarness(f, async (h) => {
        const alice = await h.signIn(), bob = await h.signIn(), carol = await h.signIn();
        const name = roomName();
        const ra = await enter(h, alice, name, { nick: 'Alice' });
        const others = [await enter(h, bob, name, { nick: 'Bob' }), await enter(h, carol, name, { nick: 'Carol' })];
        await nicks(ra, h, ['Alice', 'Bob', 'Carol'], 'everyone in');
        const out = ra.send('hello all');
        for (const r of others) {
          const es = await firstMatch(r.messages$, (x) => x.some((e) => e.message.body === 'hello all'), h.timeout, 'the message');
          deepEqual(es.map((e) => [e.nick, e.direction, e.message.body]), [['Alice', 'in', 'hello all']], 'one inbound entry');
        }
        await firstMatch(out.state$, (d) => d.state === 'delivered', h.timeout, 'delivered by reflection');
        const mine = await current(ra.messages$);
        deepEqual(mine.map((e) => [e.nick, e.direction, e.delivery?.state]), [['Alice', 'out', 'delivered']], 'the reflection is not a second entry');
      }),
    },
    {
      name: 'a late joiner gets the last messages as history, oldest first, with their original times',
      run: withHarness(f, async (h) => {
        const alice = await h.signIn(), bob = await h.signIn();
        const name = roomName();
        const ra = await enter(h, alice, name, { nick: 'Alice' });
        const sent: InstantMessage[] = [];
        for (const body of ['one', 'two', 'three']) {
          const out = ra.send(body);
          await firstMatch(out.state$, (d) => d.state === 'delivered', h.timeout, `${body} delivered`);
          sent.push(out.message);
        }
        const rb = await enter(h, bob, name, { nick: 'Bob', history: 2 });
        const es = await firstMatch(rb.messages$, (x) => x.length >= 2, h.timeout, 'the history');
        await noMatch(rb.messages$, (x) => x.length > 2, h.quiet, 'more history than asked for');
        deepEqual(es.map((e) => [e.nick, e.direction, e.message.body]), [['Alice', 'in', 'two'], ['Alice', 'in', 'three']], 'the last two');
        es.forEach((e, i) => ok(Math.abs(e.message.timestamp - sent[i + 1]!.timestamp) < 1000, `original time of ${e.message.body}`));
      }),
    },
    {
      name: 'a participant sets the subject; it is stored verbatim and shown to late joiners',
      run: withHarness(f, async (h) => {
        const alice = await h.signIn(), bob = await h.signIn(), carol = await h.signIn();
        const name = roomName();
        const ra = await enter(h, alice, name, { nick: 'Alice' });
        const rb = await enter(h, bob, name, { nick: 'Bob' });
        const subject = 'Review <b>10:00</b> & "slides" \u202Eevil';
        await rb.setSubject(subject);
        equal(await firstMatch(ra.subject$, (s) => s !== '', h.timeout, 'the subject'), subject, 'verbatim for alice');
        const rc = await enter(h, carol, name, { nick: 'Carol' });
        equal(await firstMatch(rc.subject$, (s) => s !== '', h.timeout, 'the subject on join'), subject, 'verbatim for a late joiner');
      }),
    },
    {
      name: 'an invitation reaches every device of the invitee, who can join with it',
      run: withHarness(f, async (h) => {
        const alice = await h.signIn();
        const phone = await h.signIn(undefined, { device: 'phone' });
        const pc = await h.signIn(phone.name, { device: 'pc' });
        const name = roomName();
        const ra = await enter(h, alice, name, { nick: 'Alice' });
        const got = [phone, pc].map((d) => firstMatch(roomInvitations$(d.client), (i: RoomInvitation) => i.room.id === ra.address.id, h.timeout, 'the invitation on every device'));
        await ra.invite([phone.client.self], 'Design review');
        const [inv] = await Promise.all(got);
        equal(inv!.from.id, alice.client.self.id, 'from the inviter');
        equal(inv!.reason, 'Design review', 'with the reason');
        const rb = room(phone.client, inv!.room);
        await rb.join({ nick: 'Bob' });
        await nicks(ra, h, ['Alice', 'Bob'], 'the invitee joined');
      }),
    },
    {
      name: 'inviting someone who does not exist fails with recipient/unknown',
      skip: caps.unknownRecipient === false ? 'the backend cannot tell' : undefined,
      run: withHarness(f, async (h) => {
        const alice = await h.signIn();
        const ra = await enter(h, alice, roomName(), { nick: 'Alice' });
        const nobody = f.address(`nobody-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);
        await rejectsWith(ra.invite([nobody]), 'recipient/unknown', 'invite to nobody');
      }),
    },
    {
      name: 'leaving, or a device disconnecting, removes the occupant for the others',
      run: withHarness(f, async (h) => {
        const alice = await h.signIn(), bob = await h.signIn(), carol = await h.signIn();
        const name = roomName();
        const ra = await enter(h, alice, name, { nick: 'Alice' });
        const rb = await enter(h, bob, name, { nick: 'Bob' });
        await enter(h, carol, name, { nick: 'Carol' });
        await nicks(ra, h, ['Alice', 'Bob', 'Carol'], 'everyone in');
        await rb.leave();
        equal((await current(rb.status$)).state, 'left', "bob's status");
        await nicks(ra, h, ['Alice', 'Carol'], 'bob left');
        await carol.client.disconnect();
        await nicks(ra, h, ['Alice'], 'carol went offline');
        const later = ra.send('still here');
        await firstMatch(later.state$, (d) => d.state === 'delivered', h.timeout, 'the room still works');
        await noMatch(rb.messages$, (es) => es.some((e) => e.message.body === 'still here'), h.quiet, 'a message after leaving');
      }),
    },
  ];
  return cases.map((c) => ({ ...c, skip: skip ?? c.skip }));
}
