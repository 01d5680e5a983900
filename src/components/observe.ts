/**
 * Binds an Observable to a value a component renders.
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
  private source: Observable<T> | undefined;
  private subscription: Subscription | undefined;
  private connected = false;
  /** The latest value, or the initial one until the source emits. */
  value: T;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly initial: T,
    private readonly onValue?: (value: T) => void,
  ) {
    this.value = initial;
    host.addController(this);
  }

  /** Switches to another source (or none, which resets to the initial value). */
  observe(source: Observable<T> | undefined): void {
    if (source === this.source) return;
    this.unsubscribe();
    this.source = source;
    if (source === undefined) {
      this.value = this.initial;
      this.host.requestUpdate();
    } else if (this.connected) {
      this.subscribe();
    }
  }

  hostConnected(): void {
    this.connected = true;
    if (this.subscription === undefined) this.subscribe();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.unsubscribe();
  }

  private subscribe(): void {
    if (this.source === undefined) return;
    this.subscription = this.source.subscribe((value) => {
      this.value = value;
      this.onValue?.(value);
      this.host.requestUpdate();
    });
  }

  private unsubscribe(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }
}
