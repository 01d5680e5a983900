// Browser side of the protocol benchmarks: drives one BenchLibrary through the scenarios the
// orchestrator (bench/run.mjs) asks for, in small chunks so libraries can be interleaved.
import type { BenchClient, BenchLibrary } from './types.js';

type Account = readonly [jid: string, password: string];
export interface SetupConfig {
  readonly service: string;
  readonly accounts: { a: Account; b: Account; c: Account; pub: Account; idle: Account };
}

const now = () => performance.now();
const wall = () => performance.timeOrigin + performance.now();
const bareOf = (jid: string): string => jid.split('/')[0] ?? jid;
const timeout = <T>(p: Promise<T>, ms: number, what: string) =>
  Promise.race([p, new Promise<T>((_, rej) => setTimeout(() => rej(new Error(`${what}: timeout after ${ms} ms`)), ms))]);

export function install(lib: BenchLibrary): void {
  let cfg: SetupConfig;
  let a: BenchClient, b: BenchClient, pub: BenchClient | undefined;
  const waiting = new Map<string, () => void>();
  let received = 0;
  let receivedTarget = 0;
  let receivedDone: (() => void) | undefined;
  const idle: BenchClient[] = [];
  let seq = 0;
  const connect = (acc: Account, resource: string, presence = true) =>
    timeout(lib.connect({ service: cfg.service, jid: acc[0], password: acc[1], resource, presence }), 15000, `${lib.name} connect`);

  const api = {
    name: lib.name,
    notes: () => lib.notes(),
    wall,
    async setup(c: SetupConfig) {
      cfg = c;
      a = await connect(cfg.accounts.a, 'a');
      b = await connect(cfg.accounts.b, 'b');
      // B echoes "e:" bodies to the sender and counts "t:" bodies (throughput).
      b.onMessage((from, body) => {
        if (body.startsWith('e:')) b.send(bareOf(from), body);
        else if (body.startsWith('t:') && ++received === receivedTarget) receivedDone?.();
      });
      a.onMessage((_from, body) => waiting.get(body)?.());
      // Warm-up: derives (and, where the library can, caches) the SCRAM keys of account c.
      const w = await connect(cfg.accounts.c, 'warm', false);
      await w.close();
      return { a: a.jid, b: b.jid };
    },
    /** `n` connect+auth samples (new client, SCRAM, bind / online), ms each; closes each one. */
    async connect(n: number) {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = now();
        const c = await connect(cfg.accounts.c, `c${++seq}`, false);
        out.push(now() - t0);
        await timeout(c.close(), 5000, 'close');
      }
      return out;
    },
    /** `n` echo round trips A → B → A, ms each. */
    async echo(n: number) {
      const out: number[] = [];
      const to = bareOf(b.jid);
      for (let i = 0; i < n; i++) {
        const body = `e:${++seq}`;
        const got = new Promise<void>((r) => waiting.set(body, r));
        const t0 = now();
        a.send(to, body);
        await timeout(got, 5000, 'echo');
        out.push(now() - t0);
        waiting.delete(body);
      }
      return out;
    },
    /** Sends `m` messages A → B back to back; ms until B has received them all. */
    async throughput(m: number) {
      received = 0;
      receivedTarget = m;
      const done = new Promise<void>((r) => { receivedDone = r; });
      const to = bareOf(b.jid);
      const t0 = now();
      for (let i = 0; i < m; i++) a.send(to, `t:${i}`);
      try {
        await timeout(done, 30000, 'throughput');
      } catch {
        return { ms: now() - t0, received, complete: false };
      }
      return { ms: now() - t0, received, complete: true };
    },
    async fanoutSetup(resource: string) {
      pub = await connect(cfg.accounts.pub, resource);
      return pub.jid;
    },
    /** Sets presence with `token` as status; returns the wall-clock time just before the call. */
    async fanout(token: string) {
      const t = wall();
      await pub!.setPresence(token);
      return t;
    },
    async fanoutClose() { await pub?.close(); pub = undefined; },
    async idleOpen(k: number) {
      for (let i = 0; i < k; i++) idle.push(await connect(cfg.accounts.idle, `idle${++seq}`));
      return idle.length;
    },
    async idleClose() {
      while (idle.length) await timeout(idle.pop()!.close(), 5000, 'close');
    },
    async teardown() {
      await Promise.allSettled([a?.close(), b?.close(), pub?.close()]);
    },
  };
  (globalThis as unknown as { bench: typeof api }).bench = api;
}
