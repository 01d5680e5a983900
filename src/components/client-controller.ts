/**
 * Resolves the {@link ImppClient} of a component and keeps its subscriptions tied to the
 * component's lifetime.
 * @module
 */
import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Subscription } from 'rxjs';
import type { ImppClient } from '../core/index.js';
import { clientContext } from './context.js';

/** A component that can be given a client directly. */
export interface ClientHost extends ReactiveControllerHost, HTMLElement {
  /** A client set directly; wins over one provided by an ancestor `<impp-client>`. */
  client?: ImppClient | undefined;
}

/** Subscribes a component to a client; the returned subscription is torn down for it. */
export type ClientBinder = (client: ImppClient) => Subscription | undefined;

/**
 * Finds the client (the host's `.client` property, else the nearest `<impp-client>` via
 * context), calls `bind(client)` while the host is connected, and unsubscribes what `bind`
 * returned when the host disconnects or the client changes. `bind` never runs in `render()`.
 *
 * @example
 * ```ts
 * private readonly clientCtl = new ClientController(this, (client) =>
 *   client.buddies$.subscribe((b) => (this.buddies = b)));
 * ```
 */
export class ClientController implements ReactiveController {
  #contextClient: ImppClient | undefined;
  #bound: ImppClient | undefined;
  #subscription: Subscription | undefined;
  #connected = false;
  readonly #host: ClientHost;
  readonly #bind: ClientBinder;

  constructor(host: ClientHost, bind: ClientBinder) {
    this.#host = host;
    this.#bind = bind;
    host.addController(this);
    // Added after this controller, so it asks for the context once we are marked connected.
    new ContextConsumer(host, {
      context: clientContext,
      subscribe: true,
      callback: (client) => {
        this.#contextClient = client;
        this.#sync();
      },
    });
  }

  /** The client in use: the host's `.client`, else the provided one. */
  get client(): ImppClient | undefined {
    return this.#host.client ?? this.#contextClient;
  }

  hostConnected(): void {
    this.#connected = true;
    this.#sync();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#sync();
  }

  /** Picks up a changed `.client` property before each render. */
  hostUpdate(): void {
    this.#sync();
  }

  /** Tears down and binds again (call it when another input of `bind`, e.g. a peer, changed). */
  rebind(): void {
    this.#unbind();
    this.#sync();
  }

  #sync(): void {
    const next = this.#connected ? this.client : undefined;
    if (next === this.#bound) return;
    this.#unbind();
    this.#bound = next;
    if (next !== undefined) this.#subscription = this.#bind(next);
    this.#host.requestUpdate();
  }

  #unbind(): void {
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    this.#bound = undefined;
  }
}
