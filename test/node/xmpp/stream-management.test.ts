import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { el, parseXml, serializeXml } from '../../../src/core/codecs/xml.js';
import { StreamManagement } from '../../../src/core/transports/xmpp/stream-management.js';

const enabled = (attrs = 'id="s1" resume="true" max="300"') => parseXml(`<enabled xmlns="urn:xmpp:sm:3" ${attrs}/>`);
const msg = (id: string) => el('message', { id }, el('body', {}, id));

describe('XEP-0198 counters', () => {
  it('counts nothing until enabled, then answers <r/> with the inbound h', () => {
    const sm = new StreamManagement();
    sm.countInbound();
    assert.equal(sm.track(msg('x')), false);
    sm.onEnabled(enabled());
    assert.equal(sm.resumeId, 's1');
    assert.equal(sm.maxSeconds, 300);
    sm.countInbound(); sm.countInbound();
    assert.equal(serializeXml(sm.answer()), '<a xmlns="urn:xmpp:sm:3" h="2"/>');
  });

  it('acknowledges in order and ignores stale or bogus h', () => {
    const sm = new StreamManagement();
    sm.onEnabled(enabled());
    ['1', '2', '3', '4'].forEach((i) => sm.track(msg(i)));
    assert.deepEqual(sm.onAck(2).map((s) => s.attrs['id']), ['1', '2']);
    assert.deepEqual(sm.onAck(1), [], 'stale h');
    assert.deepEqual(sm.onAck(Number('x')), [], 'NaN');
    assert.deepEqual(sm.onAck(-1), []);
    assert.equal(sm.unackedCount, 2);
    assert.deepEqual(sm.onAck(9).map((s) => s.attrs['id']), ['3', '4'], 'h beyond what we sent acks everything we have');
  });

  it('wraps at 2^32', () => {
    const sm = new StreamManagement();
    sm.onEnabled(enabled());
    for (let i = 0; i < 3; i++) sm.track(msg(String(i)));
    // Pretend 2^32 - 1 stanzas were acked before.
    (sm as unknown as { acked: number }).acked = 0xffffffff;
    assert.deepEqual(sm.onAck(1).map((s) => s.attrs['id']), ['0', '1'], 'h=1 after 2^32-1 acknowledges two');
    sm.inbound = 0xffffffff;
    sm.countInbound();
    assert.equal(sm.inbound, 0);
  });

  it('resume: acks by <resumed h/>, returns the rest to resend, keeps the inbound count', () => {
    const sm = new StreamManagement();
    sm.onEnabled(enabled());
    ['1', '2', '3'].forEach((i) => sm.track(msg(i)));
    sm.countInbound();
    sm.suspend();
    assert.equal(sm.enabled, false);
    assert.equal(serializeXml(sm.resumeRequest()!), '<resume xmlns="urn:xmpp:sm:3" h="1" previd="s1"/>');
    const r = sm.onResumed(parseXml('<resumed xmlns="urn:xmpp:sm:3" h="1" previd="s1"/>'));
    assert.deepEqual(r.acked.map((s) => s.attrs['id']), ['1']);
    assert.deepEqual(r.resend.map((s) => s.attrs['id']), ['2', '3']);
    assert.equal(sm.enabled, true);
    assert.equal(sm.unackedCount, 2, 'resent stanzas stay unacked until the server acks them');
    assert.deepEqual(sm.onAck(3).map((s) => s.attrs['id']), ['2', '3']);
  });

  it('reset hands back every unacked stanza and forgets the session', () => {
    const sm = new StreamManagement();
    sm.onEnabled(enabled());
    ['1', '2'].forEach((i) => sm.track(msg(i)));
    assert.deepEqual(sm.reset().map((s) => s.attrs['id']), ['1', '2']);
    assert.equal(sm.resumeRequest(), undefined);
    assert.equal(sm.unackedCount, 0);
  });

  it('a server that does not allow resumption gives no resume id', () => {
    const sm = new StreamManagement();
    sm.onEnabled(enabled('id="s2"'));
    assert.equal(sm.resumeRequest(), undefined);
  });
});
