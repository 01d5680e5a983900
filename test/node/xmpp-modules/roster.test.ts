import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseXml } from '../../../src/core/codecs/xml.js';
import { parseJid } from '../../../src/core/transports/xmpp/jid.js';
import { roster } from '../../../src/core/transports/xmpp/roster.js';
import { fakeLink, tick } from './fake-link.js';

const PUSH = (from: string) =>
  `<iq type="set" id="p1"${from}><query xmlns="jabber:iq:roster"><item jid="Mallory@Localhost" subscription="both"/></query></iq>`;

describe('roster (RFC 6121 §2)', () => {
  it('fetches the roster with names, groups, subscription and pending-out', async () => {
    const f = fakeLink();
    f.respond((iq) => parseXml(`<iq xmlns="jabber:client" type="result" id="${iq.attrs['id']}"><query xmlns="jabber:iq:roster">
      <item jid="bob@localhost" name="Bob" subscription="both"><group>Friends</group><group>Friends</group></item>
      <item jid="carol@localhost" subscription="none" ask="subscribe"/>
      <item jid="not a jid" subscription="both"/>
      <item jid="dave@localhost" subscription="bogus"/></query></iq>`));
    const r = roster(f.link, f.emit);
    const items = await r.fetch();
    assert.equal(items.length, 3);
    const [ev] = f.ofType('roster');
    assert.deepEqual(ev!.items.map((i) => [i.address.toString(), i.name, i.groups, i.subscription, i.pendingOut]), [
      ['xmpp:bob@localhost', 'Bob', ['Friends'], 'both', false],
      ['xmpp:carol@localhost', undefined, [], 'none', true],
      ['xmpp:dave@localhost', undefined, [], 'none', false],
    ]);
    assert.match(f.wire()[0]!, /<iq type="get" id="[^"]+"><query xmlns="jabber:iq:roster"\/><\/iq>/);
  });

  for (const [label, from] of [['no from', ''], ['our bare JID', ' from="alice@localhost"']] as const) {
    it(`accepts a push from ${label} and answers it with a result`, async () => {
      const f = fakeLink();
      const r = roster(f.link, f.emit);
      f.push(PUSH(from));
      await tick();
      assert.equal(r.get(f.link.jid)?.address, undefined);
      const [ev] = f.ofType('roster-item');
      assert.equal(ev?.item.address.toString(), 'xmpp:mallory@localhost');
      assert.match(f.wire().at(-1)!, /<iq type="result" id="p1"/);
    });
  }

  for (const from of ['mallory@localhost', 'alice@localhost/other', 'localhost']) {
    it(`ignores a roster push from ${from} (#33)`, async () => {
      const f = fakeLink();
      roster(f.link, f.emit);
      f.push(PUSH(` from="${from}"`));
      await tick();
      assert.equal(f.events.length, 0);
      assert.match(f.wire().at(-1)!, /type="error".*service-unavailable/);
    });
  }

  it('a push with subscription="remove" removes the item', async () => {
    const f = fakeLink();
    const r = roster(f.link, f.emit);
    f.push(PUSH(''));
    f.push('<iq type="set" id="p2"><query xmlns="jabber:iq:roster"><item jid="mallory@localhost" subscription="remove"/></query></iq>');
    await tick();
    assert.equal(f.ofType('roster-item').at(-1)?.removed, true);
    assert.equal(r.get(f.ofType('roster-item')[0]!.item.address), undefined);
  });

  it('add sends name and groups; remove sends subscription="remove"', async () => {
    const f = fakeLink();
    const r = roster(f.link, f.emit);
    f.respond((iq) => {
      setTimeout(() => f.push('<iq type="set" id="p9"><query xmlns="jabber:iq:roster"><item jid="bob@localhost" name="Bob &lt;b&gt;"><group>Work</group></item></query></iq>'), 5);
      return parseXml(`<iq xmlns="jabber:client" type="result" id="${iq.attrs['id']}"/>`);
    });
    const t0 = Date.now();
    await r.set(parseJidOrThrow('bob@localhost'), 'Bob <b>', ['Work']);
    assert.equal(r.get(parseJidOrThrow('bob@localhost'))?.name, 'Bob <b>', 'set() resolves after the push');
    assert.ok(Date.now() - t0 < 1000);
    await r.remove(parseJidOrThrow('bob@localhost'));
    assert.match(f.wire()[0]!, /<item jid="bob@localhost" name="Bob &lt;b&gt;"><group>Work<\/group><\/item>/);
    assert.match(f.wire().at(-1)!, /<item jid="bob@localhost" subscription="remove"\/>/);
  });
});

function parseJidOrThrow(s: string) {
  const a = parseJid(s);
  assert.ok(a);
  return a;
}
