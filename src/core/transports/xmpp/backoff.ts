// Reconnect delays: exponential backoff with "full jitter" (AWS Architecture Blog, "Exponential
// Backoff And Jitter", 2015) — https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
// delay = random(0, min(cap, base · 2^attempt)); the cap is ≤ 60 s (BAD-INPUTS "Reliability promise").
import { ImppError } from '../../errors.js';
import { isFatal } from './session-options.js';

export interface BackoffOptions {
  /** First ceiling, ms (default 500). */
  readonly baseMs?: number;
  /** Largest ceiling, ms (default and maximum 60 000). */
  readonly capMs?: number;
}

export const MAX_BACKOFF_MS = 60_000;

/** Delay before reconnect attempt `attempt` (0 = first retry). `random` is in [0, 1). */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}, random: () => number = Math.random): number {
  const base = Math.max(1, opts.baseMs ?? 500);
  const cap = Math.min(MAX_BACKOFF_MS, opts.capMs ?? MAX_BACKOFF_MS);
  const ceiling = Math.min(cap, base * 2 ** Math.min(Math.max(0, attempt), 30));
  return Math.floor(random() * ceiling);
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> => new Promise((resolve) => {
  const t = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
});

/**
 * Calls `attempt` after each backoff delay until it resolves, `signal` aborts (resolves), or it
 * throws an error `isFatal` accepts (rejects with it: no retry after an auth failure).
 */
export async function retry(signal: AbortSignal, attempt: (signal: AbortSignal) => Promise<void>, opts: BackoffOptions = {},
  fatal: (e: ImppError) => boolean = isFatal): Promise<void> {
  for (let n = 0; !signal.aborted; n++) {
    await sleep(backoffDelay(n, opts), signal);
    if (signal.aborted) return;
    try {
      return await attempt(signal);
    } catch (err) {
      const error = ImppError.from(err, 'transport/unreachable', 'Reconnecting failed.');
      if (fatal(error)) throw error;
    }
  }
}
