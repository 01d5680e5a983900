/**
 * Binds an Observable to a value a component renders, and waits for one value.
 * @module
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Observable, Subscription } from 'rxjs';

/**
 * Holds the latest value of an Observable and re-renders the host when it changes. It is
 * subscribed only while the host is connected (re-subscribing on reconnection, which replays
 * the latest value of impp-kit's state streams) and never from `render()`.
 *
 * @example
 * ```ts
 * private readonly typing = new ObserveController(this, false);
 * // in a ClientController bind: this.typing.observe(conversation.typing$)
 * render() { return this.typing.value ? html`…` : nothing; }
 * ```
 */
export class ObserveController<T> implements ReactiveController {
  #source: Observable<T> | undefined;
  #subscription: Subscription | undefined;
  #connected = false;
  /** The latest value, or the initial one until the source emits. */
  value: T;
  readonly #host: ReactiveControllerHost;
  readonly #initial: T;
  readonly #onValue: ((value: T) => void) | undefined;

  constructor(host: ReactiveControllerHost, initial: T, onValue?: (value: T) => void) {
    this.#host = host;
    this.value = this.#initial = initial;
    this.#onValue = onValue;
    host.addController(this);
  }

  /** Switches to another source (or none, which resets to the initial value). */
  observe(source: Observable<T> | undefined): void {
    if (source === this.#source) return;
    this.#unsubscribe();
    this.#source = source;
    if (source === undefined) {
      this.value = this.#initial;
      this.#host.requestUpdate();
    } else if (this.#connected) {
      this.#subscribe();
    }
  }

  hostConnected(): void {
    this.#connected = true;
    if (this.#subscription === undefined) this.#subscribe();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#unsubscribe();
  }

  #subscribe(): void {
    if (this.#source === undefined) return;
    this.#subscription = this.#source.subscribe((value) => {
      this.value = value;
      this.#onValue?.(value);
      this.#host.requestUpdate();
    });
  }

  #unsubscribe(): void {
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
  }
}

/**
 * Calls `then` with the first value of `source` that passes `test`, then unsubscribes: what
 * `source.pipe(first(test))` does, without putting RxJS's operator machinery (about 1.3 KB
 * min+gz) into every page that loads the elements. Errors of `source` are ignored.
 *
 * @example
 * ```ts
 * sub.add(once(client.connection$, (c) => c.state === 'online', () => this.loadOlder()));
 * ```
 */
export function once<T>(source: Observable<T>, test: (value: T) => boolean, then: (value: T) => void): Subscription {
  let done = false;
  let sub: Subscription | undefined;
  sub = source.subscribe({
    next: (value) => {
      if (done || !test(value)) return;
      done = true;
      sub?.unsubscribe(); // undefined while `subscribe` replays synchronously: handled below
      then(value);
    },
    error: () => undefined,
  });
  if (done) sub.unsubscribe();
  return sub;
}
