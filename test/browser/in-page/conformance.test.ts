/// <reference types="mocha" />
// The conformance suite against the in-page transport in Chromium, plus the cross-tab cases:
// two service instances on one BroadcastChannel, and a same-origin iframe (its own module
// graph, exactly like another tab).
import { createClient } from '../../../src/core/client.js';
import { InPageService } from '../../../src/core/transports/in-page/service.js';
import { InPageTransport } from '../../../src/core/transports/in-page/transport.js';
import { inPage } from '../../../src/core/transports/in-page/index.js';
import { presenceNote } from '../../../src/core/presence.js';
import { conformanceCases, equal, firstMatch, Harness } from '../../conformance/index.js';
import { inPageFactory } from '../../conformance/in-page.js';

describe('in-page transport: conformance (Chromium)', () => {
  for (const c of conformanceCases(inPageFactory())) (c.skip ? it.skip : it)(c.name, c.run);
});

describe('in-page transport: across tabs (Chromium)', () => {
  it('users on two service instances of one channel subscribe and message each other', async () => {
    const channel = `tabs-${Math.random().toString(36).slice(2)}`;
    const tabA = new InPageService(`impp-kit:${channel}`), tabB = new InPageService(`impp-kit:${channel}`);
    const factory = {
      name: 'two tabs',
      uniqueUser: async () => `u-${Math.random().toString(36).slice(2, 8)}`,
      address: (n: string) => `${n}@in-page.invalid`,
      user: async (n: string) => new InPageTransport({ user: n }, n.startsWith('a') ? tabA : tabB),
    };
    const h = new Harness(factory);
    try {
      const alice = await h.signIn('a-alice'), bob = await h.signIn('b-bob');
      await h.befriend(alice, bob);
      await bob.client.setPresence({ availability: 'away', note: 'other tab' });
      await firstMatch(alice.client.presence$(bob.client.self), (p) => presenceNote(p) === 'other tab', h.timeout, 'the note');
      const out = alice.client.send(bob.client.self, 'across');
      await firstMatch(bob.client.inbox$, (m) => m.id === out.id, h.timeout, 'the message');
      await firstMatch(out.state$, (d) => d.state === 'delivered', h.timeout, 'delivered');
    } finally {
      await h.done();
      tabA.close();
      tabB.close();
    }
  });

  it('a same-origin iframe shares the service through BroadcastChannel', async () => {
    const channel = `iframe-${Math.random().toString(36).slice(2)}`;
    const bobName = `bob-${Math.random().toString(36).slice(2, 8)}`;
    const frame = document.createElement('iframe');
    const ready = new Promise<void>((resolve) => addEventListener('message', function on(e: MessageEvent) {
      if ((e.data as { ready?: string })?.ready === bobName) { removeEventListener('message', on); resolve(); }
    }));
    // The iframe is another realm with its own module registry: its in-page service is a
    // different instance, reachable only over BroadcastChannel, like a second tab.
    frame.srcdoc = `<script type="module">
      const { createClient } = await import('/src/core/client.ts');
      const { inPage } = await import('/src/core/transports/in-page/index.ts');
      const bob = createClient({ transport: inPage({ user: ${JSON.stringify(bobName)}, channel: ${JSON.stringify(channel)}, device: 'iframe' }) });
      bob.watchers$.subscribe((ws) => ws.filter((w) => w.state === 'pending').forEach((w) => bob.approve(w.address)));
      bob.inbox$.subscribe((m) => bob.send(m.from, 'echo: ' + m.body));
      bob.connection$.subscribe(async (c) => {
        if (c.state !== 'online') return;
        await bob.setPresence({ availability: 'busy', note: 'in the iframe' });
        parent.postMessage({ ready: ${JSON.stringify(bobName)} }, '*');
      });
    </script>`;
    document.body.append(frame);
    const alice = createClient({ transport: inPage({ user: `alice-${bobName}`, channel }) });
    try {
      await ready;
      await firstMatch(alice.connection$, (c) => c.state === 'online', 5000, 'online');
      const bob = `${bobName}@in-page.invalid`;
      await alice.addBuddy(bob);
      const p = await firstMatch(alice.presence$(bob), (x) => x.availability === 'busy', 5000, 'bob busy in the iframe');
      equal(presenceNote(p), 'in the iframe', 'note from the other realm');
      equal(p.tuples[0]?.id, 'iframe', 'tuple id');
      const out = alice.send(bob, 'ping');
      await firstMatch(alice.inbox$, (m) => m.body === 'echo: ping', 5000, 'the echo');
      await firstMatch(out.state$, (d) => d.state === 'delivered', 5000, 'delivered by the iframe');
    } finally {
      await alice.disconnect();
      frame.remove();
    }
  });
});
