// <impp-chat> under load: the real client store over a scripted transport that also answers
// sends with receipts, so the log sees both new messages and delivery changes.
import { createClient, type Address, type ImppClient } from '../../src/index.js';
import { defineAll } from '../../src/components/index.js';
import type { TransportCommand } from '../../src/core/transports/transport.js';
import { nextPaint, recordFrames } from './frames.js';
import { DOMAIN, ScriptedTransport } from './scripted-transport.js';

defineAll();
type Chat = HTMLElement & { client: ImppClient; peer: string; updateComplete: Promise<unknown> };

/** Sends succeed at once; each is delivered, then read, a task later. */
class ReceiptTransport extends ScriptedTransport {
  override async command(...args: unknown[]): Promise<never> {
    const cmd = args[0] as TransportCommand;
    if (cmd.type === 'send') {
      const { id, to } = cmd.message;
      setTimeout(() => {
        this.receipt(id, to, 'delivered');
        setTimeout(() => this.receipt(id, to, 'read'));
      });
    }
    return (cmd.type === 'history' ? [] : undefined) as never;
  }

  private receipt(id: string, peer: Address, state: 'delivered' | 'read'): void {
    (this as unknown as { events: { next(e: unknown): void } }).events.next({ type: 'receipt', id, peer, state });
  }
}

/** Counts `new Intl.DateTimeFormat` while `fn` runs. */
async function countFormatters<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const Real = Intl.DateTimeFormat;
  let made = 0;
  Intl.DateTimeFormat = new Proxy(Real, { construct: (t, a) => (made++, Reflect.construct(t, a)), apply: (t, s, a) => (made++, Reflect.apply(t, s, a)) });
  try {
    return [await fn(), made];
  } finally {
    Intl.DateTimeFormat = Real;
  }
}

async function open() {
  document.body.replaceChildren();
  const transport = new ReceiptTransport(2);
  const client = createClient({ transport, autoConnect: false, outbox: 'memory' });
  await client.connect();
  const chat = document.createElement('impp-chat') as Chat;
  chat.client = client;
  chat.peer = `xmpp:user0@${DOMAIN}`;
  document.body.append(chat);
  await chat.updateComplete;
  await nextPaint();
  return { transport, client, chat, conv: client.conversation(chat.peer) };
}

const api = {
  /**
   * A live conversation: `n` messages, one per task, every third one ours (each of ours then
   * changes delivery state twice). Reports wall time per message and long tasks.
   */
  async live(n: number, maxMs = 30000) {
    const { transport, client, chat, conv } = await open();
    const rec = recordFrames();
    const t0 = performance.now();
    const [sent, formatters] = await countFormatters(async () => {
      let i = 0;
      for (; i < n && performance.now() - t0 < maxMs; i++) {
        if (i % 3 === 2) conv.send(`reply ${i}`);
        else transport.message(0, `m${i}`, `message ${i} https://example.com/${i}`);
        await new Promise((r) => setTimeout(r, 0));
      }
      await new Promise((r) => setTimeout(r, 50)); // last receipts
      await chat.updateComplete;
      return i;
    });
    const t1 = await nextPaint();
    const { frames, longTasks } = rec.stop();
    const rows = chat.shadowRoot!.querySelectorAll('[part~=message]').length;
    await client.disconnect();
    chat.remove();
    frames.sort((a, b) => a - b);
    return {
      sent, rows, ms: Math.round(t1 - t0), msPerMessage: +((t1 - t0) / sent).toFixed(3), formatters,
      longTasks: longTasks.length, longestTask: Math.round(Math.max(0, ...longTasks)), longTaskMs: Math.round(longTasks.reduce((a, b) => a + b, 0)),
      frameP95: +(frames[Math.floor(frames.length * 0.95)] ?? 0).toFixed(1),
    };
  },
  /** As bench/ui/impp.ts `inbox`: `n` inbound messages, `batch` per task, bounded in time. */
  async inbox(n: number, batch: number, maxMs = 20000) {
    const { transport, client, chat } = await open();
    const rec = recordFrames();
    const t0 = performance.now();
    let sent = 0;
    for (let i = 0; i < n && performance.now() - t0 < maxMs; i += batch) {
      for (let j = i; j < Math.min(n, i + batch); j++) transport.message(0, `m${j}`, `message ${j}`);
      sent = Math.min(n, i + batch);
      await new Promise((r) => setTimeout(r, 0));
    }
    await chat.updateComplete;
    const t1 = await nextPaint();
    const { longTasks } = rec.stop();
    await client.disconnect();
    chat.remove();
    return { sent, ms: Math.round(t1 - t0), perSecond: Math.round((sent / (t1 - t0)) * 1000), longTasks: longTasks.length, longestTask: Math.round(Math.max(0, ...longTasks)) };
  },
};
(globalThis as unknown as { chat: typeof api }).chat = api;
