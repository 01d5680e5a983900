import { html, nothing, type PropertyValues } from 'lit';
import { Subscription } from 'rxjs';
import { parseAddress, type Conversation, type ConversationEntry, type ImppClient, type InstantMessage } from '../../core/index.js';
import { ClientController } from '../client-controller.js';
import { emit } from '../emit.js';
import { ImppElement } from '../impp-element.js';
import { ObserveController, once } from '../observe.js';
import { strings } from '../strings.js';
import { warn } from '../warn.js';
import { renderLog } from './chat-render.js';
import { chatStyles } from './impp-chat.styles.js';
import { ReadTracker } from './read-tracker.js';
import { TypingSender } from './typing.js';

const OLDER_PAGE = 50;
/** Inbound messages are announced at most this often (the latest one); more would drown a screen reader. */
const ANNOUNCE_MS = 1000;
const NONE: readonly ConversationEntry[] = [];

/**
 * @summary A one-to-one conversation: messages with delivery states, typing, history, composer.
 *
 * @description Shows `client.conversation(peer)`: sender, time and delivery state (icon and
 * text) of every message, a Retry button on failed ones (resends the same message), the peer's
 * typing indicator, day separators, the last page of history when it opens on an empty log, a
 * "Load older messages" control (until the archive returns a short page), and a composer (Enter sends, Shift+Enter adds a
 * line). It keeps to the newest message unless the user scrolled up
 * (then a "New messages" button appears), marks messages read while visible, and announces
 * each new inbound message once through a polite live region. Links are allowlisted
 * (http, https, xmpp, mailto); everything else is text. An invalid `peer` shows an error and
 * logs a `component/invalid-attribute` warning; it never throws.
 *
 * @example
 * ```html
 * <impp-chat peer="bob@in-page.invalid"></impp-chat>
 * ```
 *
 * @event {CustomEvent<ImppSendDetail>} impp-send - The user sent a message (or retried a failed one).
 *
 * @csspart base - The wrapper.
 * @csspart error - The message shown for an invalid `peer`.
 * @csspart log - The scrolling message log.
 * @csspart load-older - The "Load older messages" button.
 * @csspart day - A day separator.
 * @csspart message - A message (also `message-in` or `message-out`).
 * @csspart sender - The sender's name.
 * @csspart time - The time of a message.
 * @csspart body - The text of a message.
 * @csspart show-more - The "Show more" / "Show less" toggle of a long message.
 * @csspart delivery - The delivery state of one of our messages.
 * @csspart retry - The Retry button of a failed message.
 * @csspart new-messages - The "New messages" button shown while scrolled up.
 * @csspart typing - The typing indicator.
 * @csspart composer - The composer form.
 * @csspart textarea - The message input.
 * @csspart send - The Send button.
 *
 * @cssproperty --impp-chat-height - Height of the component (default `32rem`).
 * @cssproperty --impp-color-bubble-in - Background of inbound messages.
 * @cssproperty --impp-color-bubble-out - Background of our messages.
 * @cssproperty --impp-color-accent - Send button and links.
 */
export class ImppChat extends ImppElement {
  static override styles = chatStyles;
  static override properties = {
    client: { attribute: false },
    peer: {},
    peerError: { state: true },
    expanded: { state: true },
    unseen: { state: true },
    older: { state: true },
    announcement: { state: true },
    composerError: { state: true },
  };

  /** The client to use; by default the one of the nearest `<impp-client>`. */
  client: ImppClient | undefined;

  /** Address of the other party, e.g. `bob@example.com` or `xmpp:bob@example.com`. */
  peer: string | undefined;

  /** Why `peer` cannot be used, if it cannot. */
  peerError: string | undefined;

  private expanded: ReadonlySet<InstantMessage> = new Set();
  private unseen = false;
  private older: 'idle' | 'loading' | 'none' = 'idle';
  private announcement = '';
  private composerError: string | undefined;

  get #logEl(): HTMLElement | null {
    return this.renderRoot?.querySelector<HTMLElement>('.log') ?? null;
  }
  get #composer(): HTMLTextAreaElement | null {
    return this.renderRoot?.querySelector<HTMLTextAreaElement>('#composer') ?? null;
  }

  #conversation: Conversation | undefined;
  /** What each row of the log was last rendered with (see {@link LogView.rendered}). */
  readonly #rendered: unknown[][] = [];
  readonly #messages = new ObserveController<readonly ConversationEntry[]>(this, NONE, (e) => this.#onEntries(e));
  readonly #typing = new ObserveController<boolean>(this, false);
  /** The peer's roster name, if any. */
  #peerName: string | undefined;
  readonly #clientCtl = new ClientController(this, (client) => this.#bind(client));
  /**
   * The newest message of the last emission (an entry changes identity with its delivery state,
   * its message does not), or `null` before the first one.
   */
  #newest: InstantMessage | undefined | null = null;
  #stick = true;
  #appended: 'in' | 'out' | undefined;
  #prependFrom: number | undefined;
  #frame = 0;
  #announceAt = 0;
  #announceTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #typingSender = new TypingSender();
  readonly #reads = new ReadTracker(this, () => ({
    conversation: this.#conversation,
    entries: this.#messages.value,
    atEnd: this.#stick,
  }));

  override disconnectedCallback(): void {
    this.#typingSender.stop(this.#conversation); // the peer must not see us typing forever
    super.disconnectedCallback(); // unbinds: the client keeps finishing any send (#48)
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('peer')) {
      this.peerError = undefined;
      let id: string | undefined;
      try {
        id = parseAddress(this.peer ?? '').id;
      } catch (e) {
        this.peerError = e instanceof Error ? e.message : String(e);
        warn('component/invalid-attribute', `<impp-chat peer="${this.peer ?? ''}">: ${this.peerError}`);
      }
      if (this.#conversation?.peer.id !== id) this.#clientCtl.rebind(); // another conversation
    }
  }

  protected override render() {
    const s = strings();
    const conv = this.#conversation;
    const name = this.#displayPeer();
    const entries = this.#messages.value;
    return html`<section part="base" class="base" aria-label=${s.chatLabel(name)} @focusin=${() => this.#reads.check()}>
      ${this.peerError === undefined ? nothing : html`<p part="error" class="error" role="alert">${this.peerError}</p>`}
      <div class="log" part="log" tabindex="0" role="region" aria-label=${s.messagesLabel} @scroll=${this.#onScroll}>
        ${entries.length === 0 // nothing can be older than an empty log
          ? (this.older === 'loading' ? nothing : html`<p class="empty muted">${s.noMessages}</p>`)
          : html`<div class="older">${this.older === 'none'
              ? html`<span class="muted">${s.noOlder}</span>`
              : html`<button type="button" part="load-older" ?disabled=${this.older === 'loading'}
                  @click=${this.#loadOlder}>${this.older === 'loading' ? s.loadingOlder : s.loadOlder}</button>`}</div>`}
        <ol class="messages">${renderLog(entries, { peerName: name, expanded: this.expanded, toggle: this.#toggle, retry: this.#retry, rendered: this.#rendered })}</ol>
      </div>
      ${this.unseen
        ? html`<button type="button" class="new primary" part="new-messages" @click=${() => this.#scrollToEnd()}>${s.newMessages}</button>`
        : nothing}
      <div class="typing muted" part="typing">${this.#typing.value ? s.typing(name) : ''}</div>
      <div class="sr-only" aria-live="polite" aria-atomic="true">${this.announcement}</div>
      <form part="composer" class="composer" @submit=${this.#onSubmit}>
        <label class="sr-only" for="composer">${s.composerLabel}</label>
        <textarea id="composer" part="textarea" rows="2" placeholder=${s.composerPlaceholder} ?disabled=${!conv}
          aria-describedby="composer-error" @keydown=${this.#onKey} @input=${this.#onInput}></textarea>
        <button type="submit" class="primary" part="send" ?disabled=${!conv}>${s.send}</button>
        <p id="composer-error" class="error" role="status">${this.composerError ?? ''}</p>
      </form>
    </section>`;
  }

  protected override updated(): void {
    const log = this.#logEl;
    if (log === null) return;
    if (this.#prependFrom !== undefined) {
      log.scrollTop += log.scrollHeight - this.#prependFrom; // keep the view still above new history
      this.#prependFrom = undefined;
    }
    if (this.#appended !== undefined) {
      if (this.#appended === 'out') this.#stick = true; // we sent: follow
      if (!this.#stick) this.unseen = true;
      // Follow the newest message once per frame, not per update: reading scrollHeight forces a layout.
      else this.#frame ||= requestAnimationFrame(() => {
        this.#frame = 0;
        if (this.#stick) this.#scrollToEnd();
      });
      this.#appended = undefined;
    }
  }

  #bind(client: ImppClient): Subscription | undefined {
    this.#newest = null;
    this.#reads.reset();
    this.older = 'idle';
    let conv: Conversation;
    try {
      conv = client.conversation(this.peer ?? '');
    } catch {
      return undefined; // invalid peer: already reported by willUpdate
    }
    this.#conversation = conv;
    this.#messages.observe(conv.messages$);
    this.#typing.observe(conv.typing$);
    const id = conv.peer.id;
    const sub = new Subscription(() => {
      conv.setTyping(false);
      this.#conversation = undefined;
      this.#messages.observe(undefined);
      this.#typing.observe(undefined);
      this.#peerName = undefined;
    });
    sub.add(client.buddies$.subscribe((buddies) => {
      const name = buddies.find((b) => b.address.id === id)?.name;
      if (name !== this.#peerName) {
        this.#peerName = name;
        this.requestUpdate();
      }
    }));
    // Nothing here once online (a new page, another tab, a reload): fetch the last page of history once.
    sub.add(once(client.connection$, (c) => c.state === 'online', () => {
      if ((this.#messages.value ?? []).length === 0) void this.#loadOlder();
    }));
    return sub;
  }

  #displayPeer(): string {
    return this.#peerName?.trim() || this.#conversation?.peer.id || this.peer || '';
  }

  /** Tracks what arrived since the last emission (to scroll and announce), in time O(new). */
  #onEntries(entries: readonly ConversationEntry[]): void {
    const newest = this.#newest;
    this.#newest = entries.at(-1)?.message;
    // The store appends news and prepends history (loadOlder): what follows the newest is new.
    let end = entries.length;
    while (end > 0 && entries[end - 1]!.message !== newest) end--;
    const fresh = entries.slice(end);
    if (newest === null) {
      this.#appended = 'in';
      this.#stick = true;
    } else if (fresh.length > 0) {
      this.#appended = fresh.some((e) => e.direction === 'out') ? 'out' : 'in';
      const inbound = fresh.filter((e) => e.direction === 'in').at(-1);
      if (inbound !== undefined) {
        this.#announce(strings().announceInbound(this.#displayPeer(), inbound.message.body.slice(0, 500)));
      }
    }
  }

  /** Says `text` through the live region, at most once per {@link ANNOUNCE_MS}: a busy chat keeps to its latest. */
  #announce(text: string): void {
    clearTimeout(this.#announceTimer);
    const wait = this.#announceAt - Date.now();
    if (wait > 0) {
      this.#announceTimer = setTimeout(() => this.#announce(text), wait);
      return;
    }
    this.#announceAt = Date.now() + ANNOUNCE_MS;
    // A trailing zero-width space alternates so that two equal messages are both announced.
    this.announcement = this.announcement.startsWith(text) && !this.announcement.endsWith('\u200b') ? `${text}\u200b` : text;
  }

  #onScroll(): void {
    const log = this.#logEl!;
    this.#stick = log.scrollHeight - log.scrollTop - log.clientHeight < 24;
    if (this.#stick) {
      this.unseen = false;
      this.#reads.check();
    }
  }

  #scrollToEnd(): void {
    const log = this.#logEl;
    if (log) log.scrollTop = log.scrollHeight;
    this.#stick = true;
    this.unseen = false;
    this.#reads.check();
  }

  readonly #toggle = (message: InstantMessage): void => {
    const next = new Set(this.expanded);
    if (!next.delete(message)) next.add(message);
    this.expanded = next;
  };

  async #loadOlder(): Promise<void> {
    const conv = this.#conversation;
    if (!conv) return;
    this.older = 'loading';
    this.#prependFrom = this.#logEl?.scrollHeight;
    try {
      const added = await conv.loadOlder(OLDER_PAGE);
      this.older = added < OLDER_PAGE ? 'none' : 'idle'; // a short page: the archive has no more
      if (added > 0) return; // updated() keeps the view still above them
    } catch {
      this.older = 'idle';
    }
    this.#prependFrom = undefined;
  }

  #onKey(e: KeyboardEvent): void {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.#send();
    }
  }

  #onInput(): void {
    this.composerError = undefined;
    if (this.#conversation) this.#typingSender.input(this.#conversation, this.#composer?.value ?? '');
  }

  #onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    this.#send();
  }

  #send(): void {
    const conv = this.#conversation;
    const composer = this.#composer;
    const body = composer?.value ?? '';
    if (!conv || !composer || body.trim() === '') return;
    this.#typingSender.stop(conv);
    const out = conv.send(body);
    // The first state replays synchronously; a refused body (too large…) stays in the composer.
    let refused: string | undefined;
    once(out.state$, () => true, (d) => (refused = d.state === 'failed' ? (d.error?.message ?? strings().delivery.failed) : undefined));
    if (refused !== undefined) {
      this.composerError = refused;
      return;
    }
    composer.value = '';
    this.#stick = true;
    emit(this, 'impp-send', { peer: conv.peer, id: out.id, body, retry: false });
  }

  readonly #retry = ({ id, body }: InstantMessage): void => {
    const conv = this.#conversation;
    if (!conv) return;
    conv.retry(id);
    emit(this, 'impp-send', { peer: conv.peer, id, body, retry: true });
  };
}
