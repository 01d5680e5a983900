import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAddress } from '../../../src/core/address.js';
import { mapPriority, presence, presenceStanza, showToAvailability } from '../../../src/core/transports/xmpp/presence.js';
import { serializeXml } from '../../../src/core/codecs/xml.js';
import { fakeLink, tick } from './fake-link.js';

const onRoster = new Set(['bob@localhost']);
const setup = (windowMs = 0) => {
  const f = fakeLink();
  const p = presence(f.link, f.emit, { accepts: (a) => onRoster.has(a.id), windowMs });
  return { f, p };
};

describe('presence (RFC 6121 §4)', () => {
  it('maps <show> chat/away/xa/dnd/none to availability', () => {
    assert.deepEqual(['chat', 'away', 'xa', 'dnd', undefined, 'bogus', '__proto__'].map((s) => showToAvailability(s)),
      ['available', 'away', 'away', 'busy', 'available', 'available', 'available']);
  });

  it('maps priority -128..127 monotonically into 0..1 (absent = 0, clamped, junk = 0)', () => {
    assert.equal(mapPriority('-128'), 0);
    assert.equal(mapPriority('127'), 1);
    assert.equal(mapPriority(undefined), mapPriority('0'));
    assert.equal(mapPriority('999'), 1);
    assert.equal(mapPriority('1e3'), mapPriority('0'));
    const values = [-128, -5, 0, 1, 5, 127].map((n) => mapPriority(String(n)));
    assert.deepEqual([...values].sort((a, b) => a - b), values);
    assert.ok(new Set(values).size === values.length);
  });

  it('one tuple per resource, status as note, unavailable removes the tuple', async () => {
    const { f } = setup();
    f.push('<presence from="bob@localhost/phone"><show>dnd</show><status>In a meeting</status><priority>5</priority></presence>');
    f.push('<presence from="bob@localhost/pc"><show>xa</show><priority>-1</priority></presence>');
    await tick();
    let [ev] = f.ofType('presence');
    assert.equal(f.ofType('presence').length, 1, 'one event for the two stanzas');
    assert.deepEqual(ev!.presence.tuples.map((t) => [t.id, t.availability, t.notes[0]?.text, t.contact]), [
      ['phone', 'busy', 'In a meeting', 'xmpp:bob@localhost/phone'],
      ['pc', 'away', undefined, 'xmpp:bob@localhost/pc'],
    ]);
    assert.equal(ev!.presence.availability, 'busy', 'highest priority tuple leads');
    assert.equal(ev!.presence.entity.toString(), 'xmpp:bob@localhost');
    f.push('<presence from="bob@localhost/phone" type="unavailable"/>');
    await tick();
    ev = f.ofType('presence').at(-1);
    assert.deepEqual(ev!.presence.tuples.map((t) => t.id), ['pc']);
    assert.equal(ev!.presence.availability, 'away');
    f.push('<presence from="bob@localhost/pc" type="unavailable"/>');
    await tick();
    assert.equal(f.ofType('presence').at(-1)!.presence.availability, 'offline');
  });

  it('presence from a JID not on the roster never becomes a presence event (#36)', async () => {
    const { f } = setup();
    f.push('<presence from="mallory@evil.example/x"><status>hi</status></presence>');
    f.push('<presence from="evil.example"/>');
    f.push('<presence/>');
    await tick();
    assert.equal(f.events.length, 0);
  });

  it('our own other resources are tuples of our own presence', async () => {
    const { f } = setup();
    f.push('<presence from="alice@localhost/phone"/>');
    await tick();
    assert.equal(f.ofType('presence')[0]?.presence.entity.id, 'alice@localhost');
  });

  it('coalesces a flood of 1,000 updates per address into one event (#37)', async () => {
    const { f } = setup(300);
    for (let i = 0; i < 1000; i++) f.push(`<presence from="bob@localhost/r${i % 3}"><status>n${i}</status></presence>`);
    await tick();
    assert.equal(f.ofType('presence').length, 1);
    assert.deepEqual(f.ofType('presence')[0]!.presence.tuples.map((t) => t.notes[0]?.text).sort(), ['n997', 'n998', 'n999']);
    // Within the window, later floods collapse into one trailing event carrying the last state.
    for (let i = 0; i < 100; i++) {
      f.push(`<presence from="bob@localhost/r0"><status>m${i}</status></presence>`);
      if (i % 20 === 0) await tick();
    }
    assert.equal(f.ofType('presence').length, 1, 'nothing new inside the window');
    await new Promise((r) => setTimeout(r, 350));
    assert.equal(f.ofType('presence').length, 2);
    assert.equal(f.ofType('presence')[1]!.presence.tuples.find((t) => t.id === 'r0')?.notes[0]?.text, 'm99');
  });

  it('publishes show/status; busy is dnd and offline is invisible (unavailable)', () => {
    assert.equal(serializeXml(presenceStanza({ availability: 'busy', note: 'Call <me>' })),
      '<presence><show>dnd</show><status>Call &lt;me&gt;</status></presence>');
    assert.equal(serializeXml(presenceStanza({ availability: 'away' })), '<presence><show>away</show></presence>');
    assert.equal(serializeXml(presenceStanza({ availability: 'available' })), '<presence/>');
    assert.equal(serializeXml(presenceStanza({ availability: 'offline', note: 'x' })), '<presence type="unavailable"/>');
  });

  it('forget() says unknown, reset() says offline, snapshot() answers fetches', async () => {
    const { f, p } = setup();
    const bob = parseAddress('xmpp:bob@localhost');
    assert.equal(p.snapshot(bob, true).availability, 'offline');
    assert.equal(p.snapshot(bob, false).availability, 'unknown');
    f.push('<presence from="bob@localhost/pc"/>');
    await tick();
    assert.equal(p.snapshot(bob, true).availability, 'available');
    p.reset();
    assert.equal(f.ofType('presence').at(-1)!.presence.availability, 'offline');
    f.push('<presence from="bob@localhost/pc"/>');
    await tick();
    p.forget(bob);
    assert.equal(f.ofType('presence').at(-1)!.presence.availability, 'unknown');
  });
});

describe('entity capabilities (XEP-0115)', () => {
  it('computes the §5.2 example verification string', async () => {
    const { capsVer } = await import('../../../src/core/transports/xmpp/caps.js');
    const ver = await capsVer([{ category: 'client', type: 'pc', name: 'Exodus 0.9.1' }], [
      'http://jabber.org/protocol/disco#info', 'http://jabber.org/protocol/disco#items',
      'http://jabber.org/protocol/muc', 'http://jabber.org/protocol/caps',
    ]);
    assert.equal(ver, 'QgayPKawpkPSDYmwT/WM94uAlu0=');
  });

  it('our presence carries <c/> matching what disco#info answers', async () => {
    const { capsElement, capsVer } = await import('../../../src/core/transports/xmpp/caps.js');
    const { FEATURES, IDENTITY } = await import('../../../src/core/transports/xmpp/disco.js');
    const c = (await capsElement())!;
    assert.equal(c.attrs['ver'], await capsVer([IDENTITY], FEATURES));
    assert.match(serializeXml(presenceStanza({ availability: 'away' }, 0.5, c)),
      /^<presence><show>away<\/show><priority>0<\/priority><c xmlns="http:\/\/jabber.org\/protocol\/caps" hash="sha-1" node="[^"]+" ver="[^"]+"\/><\/presence>$/);
  });
});
