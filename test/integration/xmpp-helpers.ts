// Helpers for browser tests against the real Prosody the web-test-runner plugin starts
// (test/integration/wtr-plugins.mjs): where it is, fresh accounts, and event waiting.
import { filter, firstValueFrom, map, ReplaySubject, timeout, type Observable } from 'rxjs';
import type { Transport, TransportEvent } from '../../src/core/transports/transport.js';
import { xmppWebSocket } from '../../src/core/transports/xmpp/index.js';

export interface ProsodyInfo { readonly wsUrl: string; readonly domain: string }
export interface Account { readonly jid: string; readonly password: string }

async function post<T>(path: string): Promise<T> {
  const body = (await (await fetch(path, { method: path.endsWith('.json') ? 'GET' : 'POST' })).json()) as T & { error?: string };
  if (body.error) throw new Error(`Prosody test server: ${body.error}`);
  return body;
}

let info: Promise<ProsodyInfo> | undefined;
export const prosody = (): Promise<ProsodyInfo> => (info ??= post<ProsodyInfo>('/__impp/prosody.json'));
export const newAccount = (): Promise<Account> => post<Account>('/__impp/users');

/** A signed-in transport whose events are all recorded (replayed to each `next` call). */
export interface Signed {
  readonly t: Transport;
  readonly account: Account;
  readonly events$: Observable<TransportEvent>;
  /** The first event of `type` matching `match`, among those after `mark` (default: all so far). */
  next<T extends TransportEvent['type']>(type: T, match?: (e: Extract<TransportEvent, { type: T }>) => boolean, mark?: number): Promise<Extract<TransportEvent, { type: T }>>;
  /** A position in the event log, for `next(…, mark)`. */
  mark(): number;
}

export async function signIn(account: Account, resource?: string): Promise<Signed> {
  const { wsUrl } = await prosody();
  const t = xmppWebSocket({ service: wsUrl, jid: account.jid, password: account.password, ...(resource ? { resource } : {}), keepaliveMs: 0 });
  const log = new ReplaySubject<{ e: TransportEvent; n: number }>();
  let n = 0;
  t.events$.subscribe((e) => log.next({ e, n: n++ }));
  await t.connect();
  return {
    t, account,
    events$: log.pipe(map((x) => x.e)),
    mark: () => n,
    next: (type, match = () => true, mark = 0) =>
      firstValueFrom(log.pipe(
        filter((x) => x.n >= mark && x.e.type === type && match(x.e as never)),
        map((x) => x.e),
        timeout({ first: 5000, with: () => { throw new Error(`timed out waiting for a ${type} event on ${account.jid}`); } }),
      )) as never,
  };
}
