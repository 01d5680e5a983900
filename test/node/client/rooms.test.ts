import assert from 'node:assert/strict';
import { test } from 'node:test';
import { firstValueFrom } from 'rxjs';
import { parseAddress, tryParseAddress } from '../../../src/core/address.js';
import { createClient } from '../../../src/core/client.js';
import { ImppError } from '../../../src/core/errors.js';
import type { InstantMessage } from '../../../src/core/message.js';
import { offlinePresence } from '../../../src/core/presence.js';
import { room as roomOf, roomInvitations$, roomNameForBooking } from '../../../src/core/rooms.js';
import type { RoomInvitation } from '../../../src/core/transports/transport.js';
import { FakeTransport, tick } from './fake-transport.js';

const room = parseAddress('design@rooms.example.com');
const said = (nick: string, id: string, body: string, extra: Partial<InstantMessage> = {}): InstantMessage => ({
  id, from: parseAddress(`xmpp:design@rooms.example.com/${nick}`), to: room, body, contentType: 'text/plain', timestamp: 1, ...extra,
});

async function joined() {
  const transport = new FakeTransport();
  transport.handler = async (cmd) => (cmd.type === 'room-join' ? { nick: 'alice-2' } : undefined);
  const client = createClient({ transport, outbox: 'memory' });
  await tick();
  return { transport, client };
}

test('room(client, name) lives on the transport room domain; a transport without rooms says so', () => {
  const transport = new FakeTransport();
  const client = createClient({ transport, outbox: 'memory', autoConnect: false });
  assert.equal(roomOf(client, 'design').address.toString(), 'im:design@rooms.example.com');
  assert.equal(roomOf(client, 'design'), roomOf(client, 'im:design@rooms.example.com'), 'one session object per room');
  transport.roomDomain = undefined;
  assert.throws(() => roomOf(client, 'other'), (e: unknown) => ImppError.is(e, 'transport/unsupported'));
});

test('joining sends our nick, and a nick conflict shows the nick we actually got', async () => {
  const { transport, client } = await joined();
  const r = roomOf(client, 'design');
  await r.join();
  const join = transport.commands.find((c) => c.type === 'room-join') as { nick: string } | undefined;
  assert.equal(join?.nick, 'alice');
  const status = await firstValueFrom(r.status$);
  assert.deepEqual([status.state, status.nick], ['joined', 'alice-2']);
});

test('a message sent before joining waits queued, goes out on join, and the room reflection marks it delivered', async () => {
  const { transport, client } = await joined();
  const r = roomOf(client, 'design');
  const out = r.send('hello room');
  const states: string[] = [];
  out.state$.subscribe((d) => states.push(d.state));
  assert.equal(transport.count('room-send'), 0);
  await r.join();
  await tick();
  assert.equal(transport.count('room-send'), 1);
  transport.events.next({ type: 'room-message', room, nick: 'alice-2', message: said('alice-2', out.id, 'hello room') });
  assert.deepEqual(states, ['queued', 'sent', 'delivered']);
  const entries = await firstValueFrom(r.messages$);
  assert.equal(entries.length, 1, 'the reflection is not a second entry');
});

test('participants come and go, others\' messages arrive once, and the subject replays', async () => {
  const { transport, client } = await joined();
  const r = roomOf(client, 'design');
  await r.join();
  const bob = { nick: 'Bob', role: 'participant' as const, affiliation: 'member' as const, presence: offlinePresence(parseAddress('bob@example.com')) };
  transport.events.next({ type: 'room-occupant', room, occupant: bob });
  transport.events.next({ type: 'room-occupant', room, occupant: { ...bob, nick: 'Carol' } });
  transport.events.next({ type: 'room-occupant', room, occupant: bob, left: true });
  assert.deepEqual((await firstValueFrom(r.occupants$)).map((o) => o.nick), ['Carol']);
  transport.events.next({ type: 'room-message', room, nick: 'Carol', message: said('Carol', 'c1', 'hi', { serverId: 'S9' }) });
  transport.events.next({ type: 'room-message', room, nick: 'Carol', message: said('Carol', 'c1-again', 'hi', { serverId: 'S9' }) }); // history copy
  transport.events.next({ type: 'room-subject', room, subject: 'Design review <b>10:00</b>' });
  const entries = await firstValueFrom(r.messages$);
  assert.deepEqual(entries.map((e) => [e.nick, e.direction]), [['Carol', 'in']]);
  assert.equal(await firstValueFrom(r.subject$), 'Design review <b>10:00</b>', 'subject is data, kept verbatim');
});

test('a dropped link does not flap the room status; after reconnecting it is joined again until left', async () => {
  const { transport, client } = await joined();
  const r = roomOf(client, 'design');
  await r.join();
  const states: string[] = [];
  r.status$.subscribe((s) => states.push(s.state));
  transport.drop();
  await transport.connect();
  await tick();
  assert.equal(transport.count('room-join'), 2, 'rejoined (the transport answers at once when still joined)');
  assert.deepEqual(states, ['joined'], 'no joined → joining → joined flapping');
  await r.leave();
  transport.drop();
  await transport.connect();
  await tick();
  assert.equal(transport.count('room-join'), 2, 'a left room is not rejoined');
});

test('invitations arrive on invitations$ and invite() passes parsed addresses', async () => {
  const { transport, client } = await joined();
  const got: RoomInvitation[] = [];
  roomInvitations$(client).subscribe((i) => got.push(i));
  transport.events.next({ type: 'room-invite', invitation: { room, from: parseAddress('bob@example.com'), reason: 'join us' } });
  assert.equal(got[0]?.reason, 'join us');
  await roomOf(client, 'design').invite(['Bob@Example.com', 'carol@example.com'], 'review');
  const invite = transport.commands.find((c) => c.type === 'room-invite') as { addresses: { id: string }[] } | undefined;
  assert.deepEqual(invite?.addresses.map((a) => a.id), ['bob@example.com', 'carol@example.com']);
  await assert.rejects(roomOf(client, 'design').invite(['not an address']), (e: unknown) => ImppError.is(e, 'address/invalid'));
});

test('booking ids map to room names deterministically and safely', async () => {
  const a = await roomNameForBooking('Room 4 / 2026-11-26 10:00');
  assert.equal(a, await roomNameForBooking('Room 4 / 2026-11-26 10:00'));
  assert.match(a, /^room-4-2026-11-26-10-00-[a-z2-7]{20}$/);
  assert.notEqual(a, await roomNameForBooking('Room 4 / 2026-11-26 10:00 '), 'ids that slug alike still differ');
  for (const evil of ['evil@attacker.example/res', '../../x', 'a\u0000b', '<script>', 'x?join;password=1', '\u202Eabc']) {
    const name = await roomNameForBooking(evil);
    assert.match(name, /^[a-z0-9-]+$/);
    assert.equal(tryParseAddress(`${name}@rooms.example.com`)?.local, name);
  }
  await assert.rejects(roomNameForBooking(''), (e: unknown) => ImppError.is(e, 'client/invalid-argument'));
});

test('a join interrupted by a dropped link keeps trying instead of failing', async () => {
  const transport = new FakeTransport();
  let first = true;
  transport.handler = async (cmd) => {
    if (cmd.type !== 'room-join') return undefined;
    if (first) { first = false; throw new ImppError('client/disconnected', 'link dropped'); }
    return { nick: 'alice' };
  };
  const client = createClient({ transport, outbox: 'memory' });
  await tick();
  const r = roomOf(client, 'design');
  await r.join();
  assert.equal((await firstValueFrom(r.status$)).state, 'joining');
  transport.drop();
  await transport.connect();
  await tick();
  assert.equal((await firstValueFrom(r.status$)).state, 'joined');
});
