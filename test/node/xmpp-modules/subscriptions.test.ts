import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAddress } from '../../../src/core/address.js';
import type { RosterItem } from '../../../src/core/transports/transport.js';
import { subscriptions } from '../../../src/core/transports/xmpp/subscriptions.js';
import { fakeLink } from './fake-link.js';

const item = (jid: string, subscription: RosterItem['subscription']): RosterItem =>
  ({ address: parseAddress(`xmpp:${jid}`), groups: [], subscription });

describe('subscriptions (RFC 6121 §3) ↔ watchers', () => {
  it('a subscribe from a non-roster JID shows only as a pending watcher (#36), with its nick', () => {
    const f = fakeLink();
    subscriptions(f.link, f.emit);
    f.push('<presence from="Mallory@Evil.example/x" type="subscribe"><nick xmlns="http://jabber.org/protocol/nick">&lt;b&gt;M</nick></presence>');
    assert.deepEqual(f.events.map((e) => e.type), ['watcher']);
    const [w] = f.ofType('watcher');
    assert.equal(w!.watcher.address.toString(), 'xmpp:mallory@evil.example');
    assert.equal(w!.watcher.state, 'pending');
    assert.equal(w!.watcher.kind, 'subscriber');
    assert.equal(w!.watcher.name, '<b>M');
  });

  it('approve sends subscribed and makes the watcher approved; deny sends unsubscribed', () => {
    const f = fakeLink();
    const s = subscriptions(f.link, f.emit);
    f.push('<presence from="bob@localhost" type="subscribe"/>');
    s.approve(parseAddress('xmpp:bob@localhost'));
    f.push('<presence from="carol@localhost" type="subscribe"/>');
    s.deny(parseAddress('pres:carol@localhost'));
    assert.deepEqual(f.wire(), ['<presence to="bob@localhost" type="subscribed"/>', '<presence to="carol@localhost" type="unsubscribed"/>']);
    assert.deepEqual(f.ofType('watcher').map((w) => `${w.watcher.address.id}:${w.watcher.state}`),
      ['bob@localhost:pending', 'bob@localhost:approved', 'carol@localhost:pending', 'carol@localhost:denied']);
  });

  it('roster from/both are approved watchers; losing them removes the watcher', () => {
    const f = fakeLink();
    const s = subscriptions(f.link, f.emit);
    s.roster({ kind: 'reset', items: [item('bob@localhost', 'both'), item('carol@localhost', 'to'), item('dave@localhost', 'from')] });
    assert.deepEqual(f.ofType('watcher').map((w) => w.watcher.address.id), ['bob@localhost', 'dave@localhost']);
    s.roster({ kind: 'item', item: item('bob@localhost', 'to'), removed: false });
    s.roster({ kind: 'reset', items: [] });
    assert.deepEqual(f.ofType('watcher-removed').map((w) => w.address.id), ['bob@localhost', 'dave@localhost']);
  });

  it('blocked overrides, unblocking restores the roster state', () => {
    const f = fakeLink();
    const s = subscriptions(f.link, f.emit);
    const bob = parseAddress('xmpp:bob@localhost');
    s.roster({ kind: 'reset', items: [item('bob@localhost', 'from')] });
    s.blocked(bob, true);
    s.blocked(bob, false);
    s.blocked(parseAddress('xmpp:eve@localhost'), true);
    s.blocked(parseAddress('xmpp:eve@localhost'), false);
    assert.deepEqual(f.events.map((e) => (e.type === 'watcher' ? `${e.watcher.address.local}:${e.watcher.state}` : `${e.type}`)),
      ['bob:approved', 'bob:blocked', 'bob:approved', 'eve:blocked', 'watcher-removed']);
  });

  it('an unsubscribe removes the watcher; a resent subscribe from an approved one is auto-approved', () => {
    const f = fakeLink();
    const s = subscriptions(f.link, f.emit);
    s.roster({ kind: 'reset', items: [item('bob@localhost', 'both')] });
    f.push('<presence from="bob@localhost/pc" type="subscribe"/>');
    assert.deepEqual(f.wire(), ['<presence to="bob@localhost" type="subscribed"/>']);
    f.push('<presence from="bob@localhost" type="unsubscribe"/>');
    assert.equal(f.events.at(-1)?.type, 'watcher-removed');
  });
});
