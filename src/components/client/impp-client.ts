import { ContextProvider } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { ImppError, type ImppClient } from '../../core/index.js';
import { clientContext } from '../context.js';
import { ImppElement } from '../impp-element.js';
import { once } from '../observe.js';
import { strings } from '../strings.js';
import { warn } from '../warn.js';
import { clientStyles } from './impp-client.styles.js';
import { transportLoader, transportNames } from './transport-loaders.js';
import type { ImppSignInDetail } from '../events.js';

const CONFIG = ['transport', 'user', 'device', 'channel'] as const;

/**
 * @summary Provides an IMPP client to the impp-kit components inside it.
 *
 * @description Either give it a client (`el.client = createClient({ transport })`) or let it
 * create one from attributes: `<impp-client transport="in-page" user="alice">`. A client it
 * created is disconnected when the element leaves the DOM; a client you gave it is yours.
 * `theme="light|dark"` applies to every impp-kit component inside.
 *
 * @example
 * ```html
 * <impp-client transport="in-page" user="alice" channel="demo">
 *   <impp-status></impp-status>
 *   <impp-buddy-list></impp-buddy-list>
 * </impp-client>
 * ```
 *
 * @slot - The components (and anything else) that use the client.
 *
 * @csspart error - The message shown when the client could not be created.
 *
 * @cssproperty --impp-color-scheme - `light`, `dark` or `light dark` for the whole subtree.
 */
export class ImppClientElement extends ImppElement {
  static override styles = clientStyles;
  static override properties = {
    client: { attribute: false },
    transport: { reflect: true },
    user: { reflect: true },
    device: { reflect: true },
    channel: { reflect: true },
    error: { state: true },
    signingIn: { state: true },
    busy: { state: true },
  };

  /**
   * The client to provide. Set it to use your own client; read it to get the one the element
   * created from its attributes (once {@link whenReady} resolves).
   */
  client: ImppClient | undefined;

  /** Transport to create a client with: `in-page` (built in), or one registered with `registerTransportLoader`. */
  transport: string | undefined;

  /** The user to sign in as (for `in-page`: a name like `alice`, or an address). */
  user: string | undefined;

  /** Device (resource) name of this client; optional. */
  device: string | undefined;

  /** In-page channel: clients on the same channel see each other; optional. */
  channel: string | undefined;

  /** Why the element could not create a client, if it failed. */
  error: ImppError | undefined;

  readonly #provider = new ContextProvider(this, { context: clientContext });
  /** The client this element created (and so must disconnect). */
  #created: ImppClient | undefined;
  /** Bumped whenever a pending creation becomes stale. */
  #generation = 0;
  #needsConfigure = false;
  #credentials: { readonly jid: string; readonly password: string } | undefined;
  #ready: Promise<ImppClient | undefined> = Promise.resolve(undefined);

  /**
   * Signs in with credentials the user typed (e.g. into a sign-in form), for transports that
   * need them: they go to the transport loader once and are not kept, never in an attribute.
   */
  signIn(credentials: { readonly jid: string; readonly password: string }): Promise<ImppClient | undefined> {
    this.#credentials = credentials;
    this.#needsConfigure = true;
    this.requestUpdate();
    return this.whenReady();
  }

  /** Resolves with the client once the element has one (or `undefined` when it failed). */
  whenReady(): Promise<ImppClient | undefined> {
    return this.updateComplete.then(() => this.#ready);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#needsConfigure = true;
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#dispose();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (CONFIG.some((k) => changed.has(k))) this.#needsConfigure = true;
    if (changed.has('client')) {
      if (this.client !== undefined && this.#created !== undefined && this.client !== this.#created) {
        this.#dispose(); // a client given by the page wins over ours
      } else if (this.client === undefined && this.#created === undefined && changed.get('client') !== undefined) {
        this.#needsConfigure = true; // the page took its client back: fall back to the attributes
      }
    }
    if (this.#needsConfigure && this.isConnected) {
      this.#needsConfigure = false;
      this.#configure();
    }
    this.#provider.setValue(this.client);
  }

  /** True while the transport needs credentials: the element shows its sign-in form. */
  private signingIn = false;
  private busy = false;

  /**
   * Signs out: disconnects the client this element created and forgets its session (the
   * transport's in-memory keys go with it); the sign-in form comes back.
   */
  async signOut(): Promise<void> {
    const created = this.#created;
    this.#dispose();
    this.error = undefined;
    this.signingIn = true;
    this.#signedInWithCredentials = false;
    await created?.disconnect().catch(() => undefined);
  }

  protected override render() {
    if (this.signingIn) {
      void import('../sign-in/define.js'); // the form's code is fetched the first time it shows
      const authError = this.error?.code === 'auth/credentials-required' ? undefined : this.error;
      return html`<impp-sign-in part="sign-in" exportparts="form,button" jid=${this.getAttribute('jid') ?? ''}
        service=${this.getAttribute('service') ?? ''} ?busy=${this.busy} .error=${authError}
        @impp-sign-in=${this.#onSignIn}></impp-sign-in>`;
    }
    return html`${this.error === undefined
        ? nothing
        : html`<p part="error" class="error" role="alert">${this.error.message}</p>`}${this.#signedInWithCredentials
        ? html`<button part="sign-out" class="sign-out" @click=${() => void this.signOut()}>${strings().signOut}</button>`
        : nothing}<slot></slot>`;
  }

  /** The client came from a sign-in (so a sign-out makes sense). */
  #signedInWithCredentials = false;

  #onSignIn(e: CustomEvent<ImppSignInDetail>): void {
    e.stopPropagation(); // the password stays inside this element
    this.busy = true;
    void this.signIn(e.detail).then((client) => {
      this.busy = false;
      if (client !== undefined) {
        this.signingIn = false;
        this.#signedInWithCredentials = true;
      }
    });
  }

  /** Creates a client from the attributes, unless one was given. */
  #configure(): void {
    if (this.client !== undefined && this.client !== this.#created) return;
    this.#dispose();
    this.error = undefined;
    const name = this.transport;
    if (name === undefined || name === '') return;
    const loader = transportLoader(name);
    if (loader === undefined) {
      const known = transportNames().join(', ');
      this.error = new ImppError('component/invalid-attribute', strings().unknownTransport(name));
      warn('component/invalid-attribute', `<impp-client transport="${name}"> is not a known transport (known: ${known}).`);
      return;
    }
    const generation = ++this.#generation;
    const attribute = (n: string) => this.getAttribute(n) || undefined;
    const credentials = this.#credentials;
    this.#credentials = undefined; // handed over once, not kept on the element
    this.#ready = loader(credentials === undefined ? { attribute } : { attribute, credentials }).then(
      (client) => {
        if (generation !== this.#generation) {
          disconnectWhenSettled(client); // removed or reconfigured meanwhile
          return undefined;
        }
        this.#created = client;
        this.client = client;
        return client;
      },
      (cause: unknown) => {
        if (generation !== this.#generation) return undefined;
        const reason = cause instanceof Error ? cause.message : String(cause);
        if (ImppError.is(cause) && cause.code.startsWith('auth/')) {
          this.error = cause; // wrong or missing credentials: ask (again), no retry loop
          this.signingIn = true;
          return undefined;
        }
        this.error = ImppError.from(cause, 'component/invalid-attribute', strings().clientFailed(reason));
        warn('component/invalid-attribute', `<impp-client transport="${name}"> could not create a client: ${reason}`);
        return undefined;
      },
    );
  }

  /** Forgets (and disconnects) the client this element created. */
  #dispose(): void {
    this.#generation++;
    const created = this.#created;
    if (created === undefined) return;
    this.#created = undefined;
    if (this.client === created) this.client = undefined;
    disconnectWhenSettled(created);
  }
}

/**
 * Disconnects once a pending connect has settled: a `disconnect()` issued while the client is
 * still connecting is overtaken by the connect completing (the session would stay online).
 */
function disconnectWhenSettled(client: ImppClient): void {
  once(client.connection$, (c) => c.state !== 'connecting', () => void client.disconnect().catch(() => undefined));
}
