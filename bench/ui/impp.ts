// impp-kit UI: the real createClient store over a scripted transport, rendered by
// <impp-buddy-list> and <impp-chat>.
import { createClient, type ImppClient } from '../../src/index.js';
import { defineAll } from '../../src/components/index.js';
import { drive, nextPaint, recordFrames } from './frames.js';
import { DOMAIN, ScriptedTransport } from './scripted-transport.js';

defineAll();
const AV = ['available', 'away', 'busy'] as const;
let client: ImppClient | undefined;
let transport: ScriptedTransport | undefined;

async function freshClient(n: number) {
  await client?.disconnect();
  transport = new ScriptedTransport(n);
  client = createClient({ transport, autoConnect: false, outbox: 'memory' });
  await client.connect();
  // Wait until the store holds every contact (the transport replays the roster synchronously).
  await new Promise<void>((r) => { const s = client!.buddies$.subscribe((b) => { if (b.length >= n) { queueMicrotask(() => s.unsubscribe()); r(); } }); });
  return client;
}

async function mountList(c: ImppClient) {
  const el = document.createElement('impp-buddy-list') as HTMLElement & { client: ImppClient; updateComplete: Promise<unknown> };
  el.client = c;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const api = {
  /** rAF intervals on an idle page (what the machine/headless compositor gives at best). */
  async idleFrames(seconds: number) {
    document.body.replaceChildren();
    const rec = recordFrames();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    return rec.stop();
  },
  /** Store filled first; measures element creation → next paint. */
  async firstPaint(n: number) {
    document.body.replaceChildren();
    const c = await freshClient(n);
    await nextPaint();
    const t0 = performance.now();
    const el = await mountList(c);
    const t1 = await nextPaint();
    const rows = el.shadowRoot?.querySelectorAll('[part~="buddy"]').length ?? 0;
    return { ms: t1 - t0, domRows: rows };
  },
  /** Roster + presence through the client store as well: connect → painted list. */
  async firstPaintWithStore(n: number) {
    document.body.replaceChildren();
    await nextPaint();
    const t0 = performance.now();
    const c = await freshClient(n);
    await mountList(c);
    const t1 = await nextPaint();
    return t1 - t0;
  },
  async presenceStorm(n: number, perSecond: number, seconds: number) {
    document.body.replaceChildren();
    const c = await freshClient(n);
    await mountList(c);
    await nextPaint();
    const rec = recordFrames();
    await drive(perSecond, seconds, (k) => transport!.presence((k * 7919) % n, AV[k % 3] ?? 'away', `change ${k}`));
    await nextPaint();
    return rec.stop();
  },
  /** `n` inbound messages from one peer through inbox$ into an open <impp-chat>. */
  async inbox(n: number, batch: number, render = true, maxMs = 20000) {
    document.body.replaceChildren();
    const c = await freshClient(10);
    const chat = document.createElement('impp-chat') as HTMLElement & { client: ImppClient; peer: string; updateComplete: Promise<unknown> };
    chat.client = c;
    chat.peer = `xmpp:user0@${DOMAIN}`;
    if (render) {
      document.body.append(chat);
      await chat.updateComplete; // (never resolves for an element that was never connected)
    }
    let seen = 0;
    const sub = c.inbox$.subscribe(() => { seen++; });
    const conv = c.conversation(`xmpp:user0@${DOMAIN}`);
    let inConv = 0;
    const sub2 = conv.messages$.subscribe((m) => { inConv = m.length; });
    await nextPaint();
    const t0 = performance.now();
    let sent = 0;
    for (let i = 0; i < n && performance.now() - t0 < maxMs; i += batch) {
      for (let j = i; j < Math.min(n, i + batch); j++) transport!.message(0, `m${j}`, `message ${j}`);
      sent = Math.min(n, i + batch);
      await new Promise((r) => setTimeout(r, 0));
    }
    if (render) await chat.updateComplete;
    const t1 = await nextPaint();
    sub.unsubscribe(); sub2.unsubscribe();
    chat.remove();
    return { ms: t1 - t0, sent, inbox: seen, conversation: inConv, complete: sent === n };
  },
};
(globalThis as unknown as { ui: typeof api }).ui = api;
