// Reconnect delays, for every transport and the client: exponential backoff with "full jitter"
// (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015), capped at 60 s, reset on
// success, never retried after a failure a retry cannot fix (issue #6, BAD-INPUTS #52).
//
// delay = random(0, ceiling), ceiling = min(cap, max(spread, base · 2^attempt)).
//
// Why every retry waits inside the herd window `spread` (30 s), even the first: when a server
// restarts, all its clients lose their links in the same instant, and with XEP-0198 Prosody
// does not even say so (it drops the TCP connection so sessions can resume: the client sees
// WebSocket 1006, exactly like a one-client network blip). No client-side signal tells the two
// apart, so a fast first retry would bring every client back in the same second. Waiting is
// cheap for a user because of the wake-ups: the browser's `online` event (the usual end of a
// local network blip) and an explicit `connect()` while reconnecting ("Retry now") retry at once.
// `spreadMs: 0` gives the classic backoff (first retry within `base`) for a handful of clients.
import { ImppError } from './errors.js';

/** Reconnect delays (all optional). */
export interface BackoffOptions {
  /** Growth base: the first ceiling when `spreadMs` is 0, ms (default 500). */
  readonly baseMs?: number;
  /** Largest ceiling, ms (default and maximum 60 000). */
  readonly capMs?: number;
  /**
   * Herd window, ms (default 30 000, never above `capMs`; 0 turns it off): every retry waits a
   * random time below at least this, so a restarted server meets its clients spread out.
   */
  readonly spreadMs?: number;
}

/** The largest delay ever used, whatever the options say. */
export const MAX_BACKOFF_MS = 60_000;
/**
 * Default herd window. Full jitter spreads N clients uniformly over it: 200 clients over 30 s
 * average 6.7 a second against issue #6's limit of 20 (10%); P(any second > 20) ≈ 1e-4.
 */
export const SPREAD_MS = 30_000;

/** Failures a retry would only repeat: credentials, configuration, an unsupported server (#52). */
export function isFatal(e: ImppError): boolean {
  return e.code.startsWith('auth/') || e.code === 'transport/unsupported' || e.code === 'client/invalid-argument' || e.code === 'address/invalid';
}

/** Delay before attempt `attempt` (0 = first retry). `random` is in [0, 1). */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}, random: () => number = Math.random): number {
  const cap = Math.min(MAX_BACKOFF_MS, opts.capMs ?? MAX_BACKOFF_MS);
  const base = Math.max(1, opts.baseMs ?? 500);
  const spread = Math.max(0, opts.spreadMs ?? SPREAD_MS);
  const ceiling = Math.min(cap, Math.max(spread, base * 2 ** Math.min(Math.max(0, attempt), 30)));
  return Math.floor(random() * ceiling);
}

/**
 * Successive reconnect delays of one connection.
 * @example
 * ```ts
 * const backoff = new Backoff({ baseMs: 500 });
 * setTimeout(reconnect, backoff.next()); // …and backoff.reset() once online
 * ```
 */
export class Backoff {
  private attempt = 0;

  constructor(private readonly opts: BackoffOptions = {}, private readonly random: () => number = Math.random) {}

  /** Delay before the next attempt. */
  next(): number {
    return backoffDelay(this.attempt++, this.opts, this.random);
  }

  /** After a success: the next loss starts from the first ceiling again. */
  reset(): void {
    this.attempt = 0;
  }
}

/** Options of {@link retry}. */
export interface RetryOptions extends BackoffOptions {
  /** Stops retrying and rejects (default {@link isFatal}). */
  readonly fatal?: (e: ImppError) => boolean;
  readonly random?: () => number;
  /** Cuts the current wait short: called with a wake-up function, returns its removal. */
  readonly wake?: (wakeUp: () => void) => () => void;
}

/**
 * Calls `listener` on the browser's `online` event (the network is back: no reason to wait for
 * a backoff); returns its removal. Does nothing where there is no such event (Node).
 */
export function onOnline(listener: () => void): () => void {
  const g = globalThis as { addEventListener?: typeof addEventListener; removeEventListener?: typeof removeEventListener };
  g.addEventListener?.('online', listener);
  return () => g.removeEventListener?.('online', listener);
}

/** Resolves after `ms`, on abort, on a wake-up, or on the browser's `online` event. */
function sleep(ms: number, signal: AbortSignal, wake?: RetryOptions['wake']): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      offline();
      unwake?.();
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    const offline = onOnline(done);
    const unwake = wake?.(done);
  });
}

/**
 * Calls `attempt` after each backoff delay until it resolves, `signal` aborts (resolves), or it
 * throws an error `fatal` accepts (rejects with it: no retry after an auth failure).
 */
export async function retry(signal: AbortSignal, attempt: (signal: AbortSignal) => Promise<void>, opts: RetryOptions = {}): Promise<void> {
  const backoff = new Backoff(opts, opts.random);
  const fatal = opts.fatal ?? isFatal;
  while (!signal.aborted) {
    await sleep(backoff.next(), signal, opts.wake);
    if (signal.aborted) return;
    try {
      return await attempt(signal);
    } catch (err) {
      const why = ImppError.from(err, 'transport/closed', 'Reconnecting failed.');
      if (fatal(why)) throw why;
    }
  }
}
