// Instant messages and delivery states (RFC 2778 §2.3, RFC 2779 §4.2 and §5.4).
import type { ImppClient } from '../../src/core/client-api.js';
import type { Delivery, InstantMessage } from '../../src/core/message.js';
import { deepEqual, equal, ok } from './assert.js';
import { withHarness, type ConformanceCase, type ConformanceFactory } from './factory.js';
import { current, firstMatch, noMatch } from './streams.js';

const from = (c: ImppClient, body: string) => (m: InstantMessage) => m.from.id === c.self.id && m.body === body;

export function messagingCases(f: ConformanceFactory): ConformanceCase[] {
  const caps = f.capabilities ?? {};
  return [
    {
      name: 'delivery states go queued → sent → delivered → read',
      run: withHarness(f, async (h) => {
        const { client: a } = await h.signIn(), { client: b } = await h.signIn();
        const arrived = firstMatch(b.inbox$, from(a, 'hello'), h.timeout, 'the message');
        const out = a.send(b.self, 'hello');
        const states: string[] = [];
        const sub = out.state$.subscribe((d: Delivery) => { if (states.at(-1) !== d.state) states.push(d.state); });
        try {
          const m = await arrived;
          equal(m.id, out.id, 'the id is kept end to end');
          await firstMatch(out.state$, (d) => d.state === 'delivered', h.timeout, 'delivered');
          const convo = b.conversation(a.self);
          await firstMatch(convo.messages$, (es) => es.some((e) => e.message.id === out.id), h.timeout, 'the conversation entry');
          convo.markRead();
          await firstMatch(out.state$, (d) => d.state === 'read', h.timeout, 'read');
          deepEqual(states, ['queued', 'sent', 'delivered', 'read'], 'delivery states');
        } finally {
          sub.unsubscribe();
        }
      }),
    },
    {
      name: 'a message reaches every device of the recipient',
      run: withHarness(f, async (h) => {
        const { client: a } = await h.signIn();
        const phone = await h.signIn(undefined, { device: 'phone' });
        const pc = await h.signIn(phone.name, { device: 'pc' });
        const got = [phone, pc].map((d) => firstMatch(d.client.inbox$, from(a, 'to all'), h.timeout, 'the message on every device'));
        const out = a.send(phone.client.self, 'to all');
        const [m1, m2] = await Promise.all(got);
        equal(m1!.id, out.id, 'phone got it');
        equal(m2!.id, out.id, 'pc got it');
        await firstMatch(out.state$, (d) => d.state === 'delivered', h.timeout, 'delivered');
      }),
    },
    {
      name: 'sending to an unknown recipient fails with recipient/unknown',
      skip: caps.unknownRecipient === false ? 'the backend cannot tell' : undefined,
      run: withHarness(f, async (h) => {
        const { client: a } = await h.signIn();
        // Not from uniqueUser(): a backend may create that account eagerly.
        const nobody = f.address(`nobody-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);
        const d = await firstMatch(a.send(nobody, 'anyone?').state$, (x) => x.state === 'failed' || x.state === 'delivered', h.timeout, 'an outcome');
        equal(d.state, 'failed', 'state');
        equal(d.error?.code, 'recipient/unknown', 'error code');
      }),
    },
    {
      name: 'an offline recipient gets the message when they sign in',
      skip: caps.offlineStorage === false ? 'the backend does not store offline messages' : undefined,
      run: withHarness(f, async (h) => {
        const { client: a } = await h.signIn();
        const bob = await h.signIn();
        const address = bob.client.self;
        await bob.client.disconnect();
        const out = a.send(address, 'while you were out');
        await firstMatch(out.state$, (d) => d.state === 'sent', h.timeout, 'sent');
        await noMatch(out.state$, (d) => d.state !== 'sent', h.quiet, 'a state past sent while the recipient is offline');
        const again = await h.signIn(bob.name);
        // It may arrive before sign-in resolves (inbox$ is hot), so look at the conversation.
        const es = await firstMatch(again.client.conversation(a.self).messages$, (x) => x.some((e) => e.message.id === out.id), h.timeout, 'the stored message');
        deepEqual(es.map((e) => [e.direction, e.message.body]), [['in', 'while you were out']], 'the conversation');
        await firstMatch(out.state$, (d) => d.state === 'delivered', h.timeout, 'delivered after sign-in');
      }),
    },
    {
      name: 'messages from a politely blocked sender stay sent, never delivered, and are dropped',
      run: withHarness(f, async (h) => {
        const { client: a } = await h.signIn(), { client: b } = await h.signIn();
        await b.block(a.self);
        await firstMatch(b.watchers$, (ws) => ws.some((w) => w.address.id === a.self.id && w.state === 'blocked'), h.timeout, 'the block');
        const inbox = noMatch(b.inbox$, from(a, 'let me in'), h.quiet * 2, 'a message from a blocked sender');
        const out = a.send(b.self, 'let me in');
        await firstMatch(out.state$, (d) => d.state === 'sent', h.timeout, 'sent');
        await noMatch(out.state$, (d) => d.state !== 'sent', h.quiet, 'a delivery state past sent');
        await inbox;
        await b.unblock(a.self);
        const later = a.send(b.self, 'after unblock');
        await firstMatch(b.inbox$, from(a, 'after unblock'), h.timeout, 'messages flow after unblock');
        await firstMatch(later.state$, (d) => d.state === 'delivered', h.timeout, 'delivered after unblock');
      }),
    },
    {
      name: 'typing notifications reach the peer',
      run: withHarness(f, async (h) => {
        const { client: a } = await h.signIn(), { client: b } = await h.signIn();
        const typing$ = b.conversation(a.self).typing$;
        const on = firstMatch(typing$, (t) => t, h.timeout, 'typing');
        a.conversation(b.self).setTyping(true);
        await on;
        a.conversation(b.self).setTyping(false);
        await firstMatch(typing$, (t) => !t, h.timeout, 'stopped typing');
      }),
    },
    {
      name: 'history returns earlier messages, oldest first, to a new session',
      skip: caps.history === false ? 'the backend keeps no history' : undefined,
      run: withHarness(f, async (h) => {
        const alice = await h.signIn(), { client: b } = await h.signIn();
        const bodies = ['one', 'two', 'three'];
        for (const body of bodies) await firstMatch(alice.client.send(b.self, body).state$, (d) => d.state === 'delivered', h.timeout, 'delivered');
        const later = await h.signIn(alice.name);
        const convo = later.client.conversation(b.self);
        const added = await convo.loadOlder(10);
        equal(added, 3, 'messages loaded');
        const entries = await current(convo.messages$);
        deepEqual(entries.map((e) => [e.direction, e.message.body]), bodies.map((x) => ['out', x]), 'history, oldest first');
        ok(entries.every((e) => e.message.to.id === b.self.id), 'addressed to bob');
      }),
    },
  ];
}
