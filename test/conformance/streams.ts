// Awaiting stream values with timeouts, for the conformance suite.
import type { Observable } from 'rxjs';
import { show } from './assert.js';

/** Resolves with the first value of `obs$` (replayed ones included) that satisfies `predicate`. */
export function firstMatch<T>(obs$: Observable<T>, predicate: (v: T) => boolean, ms = 5000, what = 'a matching value'): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let last: { value: T } | undefined;
    let done = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      queueMicrotask(() => sub.unsubscribe());
      fn();
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}; last value: ${last ? show(last.value) : 'none'}`))), ms);
    const sub = obs$.subscribe({
      next: (v) => {
        last = { value: v };
        let hit = false;
        try {
          hit = predicate(v);
        } catch {
          hit = false;
        }
        if (hit) finish(() => resolve(v));
      },
      error: (e: unknown) => finish(() => reject(new Error(`Stream errored while waiting for ${what}: ${String(e)}`))),
      complete: () => finish(() => reject(new Error(`Stream completed while waiting for ${what}`))),
    });
    if (done) sub.unsubscribe();
  });
}

/** Resolves after `ms` if no value of `obs$` satisfies `predicate` in that time; rejects otherwise. */
export function noMatch<T>(obs$: Observable<T>, predicate: (v: T) => boolean, ms: number, what = 'an unexpected value'): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let failed = false;
    const timer = setTimeout(() => {
      sub.unsubscribe();
      resolve();
    }, ms);
    const sub = obs$.subscribe((v) => {
      if (failed || !predicate(v)) return;
      failed = true;
      clearTimeout(timer);
      queueMicrotask(() => sub.unsubscribe());
      reject(new Error(`Saw ${what}: ${show(v)}`));
    });
  });
}

/** The latest (replayed) value of a state stream. */
export function current<T>(obs$: Observable<T>, ms = 5000): Promise<T> {
  return firstMatch(obs$, () => true, ms, 'the current value');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
