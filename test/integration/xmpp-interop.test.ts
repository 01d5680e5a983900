// Interop: impp-kit's XMPP transport and @xmpp/client (an independent implementation) chat and
// see each other's presence through the same Prosody. @xmpp/client runs in Chromium too.
import { expect } from '@open-wc/testing';
import { parseAddress } from '../../src/core/address.js';
import { newMessageId } from '../../src/core/message.js';
import { newAccount, prosody, signIn } from './xmpp-helpers.js';

type XmlNode = { name: string; attrs: Record<string, string>; getChild(n: string, ns?: string): XmlNode | undefined; getChildText(n: string): string | null; is(n: string): boolean };
type XmppClient = {
  on(e: 'stanza', f: (s: XmlNode) => void): void;
  on(e: 'error', f: (e: unknown) => void): void;
  start(): Promise<unknown>;
  stop(): Promise<unknown>;
  send(s: unknown): Promise<void>;
};
type XmppLib = { client(o: object): XmppClient; xml(name: string, attrs?: object, ...children: unknown[]): unknown };

/**
 * @xmpp/client's own browser bundle (`dist/xmpp.min.js`, shipped in the npm package; it sets the
 * global `XMPP`). Its ESM entry does not load through the dev server: its package.json
 * `browser` map (`"@xmpp/tcp": false`, …) becomes a `node-resolve:empty.js` import that
 * @web/dev-server cannot serve.
 */
function loadXmppJs(): Promise<XmppLib> {
  const g = globalThis as { XMPP?: XmppLib };
  if (g.XMPP) return Promise.resolve(g.XMPP);
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/node_modules/@xmpp/client/dist/xmpp.min.js';
    script.onload = () => (g.XMPP ? resolve(g.XMPP) : reject(new Error('dist/xmpp.min.js did not define XMPP')));
    script.onerror = () => reject(new Error('could not load @xmpp/client/dist/xmpp.min.js'));
    document.head.append(script);
  });
}

describe('interop with @xmpp/client (Chromium)', () => {
  it('chats with impp-kit and each sees the other’s presence', async () => {
    const { wsUrl, domain } = await prosody();
    const { client, xml } = await loadXmppJs();
    const [aliceAcc, bobAcc] = [await newAccount(), await newAccount()];
    const alice = await signIn(aliceAcc, 'impp-kit');
    const bobJid = parseAddress(`xmpp:${bobAcc.jid}`);
    const bob = client({ service: wsUrl, domain, username: bobAcc.jid.split('@')[0], password: bobAcc.password, resource: 'xmppjs' });
    const inbox: XmlNode[] = [];
    bob.on('error', () => undefined);
    bob.on('stanza', (s) => {
      inbox.push(s);
      // Approve alice and ask back (what a typical client UI does on a request).
      if (s.is('presence') && s.attrs['type'] === 'subscribe') {
        void bob.send(xml('presence', { to: s.attrs['from'], type: 'subscribed' }))
          .then(() => bob.send(xml('presence', { to: s.attrs['from'], type: 'subscribe' })));
      }
      // XEP-0184: acknowledge a receipt request.
      if (s.is('message') && s.getChild('request', 'urn:xmpp:receipts') && s.getChildText('body')) {
        void bob.send(xml('message', { to: s.attrs['from'], id: `r-${s.attrs['id']}` }, xml('received', { xmlns: 'urn:xmpp:receipts', id: s.attrs['id'] })));
      }
    });
    try {
      await bob.start();
      await bob.send(xml('presence', {}, xml('show', {}, 'away'), xml('status', {}, 'from xmpp.js')));
      await alice.t.command({ type: 'add-buddy', address: bobJid });
      await alice.next('roster-item', (e) => e.item.address.id === bobJid.id && e.item.subscription !== 'none');
      await alice.next('watcher', (e) => e.watcher.address.id === bobJid.id && e.watcher.state === 'pending');
      await alice.t.command({ type: 'approve', address: bobJid });
      const p = await alice.next('presence', (e) => e.presence.entity.id === bobJid.id && e.presence.availability === 'away');
      expect(p.presence.tuples[0]!.id).to.equal('xmppjs');
      expect(p.presence.tuples[0]!.notes[0]!.text).to.equal('from xmpp.js');
      // impp-kit presence as xmpp.js sees it
      await alice.t.command({ type: 'publish', availability: 'busy', note: 'from impp-kit' });
      await until(() => inbox.some((s) => s.is('presence') && s.attrs['from']?.startsWith(aliceAcc.jid) && s.getChildText('show') === 'dnd' && s.getChildText('status') === 'from impp-kit'));
      // impp-kit → xmpp.js, with a receipt back
      const id = newMessageId();
      await alice.t.command({ type: 'send', message: { id, from: alice.t.self, to: bobJid, body: 'hi xmpp.js <3', contentType: 'text/plain', timestamp: Date.now() } });
      await until(() => inbox.some((s) => s.is('message') && s.getChildText('body') === 'hi xmpp.js <3' && s.getChild('origin-id', 'urn:xmpp:sid:0')?.attrs['id'] === id));
      await alice.next('receipt', (e) => e.id === id && e.state === 'delivered');
      // xmpp.js → impp-kit
      await bob.send(xml('message', { to: aliceAcc.jid, type: 'chat', id: 'xjs-1' }, xml('body', {}, 'hello impp-kit')));
      const m = await alice.next('message', (e) => e.message.id === 'xjs-1');
      expect(m.message.body).to.equal('hello impp-kit');
      expect(m.message.from.id).to.equal(bobJid.id);
    } finally {
      await bob.stop().catch(() => undefined);
      await alice.t.disconnect();
    }
  });
});

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
