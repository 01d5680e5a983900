// The XMPP transport against a real Prosody 0.12 (started by the web-test-runner plugin).
import { expect } from '@open-wc/testing';
import { parseAddress } from '../../src/core/address.js';
import { newMessageId, type InstantMessage } from '../../src/core/message.js';
import { newAccount, signIn, type Signed } from './xmpp-helpers.js';

const addr = (s: Signed) => parseAddress(`xmpp:${s.account.jid}`);
const message = (from: Signed, to: Signed, body: string): InstantMessage =>
  ({ id: newMessageId(), from: from.t.self, to: addr(to), body, contentType: 'text/plain', timestamp: Date.now() });

/** alice adds bob and bob approves: both see each other's presence afterwards (mutual). */
async function befriend(a: Signed, b: Signed): Promise<void> {
  await a.t.command({ type: 'add-buddy', address: addr(b), name: 'B' });
  await b.next('watcher', (e) => e.watcher.address.id === addr(a).id && e.watcher.state === 'pending');
  await b.t.command({ type: 'approve', address: addr(a) });
  await a.next('roster-item', (e) => e.item.address.id === addr(b).id && e.item.subscription === 'to');
  await b.t.command({ type: 'add-buddy', address: addr(a) });
  await a.next('watcher', (e) => e.watcher.address.id === addr(b).id && e.watcher.state === 'pending');
  await a.t.command({ type: 'approve', address: addr(b) });
  await b.next('roster-item', (e) => e.item.address.id === addr(a).id && e.item.subscription === 'both');
}

describe('xmpp transport ↔ Prosody', () => {
  const open: Signed[] = [];
  const user = async (resource?: string, account?: Awaited<ReturnType<typeof newAccount>>) => {
    const s = await signIn(account ?? (await newAccount()), resource);
    open.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.allSettled(open.splice(0).map((s) => s.t.disconnect()));
  });

  it('signs in: roster first, then online', async () => {
    const a = await user();
    const kinds: string[] = [];
    a.events$.subscribe((e) => kinds.push(e.type === 'connection' ? `connection:${e.state}` : e.type));
    expect(kinds.indexOf('roster')).to.be.lessThan(kinds.indexOf('connection:online'));
  });

  it('two users subscribe/approve and see each other’s presence with show and status', async () => {
    const [a, b] = [await user(), await user()];
    await befriend(a, b);
    await b.t.command({ type: 'publish', availability: 'busy', note: 'In a call' });
    const seen = await a.next('presence', (e) => e.presence.entity.id === addr(b).id && e.presence.availability === 'busy');
    expect(seen.presence.tuples[0]!.notes[0]!.text).to.equal('In a call');
    const mark = a.mark();
    await b.t.command({ type: 'publish', availability: 'offline' });
    await a.next('presence', (e) => e.presence.entity.id === addr(b).id && e.presence.availability === 'offline', mark);
    const fetched = await a.t.command({ type: 'fetch', address: addr(b) });
    expect(fetched.availability).to.equal('offline');
  });

  it('two resources of one user → two tuples, and carbons of both directions', async () => {
    const [a, b] = [await user('pc'), await user()];
    await befriend(a, b);
    const a2 = await user('phone', a.account);
    const both = await b.next('presence', (e) => e.presence.entity.id === addr(a).id && e.presence.tuples.length === 2);
    expect(both.presence.tuples.map((t) => t.id).sort()).to.deep.equal(['pc', 'phone']);
    // b → a (bare): a/pc and a/phone both get it (live or as a received carbon)
    const toA = message(b, a, 'to both devices');
    await b.t.command({ type: 'send', message: toA });
    await a.next('message', (e) => e.message.id === toA.id);
    await a2.next('message', (e) => e.message.id === toA.id);
    // a/pc → b: a/phone sees a sent carbon, from us
    const fromA = message(a, b, 'from my pc');
    await a.t.command({ type: 'send', message: fromA });
    const carbon = await a2.next('message', (e) => e.message.id === fromA.id);
    expect(carbon.message.from.id).to.equal(addr(a).id);
    expect(carbon.message.to.id).to.equal(addr(b).id);
    // b → a/pc only: a/phone gets a received carbon; live, carbon and MAM copies agree (#39)
    const toPc = { ...message(b, a, 'to the pc'), to: parseAddress(`xmpp:${a.account.jid}/pc`) };
    await b.t.command({ type: 'send', message: toPc });
    const live = await a.next('message', (e) => e.message.id === toPc.id);
    const copy = await a2.next('message', (e) => e.message.id === toPc.id);
    const [archived] = await a2.t.command({ type: 'history', peer: addr(b), max: 1 });
    expect(live.message.serverId).to.be.a('string');
    expect([copy.message.serverId, archived!.serverId, archived!.id]).to.deep.equal([live.message.serverId, live.message.serverId, toPc.id]);
    const mark = b.mark();
    await a2.t.disconnect();
    const one = await b.next('presence', (e) => e.presence.entity.id === addr(a).id && e.presence.tuples.length === 1, mark);
    expect(one.presence.tuples[0]!.id).to.equal('pc');
  });

  it('message + receipt → delivered, displayed → read; typing', async () => {
    const [a, b] = [await user(), await user()];
    await befriend(a, b);
    await a.t.command({ type: 'typing', to: addr(b), typing: true });
    await b.next('typing', (e) => e.from.id === addr(a).id && e.typing);
    const m = message(a, b, 'hello <b>bob</b>');
    const t0 = performance.now();
    await a.t.command({ type: 'send', message: m });
    const got = await b.next('message', (e) => e.message.id === m.id);
    expect(got.message.body).to.equal('hello <b>bob</b>');
    expect(got.message.serverId, 'stanza-id by our archive').to.be.a('string');
    await a.next('receipt', (e) => e.id === m.id && e.state === 'delivered');
    const rtt = performance.now() - t0;
    await b.t.command({ type: 'mark-read', peer: addr(a), id: m.id });
    await a.next('receipt', (e) => e.id === m.id && e.state === 'read');
    console.log(`[xmpp] send → delivered receipt round trip: ${rtt.toFixed(1)} ms`);
  });

  it('round trips: 20 messages each acknowledged by a receipt (median logged)', async () => {
    const [a, b] = [await user(), await user()];
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const m = message(a, b, `ping ${i}`);
      const mark = a.mark();
      const t0 = performance.now();
      await a.t.command({ type: 'send', message: m });
      await a.next('receipt', (e) => e.id === m.id && e.state === 'delivered', mark);
      times.push(performance.now() - t0);
    }
    times.sort((x, y) => x - y);
    console.log(`[xmpp] message → receipt RTT over 20: median ${times[10]!.toFixed(1)} ms, max ${times[19]!.toFixed(1)} ms`);
    expect(times[10]).to.be.lessThan(1000);
  });

  it('sending to a user that does not exist fails with recipient/unknown', async () => {
    const a = await user();
    const m = { ...message(a, a, 'anyone?'), to: parseAddress(`xmpp:nobody-${newMessageId().toLowerCase()}@localhost`) };
    await a.t.command({ type: 'send', message: m });
    const r = await a.next('receipt', (e) => e.id === m.id);
    expect(r.state).to.equal('failed');
    expect(r.error?.code).to.equal('recipient/unknown');
  });

  it('history via MAM after reconnecting, paged with before', async () => {
    const [a, b] = [await user(), await user()];
    await befriend(a, b);
    const sent: string[] = [];
    for (let i = 0; i < 5; i++) {
      const m = message(i % 2 ? b : a, i % 2 ? a : b, `m${i}`);
      sent.push(m.id);
      await (i % 2 ? b : a).t.command({ type: 'send', message: m });
      await (i % 2 ? a : b).next('message', (e) => e.message.id === m.id);
    }
    await a.t.disconnect();
    await a.t.connect();
    const last3 = await a.t.command({ type: 'history', peer: addr(b), max: 3 });
    expect(last3.map((m) => m.body)).to.deep.equal(['m2', 'm3', 'm4']);
    expect(last3.map((m) => m.id)).to.deep.equal(sent.slice(2));
    const older = await a.t.command({ type: 'history', peer: addr(b), max: 3, before: last3[0]!.serverId! });
    expect(older.map((m) => m.body)).to.deep.equal(['m0', 'm1']);
    const byMessageId = await a.t.command({ type: 'history', peer: addr(b), max: 1, before: last3[1]!.id });
    expect(byMessageId.map((m) => m.body), 'before may be a message id').to.deep.equal(['m2']);
    expect(older[0]!.from.id).to.equal(addr(a).id);
  });

  it('a message to an offline user is delivered on login (with its original time)', async () => {
    const [a, bAccount] = [await user(), await newAccount()];
    const b0 = await user(undefined, bAccount);
    await befriend(a, b0);
    await b0.t.disconnect();
    const m = message(a, b0, 'while you were out');
    await a.t.command({ type: 'send', message: m });
    await new Promise((r) => setTimeout(r, 200));
    const b = await user(undefined, bAccount);
    const got = await b.next('message', (e) => e.message.id === m.id);
    expect(got.message.body).to.equal('while you were out');
    expect(got.message.timestamp).to.be.at.most(Date.now() - 150);
  });

  it('blocking: the blocked watcher sees us offline and cannot reach us; unblock restores', async () => {
    const [a, b] = [await user(), await user()];
    await befriend(a, b);
    await b.next('presence', (e) => e.presence.entity.id === addr(a).id && e.presence.availability === 'available');
    let mark = b.mark();
    await a.t.command({ type: 'block', address: addr(b) });
    await a.next('watcher', (e) => e.watcher.address.id === addr(b).id && e.watcher.state === 'blocked');
    await b.next('presence', (e) => e.presence.entity.id === addr(a).id && e.presence.availability === 'offline', mark);
    const m = message(b, a, 'let me in');
    await b.t.command({ type: 'send', message: m });
    await new Promise((r) => setTimeout(r, 300));
    const a2 = await user('second', a.account); // the blocklist is fetched at login
    await a2.next('watcher', (e) => e.watcher.address.id === addr(b).id && e.watcher.state === 'blocked');
    mark = b.mark();
    const aMark = a.mark();
    await a.t.command({ type: 'unblock', address: addr(b) });
    await a.next('watcher', (e) => e.watcher.address.id === addr(b).id && e.watcher.state === 'approved', aMark);
    await b.next('presence', (e) => e.presence.entity.id === addr(a).id && e.presence.availability === 'available', mark);
    let leaked = false;
    a.events$.subscribe((e) => { if (e.type === 'message' && e.message.id === m.id) leaked = true; });
    expect(leaked).to.equal(false);
  });
});
