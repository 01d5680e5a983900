// Group sessions of the in-page service at the transport level: replication across tabs, the
// lazily loaded room part, and what the transport-neutral conformance cases cannot see.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { parseAddress } from '../../../src/core/address.js';
import { ImppError } from '../../../src/core/errors.js';
import type { InstantMessage } from '../../../src/core/message.js';
import { at, device, freshChannel, next, tab, tick } from './helpers.js';

const closers: (() => void)[] = [];
after(() => closers.forEach((c) => c()));
const open = (channel: string) => { const s = tab(channel); closers.push(() => s.close()); return s; };
const room = parseAddress('im:review@rooms.in-page.invalid');
const msg = (id: string, body: string, from = at('alice')): InstantMessage => ({ id, from, to: room, body, contentType: 'text/plain', timestamp: 1_700_000_000_000 });

test('the transport offers rooms on rooms.<domain>', () => {
  const s = open(freshChannel());
  assert.equal(device(s, 'alice').t.roomDomain, 'rooms.in-page.invalid');
  assert.equal(device(s, 'bob', { domain: 'example.com' }).t.roomDomain, 'rooms.example.com');
});

test('a room spans tabs: invitation, occupants, messages and subject replicate; a late tab gets the history', async () => {
  const channel = freshChannel();
  const tabA = open(channel), tabB = open(channel);
  const alice = device(tabA, 'alice'), bob = device(tabB, 'bob');
  await alice.t.connect();
  await bob.t.connect();
  await tick();
  assert.deepEqual(await alice.t.command({ type: 'room-join', room, nick: 'Alice' }), { nick: 'Alice' });
  const invited = next(bob.t.events$, 'room-invite');
  await alice.t.command({ type: 'room-invite', room, addresses: [bob.address], reason: 'review' });
  const inv = await invited;
  assert.deepEqual([inv.invitation.room.id, inv.invitation.from.id, inv.invitation.reason], [room.id, alice.address.id, 'review']);
  const joined = next(alice.t.events$, 'room-occupant', (e) => e.occupant.nick === 'Alice-2');
  assert.deepEqual(await bob.t.command({ type: 'room-join', room, nick: 'Alice' }), { nick: 'Alice-2' }, 'nick conflict across tabs');
  const seen = await joined;
  assert.deepEqual([seen.occupant.role, seen.occupant.affiliation, seen.occupant.address?.id], ['participant', 'none', bob.address.id]);
  const reflected = next(bob.t.events$, 'room-message', (e) => e.message.id === 'b1');
  await bob.t.command({ type: 'room-send', room, message: msg('b1', 'from tab B', bob.address) });
  const got = await next(alice.t.events$, 'room-message', (e) => e.message.id === 'b1');
  assert.equal(got.nick, 'Alice-2');
  assert.equal(got.message.from.toString(), 'xmpp:review@rooms.in-page.invalid/Alice-2', 'from is room/nick');
  assert.equal((await reflected).nick, 'Alice-2', 'the reflection reaches the sender');
  const subject = next(bob.t.events$, 'room-subject', (e) => e.subject !== '');
  await alice.t.command({ type: 'room-subject', room, subject: '<img src=x onerror=alert(1)>' });
  assert.equal((await subject).subject, '<img src=x onerror=alert(1)>', 'verbatim');

  const tabC = open(channel);
  const carol = device(tabC, 'carol');
  await carol.t.connect();
  const history$ = next(carol.t.events$, 'room-message');
  await carol.t.command({ type: 'room-join', room, nick: 'Carol', history: 5 });
  const history = await history$;
  assert.deepEqual([history.message.id, history.message.body, history.message.timestamp], ['b1', 'from tab B', 1_700_000_000_000]);
  assert.equal(carol.log.filter((e) => e.type === 'room-invite').length, 0, 'old invitations are never replayed');
  const gone = next(alice.t.events$, 'room-occupant', (e) => e.occupant.nick === 'Alice-2' && e.left === true);
  await bob.t.disconnect();
  await gone;
});

test('joining twice from one device is idempotent; two devices of one user share a nick', async () => {
  const s = open(freshChannel());
  const pc = device(s, 'alice', { device: 'pc' }), phone = device(s, 'alice', { device: 'phone' });
  await pc.t.connect();
  await phone.t.connect();
  assert.deepEqual(await pc.t.command({ type: 'room-join', room, nick: 'Al' }), { nick: 'Al' });
  assert.deepEqual(await pc.t.command({ type: 'room-join', room, nick: 'Other' }), { nick: 'Al' });
  assert.deepEqual(await phone.t.command({ type: 'room-join', room, nick: 'Al' }), { nick: 'Al' });
  const onPhone = next(phone.t.events$, 'room-message', (e) => e.message.id === 'm1');
  await pc.t.command({ type: 'room-send', room, message: msg('m1', 'hi') });
  await onPhone;
  await tick();
  assert.equal(pc.log.filter((e) => e.type === 'room-message').length, 1, 'the reflection arrives once');
});

test('bad room commands reject with typed errors, before and after joining', async () => {
  const s = open(freshChannel());
  const alice = device(s, 'alice');
  await alice.t.connect();
  const rejects = (p: Promise<unknown>, code: string) => assert.rejects(p, (e: unknown) => ImppError.is(e, code as never));
  await rejects(alice.t.command({ type: 'room-send', room, message: msg('x', 'not joined') }), 'client/invalid-argument');
  await rejects(alice.t.command({ type: 'room-subject', room, subject: 'not joined' }), 'client/invalid-argument');
  await rejects(alice.t.command({ type: 'room-join', room, nick: 'a\u0007b' }), 'client/invalid-argument');
  await rejects(alice.t.command({ type: 'room-join', room, nick: '' }), 'address/invalid');
  await rejects(alice.t.command({ type: 'room-invite', room, addresses: [at('nobody')] }), 'recipient/unknown');
  await rejects(alice.t.command({ type: 'no-such-command' } as never), 'client/invalid-argument');
  await alice.t.command({ type: 'room-join', room, nick: 'Alice' });
  await rejects(alice.t.command({ type: 'room-send', room, message: msg('e', '') }), 'message/empty');
  await rejects(alice.t.command({ type: 'room-send', room, message: msg('big', 'x'.repeat(70_000)) }), 'message/too-large');
  await rejects(alice.t.command({ type: 'room-subject', room, subject: 'x'.repeat(2000) }), 'client/invalid-argument');
});

test('a blocked inviter\'s invitation is dropped politely; the invite still resolves', async () => {
  const s = open(freshChannel());
  const alice = device(s, 'alice'), bob = device(s, 'bob'), carol = device(s, 'carol');
  for (const d of [alice, bob, carol]) await d.t.connect();
  await bob.t.command({ type: 'block', address: alice.address });
  const control = next(carol.t.events$, 'room-invite');
  await alice.t.command({ type: 'room-invite', room, addresses: [bob.address, carol.address] });
  await control; // the same invitation reaches someone who did not block alice
  await tick(50);
  assert.equal(bob.log.filter((e) => e.type === 'room-invite').length, 0);
});

test('room facts another tab wrote in a form we cannot read are ignored; rooms keep working', async () => {
  const channel = freshChannel();
  const tabA = open(channel), tabB = open(channel);
  const alice = device(tabA, 'alice'), bob = device(tabB, 'bob');
  await alice.t.connect();
  await bob.t.connect();
  const rejections: unknown[] = [];
  const onRejection = (e: unknown) => rejections.push(e);
  process.on('unhandledRejection', onRejection);
  try {
    for (const k of ['["X', '["I",1,2]', JSON.stringify(['I', 'not a room', 'bob@in-page.invalid', '::', '', 'n']), JSON.stringify(['M', room.id, 'x'])]) tabB.state.replica.put(k, { junk: true });
    await tick(50);
    await alice.t.command({ type: 'room-join', room, nick: 'Alice' });
    const got = next(alice.t.events$, 'room-message', (e) => e.message.id === 'ok');
    await alice.t.command({ type: 'room-send', room, message: msg('ok', 'still fine') });
    await got;
    assert.deepEqual(rejections, []);
  } finally {
    process.off('unhandledRejection', onRejection);
  }
});
