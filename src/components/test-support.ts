import { waitUntil } from '@open-wc/testing';
/**
 * Test support for the component tests (not part of the public API): real clients on the
 * in-page transport, each test on its own channel so tests never see each other.
 * @module
 */
import { BehaviorSubject, filter, firstValueFrom, isObservable, Observable as ObservableCtor, timeout, type Observable } from 'rxjs';
import { createClient, type ConnectionStatus, type ImppClient } from '../core/index.js';
import { DEFAULT_DOMAIN, inPage } from '../core/transports/in-page/index.js';

let counter = 0;

/** A channel name no other test uses. */
export function uniqueChannel(prefix = 'components'): string {
  return `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** The in-page address of a user name. */
export function addressOf(user: string): string {
  return `${user}@${DEFAULT_DOMAIN}`;
}

/** The first value of `source$` that passes `test` (fails after `ms`). */
export function until<T>(source$: Observable<T>, test: (value: T) => boolean, ms = 4000): Promise<T> {
  return firstValueFrom(source$.pipe(filter(test), timeout(ms)));
}

/**
 * A real client for `user` on `channel`, online. Its outbox lives in memory: the IndexedDB
 * outbox is keyed by address, so a later test's `bob` would resend an earlier `bob`'s messages.
 */
export async function signIn(user: string, channel: string): Promise<ImppClient> {
  const client = createClient({ transport: inPage({ user, channel }), outbox: 'memory' });
  await until(client.connection$, (c) => c.state === 'online');
  return client;
}

/** Makes `a` and `b` contacts of each other, each approving the other's request. */
export async function befriend(a: ImppClient, b: ImppClient, names: { a?: string; b?: string } = {}): Promise<void> {
  await a.addBuddy(b.self, names.b === undefined ? {} : { name: names.b });
  await until(b.watchers$, (ws) => ws.some((w) => w.address.id === a.self.id && w.state === 'pending'));
  await b.approve(a.self);
  await b.addBuddy(a.self, names.a === undefined ? {} : { name: names.a });
  await until(a.watchers$, (ws) => ws.some((w) => w.address.id === b.self.id && w.state === 'pending'));
  await a.approve(b.self);
}

/** Disconnects every client given (after a test). */
export async function signOut(...clients: (ImppClient | undefined)[]): Promise<void> {
  await Promise.all(clients.map((c) => c?.disconnect()));
}

/** Vectors that must render as inert text (BAD-INPUTS #17, #40, #47). */
export const XSS = {
  img: '<img src=x onerror="window.__impp_xss=1">',
  svg: '<svg onload="window.__impp_xss=1"></svg>',
  js: 'javascript:window.__impp_xss=1',
  bold: '<b>x</b>',
  rlo: '\u202Eevil.exe\u202C',
};

/** The text of `el`'s shadow root (and of its slotted children), for assertions. */
export function shadowText(el: Element): string {
  return el.shadowRoot?.textContent ?? '';
}

/**
 * Wraps a real client so tests can count live subscriptions to its streams (including those
 * of the conversations it hands out). Methods run on the real client.
 */
export function countingClient(client: ImppClient): { client: ImppClient; active(): number } {
  let active = 0;
  const wrapped = new WeakMap<object, unknown>();
  const count = <T>(source: Observable<T>): Observable<T> =>
    new ObservableCtor<T>((subscriber) => {
      active++;
      const sub = source.subscribe(subscriber);
      return () => {
        active--;
        sub.unsubscribe();
      };
    });
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(t, key) {
        const value: unknown = Reflect.get(t, key, t);
        if (isObservable(value)) {
          let w = wrapped.get(value);
          if (w === undefined) wrapped.set(value, (w = count(value)));
          return w;
        }
        if (typeof value !== 'function') return value;
        if (key === 'conversation') return (...args: unknown[]) => wrapConversation(value.apply(t, args) as object);
        return (value as (...a: unknown[]) => unknown).bind(t);
      },
    });
  const conversations = new WeakMap<object, object>();
  const wrapConversation = (c: object) => {
    let w = conversations.get(c);
    if (w === undefined) conversations.set(c, (w = wrap(c)));
    return w;
  };
  return { client: wrap(client), active: () => active };
}

/**
 * A real client whose connection state the test drives, for the narrow cases a transport cannot
 * stage on demand (reconnecting, failed with a given reason). Everything else is the real
 * client's, so it implements {@link ImppClient} honestly however the interface grows.
 */
export function staged(client: ImppClient): { client: ImppClient; setConnection(status: ConnectionStatus): void } {
  const connection = new BehaviorSubject<ConnectionStatus>({ state: 'offline' });
  const connection$ = connection.asObservable();
  const proxy = new Proxy(client, {
    get(t, key) {
      if (key === 'connection$') return connection$;
      const value: unknown = Reflect.get(t, key, t);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
  });
  return { client: proxy, setConnection: (status) => connection.next(status) };
}

/**
 * `waitUntil` with room for a background tab: two test files share the browser and the hidden
 * one has its timers throttled (down to one run a second), so the 1 s default is too tight.
 */
export function eventually(predicate: () => unknown, message?: string, timeout = 8000): Promise<void> {
  return waitUntil(predicate, message, { timeout, interval: 20 });
}

/** Collects `console.warn` output until `restore()` (for the warning-with-a-code checks). */
export function captureWarnings(): { messages: string[]; restore(): void } {
  const original = console.warn;
  const messages: string[] = [];
  console.warn = (...args: unknown[]) => void messages.push(args.map(String).join(' '));
  return { messages, restore: () => (console.warn = original) };
}
