import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAddress } from '../../../src/core/address.js';
import { parseXml, serializeXml } from '../../../src/core/codecs/xml.js';
import { carbons } from '../../../src/core/transports/xmpp/carbons.js';
import { mam } from '../../../src/core/transports/xmpp/mam.js';
import { messages } from '../../../src/core/transports/xmpp/messages.js';
import { fakeLink, tick } from './fake-link.js';

const inner = (from: string, to: string, extra = '') =>
  `<message xmlns="jabber:client" from="${from}" to="${to}" type="chat" id="m1"><body>hello</body><origin-id xmlns="urn:xmpp:sid:0" id="o1"/>${extra}</message>`;
const carbon = (outerFrom: string, kind: 'received' | 'sent', msg: string) =>
  `<message from="${outerFrom}" to="alice@localhost/web" type="chat"><${kind} xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0">${msg}</forwarded></${kind}></message>`;
const setup = () => {
  const f = fakeLink();
  messages(f.link, f.emit);
  const c = carbons(f.link, f.emit);
  const a = mam(f.link);
  return { f, c, a };
};
/** Answers a MAM query: first pushes `results(queryid)` as messages, then the iq result. */
const archive = (f: ReturnType<typeof fakeLink>, results: (qid: string) => string[]) =>
  f.respond((iq) => {
    const qid = serializeXml(iq).match(/queryid="([^"]+)"/)?.[1] ?? '';
    for (const r of results(qid)) f.push(r);
    return parseXml(`<iq xmlns="jabber:client" type="result" id="${iq.attrs['id']}"><fin xmlns="urn:xmpp:mam:2" complete="true"/></iq>`);
  });
const result = (qid: string, id: string, from = '', msg = inner('bob@localhost/pc', 'alice@localhost')) =>
  `<message${from} to="alice@localhost/web"><result xmlns="urn:xmpp:mam:2" queryid="${qid}" id="${id}"><forwarded xmlns="urn:xmpp:forward:0">` +
  `<delay xmlns="urn:xmpp:delay" stamp="2024-05-06T07:08:09Z"/>${msg}</forwarded></result></message>`;

describe('carbons (XEP-0280) and MAM (XEP-0313)', () => {
  it('accepts a received carbon from our bare JID as an inbound message', () => {
    const { f } = setup();
    f.push(carbon('alice@localhost', 'received', inner('bob@localhost/pc', 'alice@localhost/phone')));
    assert.equal(f.ofType('message').length, 1);
    assert.equal(f.ofType('message')[0]!.message.from.id, 'bob@localhost');
  });

  it('a sent carbon becomes a message from us to the peer', () => {
    const { f } = setup();
    f.push(carbon('alice@localhost', 'sent', inner('alice@localhost/phone', 'bob@localhost')));
    const [m] = f.ofType('message');
    assert.equal(m?.message.from.id, 'alice@localhost');
    assert.equal(m?.message.to.id, 'bob@localhost');
  });

  for (const [label, stanza] of [
    ['a carbon from someone else', carbon('mallory@localhost', 'received', inner('bob@localhost/pc', 'alice@localhost'))],
    ['a carbon from our full JID', carbon('alice@localhost/phone', 'received', inner('bob@localhost/pc', 'alice@localhost'))],
    ['a carbon with no from', carbon('', 'received', inner('bob@localhost/pc', 'alice@localhost')).replace(' from=""', '')],
    ['a sent carbon claiming a foreign sender', carbon('alice@localhost', 'sent', inner('bob@localhost/pc', 'alice@localhost'))],
    ['a bare <forwarded>', `<message from="mallory@localhost/x"><forwarded xmlns="urn:xmpp:forward:0">${inner('bob@localhost/pc', 'alice@localhost')}</forwarded></message>`],
  ] as [string, string][]) {
    it(`ignores ${label} (#34)`, () => {
      const { f } = setup();
      f.push(stanza);
      assert.equal(f.ofType('message').length, 0);
    });
  }

  it('enable() sends the carbons enable IQ', async () => {
    const { f, c } = setup();
    await c.enable();
    assert.match(f.wire()[0]!, /<iq type="set" id="[^"]+"><enable xmlns="urn:xmpp:carbons:2"\/><\/iq>/);
  });

  it('history queries by with + RSM before and returns our archive results, oldest first', async () => {
    const { f, a } = setup();
    archive(f, (q) => [result(q, 'A1'), result(q, 'A2', ' from="alice@localhost"', inner('alice@localhost/web', 'bob@localhost'))]);
    const page = await a.history(parseAddress('xmpp:bob@localhost'), 20, 'A9');
    assert.match(f.wire()[0]!, /<field var="with"><value>bob@localhost<\/value><\/field>.*<set xmlns="http:\/\/jabber.org\/protocol\/rsm"><max>20<\/max><before>A9<\/before><\/set>/);
    assert.deepEqual(page.map((m) => [m.serverId, m.from.id, m.timestamp]), [
      ['A1', 'bob@localhost', Date.UTC(2024, 4, 6, 7, 8, 9)], ['A2', 'alice@localhost', Date.UTC(2024, 4, 6, 7, 8, 9)],
    ]);
    assert.equal(f.ofType('message').length, 0, 'archive results are not live messages');
  });

  it('pages on past body-less archive entries (receipts) until max messages are found', async () => {
    const { f, a } = setup();
    const receipt = (to: string) => `<message xmlns="jabber:client" from="bob@localhost/pc" to="${to}"><received xmlns="urn:xmpp:receipts" id="x"/></message>`;
    let call = 0;
    f.respond((iq) => {
      const xmlText = serializeXml(iq);
      const qid = xmlText.match(/queryid="([^"]+)"/)?.[1] ?? '';
      call++;
      if (call === 1) {
        assert.match(xmlText, /<before\/>/);
        f.push(result(qid, 'B3', '', receipt('alice@localhost')));
        f.push(result(qid, 'B4'));
        return parseXml(`<iq xmlns="jabber:client" type="result" id="${iq.attrs['id']}"><fin xmlns="urn:xmpp:mam:2"><set xmlns="http://jabber.org/protocol/rsm"><first>B3</first><last>B4</last></set></fin></iq>`);
      }
      assert.match(xmlText, /<before>B3<\/before>/);
      f.push(result(qid, 'B1'));
      f.push(result(qid, 'B2', '', receipt('alice@localhost')));
      return parseXml(`<iq xmlns="jabber:client" type="result" id="${iq.attrs['id']}"><fin xmlns="urn:xmpp:mam:2" complete="true"><set xmlns="http://jabber.org/protocol/rsm"><first>B1</first><last>B2</last></set></fin></iq>`);
    });
    const page = await a.history(parseAddress('xmpp:bob@localhost'), 2);
    assert.deepEqual(page.map((m) => m.serverId), ['B1', 'B4']);
    assert.equal(call, 2);
  });

  it('ignores MAM results for an unknown queryid or from a foreign archive (#34)', async () => {
    const { f, a } = setup();
    archive(f, (q) => [result('not-ours', 'X1'), result(q, 'X2', ' from="mallory@localhost"'), result(q, 'X3', ' from="alice@localhost/web"'), result(q, 'OK')]);
    const page = await a.history(parseAddress('xmpp:bob@localhost'), 20);
    assert.deepEqual(page.map((m) => m.serverId), ['OK']);
    assert.match(f.wire()[0]!, /<before\/>/, 'no before = the last page');
    f.push(result('late', 'X4'));
    assert.equal(f.events.length, 0);
  });

  it('the same message live, as a carbon and from MAM carries the same id and serverId (#39)', async () => {
    const { f, a } = setup();
    const sid = '<stanza-id xmlns="urn:xmpp:sid:0" by="alice@localhost" id="S1"/>';
    f.push(inner('bob@localhost/pc', 'alice@localhost/web', sid).replace(' xmlns="jabber:client"', ''));
    f.push(carbon('alice@localhost', 'received', inner('bob@localhost/pc', 'alice@localhost/phone', sid)));
    archive(f, (q) => [result(q, 'S1', '', inner('bob@localhost/pc', 'alice@localhost'))]);
    const [fromMam] = await a.history(parseAddress('xmpp:bob@localhost'), 5);
    const all = [...f.ofType('message').map((e) => e.message), fromMam!];
    assert.equal(all.length, 3);
    for (const m of all) assert.deepEqual([m.id, m.serverId, m.from.id, m.body], ['o1', 'S1', 'bob@localhost', 'hello']);
    await tick();
  });
});
