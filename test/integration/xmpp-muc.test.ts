// XEP-0045 rooms and XEP-0249 invitations through the public client (room(client, name))
// against the real Prosody 0.12 MUC component (conference.localhost, with muc_mam).
import { expect } from '@open-wc/testing';
import { createClient } from '../../src/core/client.js';
import type { ImppClient, Room } from '../../src/core/client-api.js';
import { ImppError } from '../../src/core/errors.js';
import { room, roomInvitations$ } from '../../src/core/rooms.js';
import { xmppWebSocket } from '../../src/core/transports/xmpp/index.js';
import { firstMatch } from '../conformance/streams.js';
import { newAccount, prosody, type Account } from './xmpp-helpers.js';

const name = () => `r-${Math.random().toString(36).slice(2, 10)}`;

describe('xmpp rooms (XEP-0045) ↔ Prosody MUC', () => {
  const open: ImppClient[] = [];
  const signIn = async (account?: Account): Promise<ImppClient & { account: Account }> => {
    const { wsUrl } = await prosody();
    const acc = account ?? (await newAccount());
    const client = createClient({ transport: xmppWebSocket({ service: wsUrl, jid: acc.jid, password: acc.password, keepaliveMs: 0 }), outbox: 'memory' });
    open.push(client);
    await firstMatch(client.connection$, (c) => c.state === 'online', 8000, `${acc.jid} online`);
    return Object.assign(client, { account: acc });
  };
  const nicks = (r: Room, want: string[]) =>
    firstMatch(r.occupants$, (os) => want.every((n) => os.some((o) => o.nick === n)), 5000, `occupants ${want.join(', ')}`);
  afterEach(async () => {
    await Promise.allSettled(open.splice(0).map((c) => c.disconnect()));
  });

  it('creates an instant room on conference.<domain>; a second user joins and both see each other', async () => {
    const { domain } = await prosody();
    const [a, b] = [await signIn(), await signIn()];
    const r = name();
    const ra = room(a, r);
    expect(ra.address.id).to.equal(`${r}@conference.${domain}`);
    await ra.join({ nick: 'Alice' });
    const joined = await firstMatch(ra.status$, (s) => s.state === 'joined', 5000, 'joined');
    expect(joined.nick).to.equal('Alice');
    const rb = room(b, r);
    await rb.join({ nick: 'Bob' });
    const seen = await nicks(rb, ['Alice', 'Bob']);
    expect(seen.find((o) => o.nick === 'Alice')!.affiliation).to.equal('owner');
    const alicesView = await nicks(ra, ['Alice', 'Bob']);
    const bob = alicesView.find((o) => o.nick === 'Bob')!;
    expect([bob.role, bob.presence.availability]).to.deep.equal(['participant', 'available']);
    expect(bob.address?.id, 'the owner sees real JIDs (semi-anonymous room)').to.equal(b.account.jid);
  });

  it('a taken nick gets a suffix', async () => {
    const [a, b] = [await signIn(), await signIn()];
    const r = name();
    await room(a, r).join({ nick: 'Sam' });
    const rb = room(b, r);
    await rb.join({ nick: 'Sam' });
    expect((await firstMatch(rb.status$, (s) => s.state === 'joined')).nick).to.equal('Sam-2');
    await nicks(room(a, r), ['Sam', 'Sam-2']);
  });

  it('messages fan out; our own reflection marks ours delivered, once', async () => {
    const [a, b] = [await signIn(), await signIn()];
    const r = name();
    const [ra, rb] = [room(a, r), room(b, r)];
    await ra.join({ nick: 'Alice' });
    await rb.join({ nick: 'Bob' });
    await nicks(ra, ['Bob']);
    const inbox: string[] = [];
    b.inbox$.subscribe((m) => inbox.push(m.from.id));
    const out = ra.send('hello <b>room</b>');
    await firstMatch(out.state$, (d) => d.state === 'delivered', 5000, 'delivered (reflected)');
    const got = await firstMatch(rb.messages$, (es) => es.some((e) => e.message.id === out.id), 5000, 'the message at Bob');
    const entry = got.find((e) => e.message.id === out.id)!;
    expect([entry.nick, entry.direction, entry.message.body]).to.deep.equal(['Alice', 'in', 'hello <b>room</b>']);
    expect(entry.message.serverId, 'stanza-id by the room (muc_mam)').to.be.a('string');
    const mine = (await firstMatch(ra.messages$, () => true)).filter((e) => e.message.id === out.id);
    expect(mine.length).to.equal(1);
    const reply = rb.send('hi Alice');
    await firstMatch(ra.messages$, (es) => es.some((e) => e.message.id === reply.id && e.nick === 'Bob'), 5000, 'Bob\'s reply at Alice');
    expect(inbox, 'group messages are not 1:1 inbox entries').to.deep.equal([]);
  });

  it('history on join after a reload: earlier messages arrive with their original time', async () => {
    const [a, b] = [await signIn(), await signIn()];
    const r = name();
    await room(b, r).join({ nick: 'Bob' }); // keeps the (non-persistent) room alive
    const ra = room(a, r);
    await ra.join({ nick: 'Alice' });
    const first = ra.send('before reload');
    await firstMatch(first.state$, (d) => d.state === 'delivered');
    const sentAt = Date.now();
    await new Promise((res) => setTimeout(res, 1100));
    await a.disconnect(); // "reload": a new client, same account
    const again = await signIn(a.account);
    const ra2 = room(again, r);
    await ra2.join({ nick: 'Alice', history: 10 });
    const es = await firstMatch(ra2.messages$, (xs) => xs.some((e) => e.message.id === first.id), 5000, 'the earlier message from history');
    const old = es.find((e) => e.message.id === first.id)!;
    expect([old.nick, old.direction, old.message.body]).to.deep.equal(['Alice', 'out', 'before reload']);
    expect(Math.abs(old.message.timestamp - sentAt)).to.be.lessThan(1000, 'the <delay> time, not the arrival time');
  });

  it('subject: set verbatim, seen by occupants and later joiners; a participant may set it too', async () => {
    const [a, b, c] = [await signIn(), await signIn(), await signIn()];
    const r = name();
    const [ra, rb] = [room(a, r), room(b, r)];
    await ra.join({ nick: 'Alice' });
    await rb.join({ nick: 'Bob' });
    const subject = 'Design review 10:00 <script>x</script>';
    await ra.setSubject(subject);
    await firstMatch(rb.subject$, (s) => s === subject, 5000, 'the subject at Bob');
    const rc = room(c, r);
    await rc.join({ nick: 'Carol' });
    await firstMatch(rc.subject$, (s) => s === subject, 5000, 'the subject on join');
    await rb.setSubject('mine now'); // our instant rooms allow it (muc#roomconfig_changesubject)
    await firstMatch(rc.subject$, (s) => s === 'mine now', 5000, 'the participant\'s subject');
  });

  it('a direct invitation (XEP-0249) reaches the invitee', async () => {
    const [a, b] = [await signIn(), await signIn()];
    const r = name();
    const ra = room(a, r);
    await ra.join({ nick: 'Alice' });
    const invited = firstMatch(roomInvitations$(b), (i) => i.room.id === ra.address.id, 5000, 'an invitation');
    await ra.invite([b.account.jid], 'Review at 10');
    const inv = await invited;
    expect([inv.from.id, inv.reason]).to.deep.equal([a.account.jid, 'Review at 10']);
    const ghost = await ra.invite([`nobody-${name()}@${(await prosody()).domain}`]).then(() => undefined, (e: unknown) => e);
    expect(ImppError.is(ghost, 'recipient/unknown'), String(ghost)).to.equal(true);
    await room(b, inv.room).join({ nick: 'Bob' });
    await nicks(ra, ['Bob']);
  });

  it('leave: the others see the occupant go; our status is left', async () => {
    const [a, b] = [await signIn(), await signIn()];
    const r = name();
    const [ra, rb] = [room(a, r), room(b, r)];
    await ra.join({ nick: 'Alice' });
    await rb.join({ nick: 'Bob' });
    await nicks(ra, ['Bob']);
    await rb.leave();
    await firstMatch(ra.occupants$, (os) => !os.some((o) => o.nick === 'Bob'), 5000, 'Bob gone');
    expect((await firstMatch(rb.status$, () => true)).state).to.equal('left');
  });
});
