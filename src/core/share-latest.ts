// A ref-counted "replay the latest value" share: what
// `share({ connector: () => new ReplaySubject(1), resetOnRefCountZero: true })` does, without
// pulling rxjs's innerFrom/scheduler machinery into every bundle (~1.5 KB min+gz).
import { Observable, type MonoTypeOperatorFunction, type Subscription } from 'rxjs';

/**
 * Shares one subscription to the source among all subscribers, replays the latest value to
 * late subscribers, and unsubscribes from the source (forgetting the value) when the last
 * subscriber leaves; the next subscriber starts afresh.
 */
export function shareLatest<T>(): MonoTypeOperatorFunction<T> {
  return (source) => {
    const subscribers = new Set<{ next(v: T): void; error(e: unknown): void; complete(): void }>();
    let connection: Subscription | undefined;
    let latest: { value: T } | undefined;
    return new Observable<T>((subscriber) => {
      subscribers.add(subscriber);
      if (latest !== undefined) subscriber.next(latest.value);
      if (connection === undefined) {
        connection = source.subscribe({
          next: (value) => {
            latest = { value };
            for (const s of [...subscribers]) s.next(value);
          },
          error: (e: unknown) => { for (const s of [...subscribers]) s.error(e); },
          complete: () => { for (const s of [...subscribers]) s.complete(); },
        });
      }
      return () => {
        subscribers.delete(subscriber);
        if (subscribers.size === 0) {
          const c = connection;
          connection = undefined;
          latest = undefined;
          c?.unsubscribe();
        }
      };
    });
  };
}
