// Soak (issue #6, BAD-INPUTS "Reliability promise", rows 27, 39, 48–54): two impp-kit clients
// over XMPP exchange N messages each way through the fault proxy, which kills a link every
// 50–500 ms (clean close, mid-frame, silent/half-open); during the run the server restarts and
// each page "reloads" (its client is dropped without a clean close and a new one starts over
// the same IndexedDB outbox and account). Checked from inbox$ and from <impp-chat>'s shadow
// DOM: 0 lost, 0 duplicated, per-sender order kept, every send ended sent/delivered/read or a
// typed failed. `npm test` runs N = 500 each way; `npm run soak` (scripts/soak.mjs) N = 10,000.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { Subscription } from 'rxjs';
import { createClient } from '../../src/core/client.js';
import { indexedDbOutboxStore, type OutboxStore } from '../../src/core/outbox-store.js';
import type { ImppClient } from '../../src/core/client-api.js';
import type { DeliveryState } from '../../src/core/message.js';
import type { WebSocketLike } from '../../src/core/transports/xmpp/socket.js';
import { createSession, type XmppSession } from '../../src/core/transports/xmpp/session.js';
import { xmppTransport } from '../../src/core/transports/xmpp/transport.js';
import { cursorStore, type CursorStore } from '../../src/core/transports/xmpp/local-store.js';
import { parseAddress } from '../../src/core/address.js';
import { serializeXml } from '../../src/core/codecs/xml.js';
import { defineAll } from '../../src/components/index.js';
import type { ImppChat } from '../../src/components/chat/impp-chat.js';

defineAll();

interface SoakParams { n: number; rate?: number; seed?: number; full: boolean; appRetry: boolean; plain: boolean; liveDom?: boolean; profile?: boolean }
/** What the progress line reads of a client's (private) sender. */
interface SenderView { writes: Map<string, unknown>; outbox: { queued(): unknown[] } }
interface ProxyInfo { id: string; seed: number; wsUrl: string; domain: string }
interface Account { jid: string; password: string }
interface ProxyStats {
  connections: number; kills: number; midFrame: number; silent: number; refused: number; openLinks: number;
  restarts: number; byMode: Record<'close' | 'mid-frame' | 'silent', number>; idleTicks: number;
}

async function call<T>(path: string, method = 'POST'): Promise<T> {
  const res = await fetch(path, { method });
  const body = (await res.json()) as T & { error?: string };
  if (body.error) throw new Error(`${path}: ${body.error}`);
  return body;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One "page" of one party: a client, its session, its sockets and what it saw. */
interface Instance {
  readonly no: number;
  /** Whose messages this page receives. */
  readonly peerName: string;
  readonly client: ImppClient;
  readonly session: XmppSession;
  readonly sockets: Set<WebSocket>;
  dead: boolean;
  chat: ImppChat;
  /** Peer's seqs as inbox$ delivered them, in order. */
  readonly inbox: number[];
  readonly inboxIds: Map<string, number>;
  /** Our message id → last delivery state (+ error code) seen on this page. */
  readonly states: Map<string, { state: DeliveryState; code?: string; wasDelivered: boolean }>;
  domRows?: { inSeqs: number[]; inIds: string[]; out: number };
  readonly subs: Subscription[];
  /** Session and client connection states, for the report when something stalls. */
  readonly timeline: string[];
  /** Arrivals older than one already seen (order breaks), for the report. */
  readonly lateLog: string[];
  sends: number;
  readonly counters: { attempts: number; online: number; resumed: number; newSessions: number; lost: number; appRetries: number };
}

interface Party {
  readonly name: 'alice' | 'bob';
  readonly account: Account;
  peer?: Party;
  instances: Instance[];
  /** Ids we sent, by seq. */
  readonly ids: string[];
  /** Page number and time of each send, by seq. */
  readonly sentAt: string[];
  /**
   * Our messages on the wire, by seq: `<ms><kind><page>` — written by us (o); at the peer: reaching
   * its socket live (i) or in an archive result (a), parsed by its session (p, or d when delayed:
   * from the server's offline store), passed on by its
   * transport (e), in its inbox$ (n); and the outbox's send commands (see WireSend). For the
   * report of late or lost messages.
   */
  readonly wire: Map<number, string[]>;
  reloading: boolean;
}

/**
 * Two clients make no herd, and a link killed every 50–500 ms fails most reconnects half-way:
 * the default (30 s herd window, doubling to a 60 s cap) would leave a page offline for a minute
 * at a time. The soak tests loss and order, not pacing: no herd window, a 2 s cap.
 */
const SOAK_BACKOFF = { spreadMs: 0, capMs: 2000 };

/**
 * The outbox's `send` commands to the transport: issued as a first send (s) or a repeat (R), and
 * how each ended: the server acknowledged it (a), kept without sending (k), sent again and
 * acknowledged (r), rejected (x).
 */
type WireSend = 's' | 'R' | 'a' | 'k' | 'r' | 'x';

/** Records each soak message a frame carries (see `Party.wire`); at most 24 entries a message. */
const logWire = (frame: unknown, t: number, page: number, dir: 'o' | 'i' | 'p' | 'e' | 'n' | WireSend, parties: Party[]): void => {
  if (typeof frame !== 'string' || !frame.includes('soak ')) return;
  // Parsed (p) as a delayed delivery (d: the server's offline store, XEP-0203).
  const kind = dir === 'i' && frame.includes('urn:xmpp:mam:') ? 'a' : dir === 'p' && frame.includes('urn:xmpp:delay') && !frame.includes('urn:xmpp:mam:') ? 'd' : dir;
  for (const [, who, n] of frame.matchAll(/soak (alice|bob) #(\d+) /g)) {
    const p = parties.find((x) => x.name === who);
    if (!p) continue;
    const log = p.wire.get(Number(n)) ?? [];
    if (log.length < 24) log.push(`${t}${kind}${page}`);
    p.wire.set(Number(n), log);
  }
};

const seqOf = (body: string, who: string): number | undefined => {
  const m = /^soak (\w+) #(\d+) /.exec(body);
  return m && m[1] === who ? Number(m[2]) : undefined;
};

describe('soak: messages survive a link killed every 50–500 ms, reloads and a server restart', () => {
  it('0 lost, 0 duplicated (inbox$ and <impp-chat>), per-sender order kept, every send ends sent/delivered or typed failed', async function () {
    const params = await call<SoakParams>('/__impp/soak.json', 'GET');
    const N = params.n;
    // Messages per second per sender: paced so the chaos interleaves with sending.
    const rate = params.rate ?? 20;
    const sendMs = (N / rate) * 1000;
    const settleMs = 45_000 + N * 4;
    this.timeout(sendMs + settleMs + 60_000);
    // Each page's <impp-chat> is attached (and its rows counted) when the page ends: a live one
    // re-renders its whole log (a new Intl.DateTimeFormat per row) on every message and delivery
    // change, which at soak rates starves the main thread — IndexedDB writes and so the wire
    // wait behind it (see the report of #6). SOAK_LIVE_DOM=1 keeps them attached all along.
    const liveDom = params.liveDom ?? false;

    const proxy = await call<ProxyInfo>(`/__impp/proxy?private=1${params.seed ? `&seed=${params.seed}` : ''}`);
    const P = <T = never>(a: string, method = 'POST') => call<T>(`/__impp/proxy/${proxy.id}/${a}`, method);
    const runId = Math.random().toString(36).slice(2, 8);
    const t0 = performance.now();
    const figures = { reloads: 0, restarts: 0, restartMs: [] as number[], stepErrors: [] as string[], disruptions: [] as string[] };
    const mark = (what: string) => figures.disruptions.push(`${Math.round(performance.now() - t0)} ${what}`);
    const errorCodes = new Map<string, number>();
    const cleanup: (() => void)[] = [];

    try {
      const alice: Party = { name: 'alice', account: await P<Account>('users'), instances: [], ids: [], sentAt: [], wire: new Map(), reloading: false };
      const bob: Party = { name: 'bob', account: await P<Account>('users'), instances: [], ids: [], sentAt: [], wire: new Map(), reloading: false };
      alice.peer = bob;
      bob.peer = alice;

      const start = async (party: Party): Promise<Instance> => {
        const peer = party.peer!;
        const sockets = new Set<WebSocket>();
        const counters = { attempts: 0, online: 0, resumed: 0, newSessions: 0, lost: 0, appRetries: 0 };
        const holder: { inst?: Instance } = {};
        const webSocket = (url: string, protocols: string): WebSocketLike => {
          if (holder.inst?.dead) throw new Error('this page is gone');
          counters.attempts++;
          const ws = new WebSocket(url, protocols);
          const no = holder.inst?.no ?? party.instances.length;
          const send = ws.send.bind(ws);
          ws.send = (data) => { logWire(data, Math.round(performance.now() - t0), no, 'o', [party]); send(data); };
          ws.addEventListener('message', (ev) => {
            // A reloaded page's JS is gone: what reaches its sockets afterwards is never read (this
            // listener comes first; without it the old client kept passing messages on, moving
            // the account's archive cursor and sending read markers for a page nobody sees).
            if (holder.inst?.dead) return void ev.stopImmediatePropagation();
            logWire(ev.data, Math.round(performance.now() - t0), no, 'i', [peer]);
          });
          sockets.add(ws);
          ws.addEventListener('close', () => sockets.delete(ws));
          return ws as unknown as WebSocketLike;
        };
        // Short keepalive: a silent (half-open) link is found in ~2 s instead of 40 s.
        const session = createSession({ service: proxy.wsUrl, jid: party.account.jid, password: party.account.password,
          webSocket, keepaliveMs: 1000, keepaliveTimeoutMs: 1500, timeoutMs: 5000, backoff: SOAK_BACKOFF });
        const self = parseAddress(`xmpp:${party.account.jid}`);
        // What outlives a page in localStorage (the SDK's own keys): a reloaded page writes none
        // of it after its pagehide, as no JS runs then (in this one realm the old client still
        // handles what its closing sockets had buffered: it moved the archive cursor and the seen
        // keys past messages nobody saw, and the next page skipped them: #6, lost=98 in CI).
        const pageStore = (prefix: string, log?: 'cursor' | 'loss'): CursorStore => {
          const store = cursorStore(prefix, new Map());
          // For the report: each catch-up's starting cursor (`cursor:`), each recorded archive loss.
          const note = (what: string) => holder.inst?.timeline.push(`${Math.round(performance.now() - t0)} ${what}`);
          return {
            get: (a) => {
              const v = store.get(a);
              if (log === 'cursor') note(`cursor:${v ?? '-'}`);
              return v;
            },
            set: (a, v) => {
              if (holder.inst?.dead) return;
              if (log === 'loss') note('loss:recorded');
              store.set(a, v);
            },
          };
        };
        const transport = xmppTransport(session, self, { catchUp: {
          cursors: pageStore('impp-kit:mam-cursor:', 'cursor'), seen: pageStore('impp-kit:seen:'), losses: pageStore('impp-kit:archive-lost:', 'loss'),
        } });
        const command = transport.command.bind(transport);
        transport.command = (cmd) => {
          if (cmd.type !== 'send') return command(cmd);
          const log = (kind: WireSend) => logWire(cmd.message.body, Math.round(performance.now() - t0), holder.inst?.no ?? -1, kind, [party]);
          log(cmd.confirmedAt === undefined ? 's' : 'R');
          const r = command(cmd);
          r.then((v) => log(v === 'kept' ? 'k' : v === 'repeated' ? 'r' : 'a'), () => log('x'));
          return r;
        };
        // IndexedDB likewise: the outbox a reloaded page leaves is what it wrote before it went
        // (the old client's late receipts deleted rows of messages the next page then never
        // ended: open=11 once).
        const idb = await indexedDbOutboxStore(`${transport.protocol}:${transport.self.id}`);
        const alive = () => !holder.inst?.dead;
        const outbox: OutboxStore = {
          kind: idb.kind,
          load: (adopted) => idb.load(adopted),
          put: (message, sentAt) => (alive() ? idb.put(message, sentAt) : Promise.resolve()),
          delete: (id) => (alive() ? idb.delete(id) : Promise.resolve()),
        };
        const client = createClient({ transport, backoff: SOAK_BACKOFF, outbox });
        const chat = document.createElement('impp-chat');
        chat.client = client;
        chat.peer = peer.account.jid;
        const inst: Instance = {
          no: party.instances.length, peerName: peer.name, client, session, sockets, dead: false, chat, inbox: [], inboxIds: new Map(),
          states: new Map(), subs: [], timeline: [], lateLog: [], sends: 0, counters,
        };
        holder.inst = inst;
        inst.subs.push(
          session.status$.subscribe((s) => {
            if (s.state === 'online') {
              counters.online++;
              if (s.resumed) counters.resumed++;
              else counters.newSessions++;
            } else if (s.state === 'reconnecting') counters.lost++;
          }),
          // The layers between the socket and inbox$, for the wire report: p = parsed by the
          // session, e = passed on by the transport (after the catch-up gate), n = inbox$.
          session.stanza$.subscribe((x) => {
            if (x.local === 'message') logWire(serializeXml(x), Math.round(performance.now() - t0), inst.no, 'p', [peer]);
          }),
          transport.events$.subscribe((e) => {
            if (e.type === 'message') logWire(e.message.body, Math.round(performance.now() - t0), inst.no, 'e', [peer]);
          }),
          client.inbox$.subscribe((m) => {
            logWire(m.body, Math.round(performance.now() - t0), inst.no, 'n', [peer]);
            const seq = seqOf(m.body, peer.name);
            if (seq === undefined || m.from.id !== peer.account.jid) return;
            const ahead = Math.max(-1, ...inst.inbox.slice(-50));
            if (seq < ahead && inst.lateLog.length < 60) inst.lateLog.push(`${peer.name}#${seq}@${Math.round(performance.now() - t0)}ms after #${ahead} age=${Math.round(Date.now() - m.timestamp)}ms sid=${m.serverId ? 1 : 0} id=${m.id}`);
            inst.inbox.push(seq);
            inst.inboxIds.set(m.id, (inst.inboxIds.get(m.id) ?? 0) + 1);
          }),
          session.status$.subscribe((s) => inst.timeline.push(`${Math.round(performance.now() - t0)} s:${s.state}${s.resumed ? '(resumed)' : ''}${s.error ? `[${s.error.code}]` : ''}`)),
          client.connection$.subscribe((c) => inst.timeline.push(`${Math.round(performance.now() - t0)} c:${c.state}${c.error ? `[${c.error.code}: ${c.error.message}]` : ''}`)),
          // Diagnostic only (SOAK_APP_RETRY=1): the page itself retries a failed first connect,
          // which the SDK does not (see the report of #6); off in `npm test`.
          client.connection$.subscribe((c) => {
            if (c.state !== 'failed' || !params.appRetry || inst.dead || counters.appRetries >= 30) return;
            counters.appRetries++;
            setTimeout(() => { if (!inst.dead) client.connect().catch(() => undefined); }, Math.random() * 500 * 2 ** Math.min(counters.appRetries, 4));
          }),
          client.errors$.subscribe((e) => errorCodes.set(e.code, (errorCodes.get(e.code) ?? 0) + 1)),
          // Delivery states of everything this page knows as ours (restored outbox entries too).
          client.conversation(peer.account.jid).messages$.subscribe((entries) => {
            for (const e of entries) {
              if (e.direction !== 'out' || e.delivery === undefined) continue;
              const prev = inst.states.get(e.message.id);
              if (prev?.state === e.delivery.state) continue;
              inst.states.set(e.message.id, {
                state: e.delivery.state,
                code: e.delivery.error?.code,
                wasDelivered: (prev?.wasDelivered ?? false) || e.delivery.state === 'delivered' || e.delivery.state === 'read',
              });
            }
          }),
        );
        if (liveDom) document.body.append(chat);
        party.instances.push(inst);
        return inst;
      };

      const current = (p: Party) => p.instances.at(-1)!;
      const waitOnline = async (inst: Instance, ms: number) => {
        for (const end = performance.now() + ms; performance.now() < end;) {
          if (inst.counters.online > 0) return;
          await sleep(20);
        }
        throw new Error(`instance ${inst.no} did not come online within ${ms} ms`);
      };

      const countDom = (inst: Instance) => {
        const root = inst.chat.shadowRoot!;
        const rows = [...root.querySelectorAll<HTMLElement>('li.msg.in')];
        inst.domRows = {
          inIds: rows.map((r) => r.dataset['id'] ?? ''),
          inSeqs: rows.map((r) => seqOf(r.querySelector('.body')?.textContent ?? '', inst.peerName) ?? -1),
          out: root.querySelectorAll('li.msg.out').length,
        };
      };

      /** A page reload: the socket drops with no XMPP <close/>, the page's JS is gone, a new page starts. */
      const reload = async (party: Party) => {
        party.reloading = true;
        const old = current(party);
        dispatchEvent(new Event('pagehide')); // its last writes (seen.ts saves on pagehide); none after
        old.dead = true;
        for (const ws of old.sockets) ws.close(); // (a page may not send 1001 itself; the server sees a close all the same)
        if (!liveDom) document.body.append(old.chat);
        await old.chat.updateComplete;
        countDom(old);
        old.chat.remove();
        old.subs.forEach((s) => s.unsubscribe());
        void old.client.disconnect().catch(() => undefined); // stops its reconnect loop (its sockets are gone already)
        // A reload runs after the old page's committed IndexedDB writes (a page closed in the
        // middle of writing a message loses that message: no client can keep it). Under load a
        // write can take longer than the 100 ms below, so wait for the ones in flight.
        const pending = (old.client as unknown as { sender?: { writes?: Map<string, Promise<unknown>> } }).sender?.writes;
        await Promise.all([...(pending?.values() ?? [])]);
        await sleep(100);
        figures.reloads++;
        const inst = await start(party);
        party.reloading = false;
        return inst;
      };

      const restart = async () => {
        const r = await P<{ ms: number }>('restart');
        figures.restarts++;
        figures.restartMs.push(r.ms);
      };

      const progress = (what: string) => void fetch('/__impp/soak/progress', { method: 'POST', body: `${Math.round(performance.now() - t0)} ms ${what}` }).catch(() => undefined);
      const ticker = setInterval(() => {
        const line = [alice, bob].map((p) => {
          const i = p.instances.at(-1);
          const sender = (i?.client as unknown as { sender?: SenderView } | undefined)?.sender;
          return `${p.name}#${i?.no} sent=${p.ids.length} inbox=${i?.inbox.length} writes=${sender?.writes.size} queued=${sender?.outbox.queued().length} `
            + `${JSON.stringify(i?.counters)} ${i?.timeline.at(-1)}`;
        }).join(' | ');
        progress(line);
      }, 2000);
      cleanup.push(() => clearInterval(ticker));
      await start(alice);
      await start(bob);
      await Promise.all([waitOnline(current(alice), 15_000), waitOnline(current(bob), 15_000)]);

      if (!params.plain) await P(`chaos?minMs=50&maxMs=500&modes=close,mid-frame,silent`);

      // Disruptions at fixed points of the run (fractions of the messages sent).
      const steps = [{ name: 'reload bob', run: () => reload(bob) }, { name: 'restart', run: restart }, { name: 'reload alice', run: () => reload(alice) }];
      const plan: { at: number; name: string; run: () => Promise<unknown> }[] = params.plain ? [] : params.full || N > 2000
        ? Array.from({ length: 9 }, (_, i) => ({ at: (i + 1) / 10, ...steps[i % 3]! }))
        : [{ at: 0.3, ...steps[0]! }, { at: 0.5, ...steps[1]! }, { at: 0.7, ...steps[2]! }];
      let pending: Promise<unknown> = Promise.resolve();

      const sendOne = (party: Party) => {
        const seq = party.ids.length;
        const inst = current(party);
        const out = inst.client.send(party.peer!.account.jid, `soak ${party.name} #${seq} ${runId}`);
        party.ids.push(out.id);
        party.sentAt.push(`${inst.no}@${Math.round(performance.now() - t0)}`);
        inst.sends++;
      };

      const tSend = performance.now();
      const tickMs = 50;
      while (alice.ids.length < N || bob.ids.length < N) {
        const due = Math.min(N, Math.ceil(((performance.now() - tSend) / 1000) * rate));
        for (const p of [alice, bob]) while (!p.reloading && p.ids.length < due) sendOne(p);
        const sent = (alice.ids.length + bob.ids.length) / (2 * N);
        while (plan.length && sent >= plan[0]!.at) {
          const step = plan.shift()!;
          pending = pending.then(() => (progress(`disruption at ${step.at}`), mark(`${step.name} starts`))).then(step.run)
            .then(() => mark(`${step.name} done`), (e: unknown) => void figures.stepErrors.push(`at ${step.at}: ${String(e)}`));
        }
        await sleep(tickMs);
        if (performance.now() - tSend > sendMs * 3 + 60_000) throw new Error('sending did not finish in time');
      }
      await pending;
      const sendDone = performance.now();
      await P('stop-chaos');
      // SOAK_PROFILE=1 (diagnostic): where the page's time goes while the backlog drains.
      if (params.profile) {
        await executeServerCommand('impp-profile', { action: 'start' });
        setTimeout(() => void executeServerCommand<{ top?: string[] }, { action: string }>('impp-profile', { action: 'stop' })
          .then((r) => progress(`CPU profile of the drain (20 s):\n${r?.top?.join('\n')}`)), 20_000);
      }

      // Converge: every message at its peer (some page) and every send final; bounded.
      const received = (p: Party) => new Set(p.peer!.instances.flatMap((i) => i.inbox));
      const finalState = (p: Party, id: string) => {
        for (let i = p.instances.length - 1; i >= 0; i--) {
          const s = p.instances[i]!.states.get(id);
          if (s) return s;
        }
        return undefined;
      };
      const settled = () => [alice, bob].every((p) => received(p).size === N
        && p.ids.every((id) => { const s = finalState(p, id)?.state; return s !== undefined && s !== 'queued'; }));
      for (const end = performance.now() + settleMs; performance.now() < end && !settled();) await sleep(250);
      await sleep(3000); // late receipts, and late repeats if any
      const settleTook = performance.now() - sendDone;

      for (const p of [alice, bob]) {
        const inst = current(p);
        if (!liveDom) document.body.append(inst.chat);
        await inst.chat.updateComplete;
        await sleep(50);
        await inst.chat.updateComplete;
        countDom(inst);
      }

      // ---- figures
      const stats = await call<ProxyStats>(`/__impp/proxy/${proxy.id}/stats`, 'GET');
      const per = (p: Party) => {
        const got = received(p);
        let lost = 0;
        let failed = 0;
        let open = 0;
        let failedButDelivered = 0;
        const failedCodes: Record<string, number> = {};
        const lostList: string[] = [];
        const openList: string[] = [];
        p.ids.forEach((id, seq) => {
          const s = finalState(p, id);
          const arrived = got.has(seq);
          if (s?.state === 'failed') {
            failed++;
            failedCodes[s.code ?? 'untyped'] = (failedCodes[s.code ?? 'untyped'] ?? 0) + 1;
            if (arrived) failedButDelivered++;
          } else if (!arrived) {
            lost++;
            if (lostList.length < 40) lostList.push(`#${seq} ${id} page${p.sentAt[seq]}ms ${p.instances.map((i) => i.states.get(id)?.state ?? '-').join('/')} wire: ${p.wire.get(seq)?.join(' ')}`);
          }
          if (s === undefined || s.state === 'queued') {
            open++;
            if (openList.length < 40) openList.push(`#${seq} ${id} page${p.sentAt[seq]}ms ${p.instances.map((i) => i.states.get(id)?.state ?? '-').join('/')} wire: ${p.wire.get(seq)?.join(' ')}`);
          }
        });
        const states: Record<string, number> = {};
        for (const id of p.ids) { const s = finalState(p, id)?.state ?? 'unknown'; states[s] = (states[s] ?? 0) + 1; }
        // At the receiver, per page: duplicates and order, from inbox$ and from the DOM.
        let dupInbox = 0;
        let dupDom = 0;
        let reordered = 0;
        let domMissing = 0;
        const domSeen = new Set<number>();
        for (const inst of p.peer!.instances) {
          const seen = new Set<number>();
          let last = -1;
          let dupSeq = 0;
          let dupId = 0;
          for (const seq of inst.inbox) {
            if (seen.has(seq)) dupSeq++;
            seen.add(seq);
            if (seq < last) reordered++;
            last = Math.max(last, seq);
          }
          for (const c of inst.inboxIds.values()) if (c > 1) dupId += c - 1; // same id twice: a dedupe miss
          dupInbox += Math.max(dupSeq, dupId); // same body under a new id would be a resend that lost its id
          const rows = inst.domRows?.inSeqs ?? [];
          const domSet = new Set<number>();
          for (const seq of rows) { if (domSet.has(seq)) dupDom++; domSet.add(seq); domSeen.add(seq); }
          for (const seq of seen) if (!domSet.has(seq)) domMissing++;
        }
        let domLost = 0;
        for (let s = 0; s < N; s++) if (!domSeen.has(s) && !(finalState(p, p.ids[s]!)?.state === 'failed')) domLost++;
        const crossPage = p.peer!.instances.flatMap((i) => [...new Set(i.inbox)]).length - got.size;
        return { sent: p.ids.length, received: got.size, lost, failed, failedCodes, failedButDelivered, open, states,
          dupInbox, dupDom, domLost, domMissing, reordered, redeliveredAfterReload: crossPage, lostList, openList,
          late: p.peer!.instances.flatMap((i) => i.lateLog.map((l) => `page${i.no}:${l}`)).slice(0, 40),
          // The first late ones, each with the one before it, as the wire saw them (see Party.wire).
          lateWire: p.peer!.instances.flatMap((i) => i.lateLog).slice(0, 8).flatMap((l) => {
            const seq = Number(/#(\d+)@/.exec(l)?.[1]);
            const ahead = Number(/after #(\d+)/.exec(l)?.[1]);
            return [seq - 1, seq, ahead].map((q) => `#${q} sent page${p.sentAt[q]}ms: ${p.wire.get(q)?.join(' ')}`);
          }) };
      };
      const a = per(alice);
      const b = per(bob);
      const sum = (k: 'lost' | 'dupInbox' | 'dupDom' | 'domLost' | 'reordered' | 'open' | 'failed') => a[k] + b[k];
      const counters = [alice, bob].flatMap((p) => p.instances.map((i) => i.counters));
      const total = (k: keyof Instance['counters']) => counters.reduce((n, c) => n + c[k], 0);
      const result = {
        n: N, rate, liveDom, seed: proxy.seed,
        lost: sum('lost'), duplicated: sum('dupInbox') + sum('dupDom'), reordered: sum('reordered'), open: sum('open'), failed: sum('failed'),
        kills: stats.byMode.close + stats.byMode['mid-frame'] + stats.byMode.silent, killsByMode: stats.byMode, midFrameCutsDone: stats.midFrame,
        linksLostSeenByClients: total('lost'), reconnectAttempts: total('attempts') - counters.filter((c) => c.attempts > 0).length,
        resumes: total('resumed'), newSessions: counters.reduce((n, c) => n + Math.max(0, c.newSessions - 1), 0), firstLogins: counters.filter((c) => c.online > 0).length,
        appRetries: total('appRetries'), reloads: figures.reloads, restarts: figures.restarts, restartMs: figures.restartMs, stepErrors: figures.stepErrors,
        proxyConnections: stats.connections,
        durationS: Math.round((performance.now() - t0) / 100) / 10, sendS: Math.round((sendDone - tSend) / 100) / 10,
        settleS: Math.round(settleTook / 100) / 10,
        alice: a, bob: b, errors: Object.fromEntries(errorCodes),
      };
      console.log(`[soak] lost=${result.lost} duplicated=${result.duplicated} reordered=${result.reordered} open=${result.open} failed=${result.failed} `
        + `kills=${result.kills} (close=${stats.byMode.close} mid-frame=${stats.byMode['mid-frame']} silent=${stats.byMode.silent}) `
        + `reloads=${result.reloads} restarts=${result.restarts} reconnects=${result.reconnectAttempts} resumes=${result.resumes} `
        + `new-sessions=${result.newSessions} duration=${result.durationS}s\n${JSON.stringify(result)}`);
      if (result.lost + result.open + result.reordered > 0 || params.full) {
        for (const p of [alice, bob]) for (const i of p.instances) console.log(`[soak] ${p.name}#${i.no} sends=${i.sends} ${JSON.stringify(i.counters)} ${i.timeline.join(' ')}`);
        const saved = await call<{ file: string }>(`/__impp/proxy/${proxy.id}/save-log`).catch(() => ({ file: '(not saved)' }));
        console.log(`[soak] disruptions: ${figures.disruptions.join(', ')}`);
        console.log(`[soak] accounts: alice=${alice.account.jid} bob=${bob.account.jid}; Prosody log kept in ${saved.file}`);
      }
      await fetch('/__impp/soak/result', { method: 'POST', body: JSON.stringify(result), headers: { 'content-type': 'application/json' } });

      for (const p of [alice, bob]) {
        for (const inst of p.instances) {
          inst.dead = true;
          inst.subs.forEach((s) => s.unsubscribe());
          inst.chat.remove();
          await inst.client.disconnect().catch(() => undefined);
        }
      }

      // ---- the promise (rows 39, 49–51, 54)
      expect(result.restarts, 'server restarts survived').to.be.greaterThanOrEqual(1);
      expect(result.reloads, 'reloads survived').to.be.greaterThanOrEqual(2);
      expect(stats.byMode.close * stats.byMode['mid-frame'] * stats.byMode.silent, 'every kill mode used').to.be.greaterThan(0);
      expect({ alice: a.lost, bob: b.lost }, 'lost (neither at the peer nor a typed failure)').to.deep.equal({ alice: 0, bob: 0 });
      expect({ inbox: sum('dupInbox'), dom: sum('dupDom') }, 'duplicated').to.deep.equal({ inbox: 0, dom: 0 });
      expect(sum('domLost'), 'missing from every page\'s <impp-chat>').to.equal(0);
      expect(sum('reordered'), 'per-sender order broken').to.equal(0);
      expect(sum('open'), 'sends that never ended').to.equal(0);
      for (const p of [a, b]) for (const code of Object.keys(p.failedCodes)) expect(code, 'failure typed').to.not.equal('untyped');
    } finally {
      cleanup.forEach((f) => f());
      await call(`/__impp/proxy/${proxy.id}/close`).catch(() => undefined);
    }
  });
});
