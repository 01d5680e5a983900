import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { distinctUntilChanged, map, Subscription, take } from 'rxjs';
import { parseAddress, type Conversation, type ConversationEntry, type ImppClient } from '../../core/index.js';
import { ClientController } from '../client-controller.js';
import { emit } from '../emit.js';
import { ImppElement } from '../impp-element.js';
import { ObserveController } from '../observe.js';
import { strings } from '../strings.js';
import { warn } from '../warn.js';
import { entryKey, logItems, type MessageView } from './chat-render.js';
import { chatStyles } from './impp-chat.styles.js';
import { ReadTracker } from './read-tracker.js';
import { TypingSender } from './typing.js';

const OLDER_PAGE = 50;
const NONE: readonly ConversationEntry[] = [];

/**
 * @summary A one-to-one conversation: messages with delivery states, typing, history, composer.
 *
 * @description Shows `client.conversation(peer)`: sender, time and delivery state (icon and
 * text) of every message, a Retry button on failed ones (resends the same message), the peer's
 * typing indicator, day separators, a "Load older messages" control, and a composer (Enter
 * sends, Shift+Enter adds a line). It keeps to the newest message unless the user scrolled up
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

  /** The client to use; by default the one of the nearest `<impp-client>`. */
  @property({ attribute: false }) client: ImppClient | undefined;

  /** Address of the other party, e.g. `bob@example.com` or `xmpp:bob@example.com`. */
  @property() peer: string | undefined;

  /** Why `peer` cannot be used, if it cannot. */
  @state() peerError: string | undefined;

  @state() private expanded: ReadonlySet<string> = new Set();
  @state() private unseen = false;
  @state() private older: 'idle' | 'loading' | 'none' = 'idle';
  @state() private announcement = '';
  @state() private composerError: string | undefined;

  @query('.log') private logEl!: HTMLElement | null;
  @query('#composer') private composer!: HTMLTextAreaElement | null;

  private conversation: Conversation | undefined;
  private readonly messages = new ObserveController<readonly ConversationEntry[]>(this, NONE, (e) => this.onEntries(e));
  private readonly typing = new ObserveController<boolean>(this, false);
  private readonly peerName = new ObserveController<string | undefined>(this, undefined);
  private readonly clientCtl = new ClientController(this, (client) => this.bind(client));
  /** Keys of the entries already shown, and the newest timestamp among them. */
  private seen = new Set<string>();
  private newest = 0;
  private primed = false;
  private stick = true;
  private appended: 'in' | 'out' | undefined;
  private prependFrom: number | undefined;
  private readonly typingSender = new TypingSender();
  private readonly reads = new ReadTracker(this, () => ({
    conversation: this.conversation,
    entries: this.messages.value,
    atEnd: this.stick,
  }));

  override disconnectedCallback(): void {
    this.typingSender.stop(this.conversation); // the peer must not see us typing forever
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
      if (this.conversation?.peer.id !== id) this.clientCtl.rebind(); // another conversation
    }
  }

  protected override render() {
    const s = strings();
    const conv = this.conversation;
    const name = this.displayPeer();
    const view: MessageView = {
      peerName: name,
      expanded: this.expanded,
      toggle: (key) => this.toggle(key),
      retry: (id) => this.retry(id),
    };
    return html`<section part="base" class="base" aria-label=${s.chatLabel(name)} @focusin=${() => this.reads.check()}>
      ${this.peerError === undefined ? nothing : html`<p part="error" class="error" role="alert">${this.peerError}</p>`}
      <div class="log" part="log" tabindex="0" role="region" aria-label=${s.messagesLabel} @scroll=${this.onScroll}>
        <div class="older">
          ${this.older === 'none'
            ? html`<span class="muted">${s.noOlder}</span>`
            : html`<button type="button" part="load-older" ?disabled=${!conv || this.older === 'loading'}
                @click=${this.loadOlder}>${this.older === 'loading' ? s.loadingOlder : s.loadOlder}</button>`}
        </div>
        <ol class="messages">${repeat(logItems(this.messages.value), (i) => i.key, (i) => i.template(view))}</ol>
      </div>
      ${this.unseen
        ? html`<button type="button" class="new primary" part="new-messages" @click=${() => this.scrollToEnd()}>${s.newMessages}</button>`
        : nothing}
      <div class="typing muted" part="typing">${this.typing.value ? s.typing(name) : ''}</div>
      <div class="sr-only" aria-live="polite" aria-atomic="true">${this.announcement}</div>
      <form part="composer" class="composer" @submit=${this.onSubmit}>
        <label class="sr-only" for="composer">${s.composerLabel}</label>
        <textarea id="composer" part="textarea" rows="2" placeholder=${s.composerPlaceholder} ?disabled=${!conv}
          aria-describedby="composer-error" @keydown=${this.onKey} @input=${this.onInput}></textarea>
        <button type="submit" class="primary" part="send" ?disabled=${!conv}>${s.send}</button>
        <p id="composer-error" class="error" role="status">${this.composerError ?? ''}</p>
      </form>
    </section>`;
  }

  protected override updated(): void {
    const log = this.logEl;
    if (log === null) return;
    if (this.prependFrom !== undefined) {
      log.scrollTop += log.scrollHeight - this.prependFrom; // keep the view still above new history
      this.prependFrom = undefined;
    }
    if (this.appended !== undefined) {
      if (this.stick || this.appended === 'out') this.scrollToEnd();
      else this.unseen = true;
      this.appended = undefined;
    }
  }

  private bind(client: ImppClient): Subscription | undefined {
    this.seen = new Set();
    this.newest = 0;
    this.primed = false;
    this.reads.reset();
    this.older = 'idle';
    let conv: Conversation;
    try {
      conv = client.conversation(this.peer ?? '');
    } catch {
      return undefined; // invalid peer: already reported by willUpdate
    }
    this.conversation = conv;
    this.messages.observe(conv.messages$);
    this.typing.observe(conv.typing$);
    const id = conv.peer.id;
    this.peerName.observe(client.buddies$.pipe(map((bs) => bs.find((b) => b.address.id === id)?.name), distinctUntilChanged()));
    return new Subscription(() => {
      conv.setTyping(false);
      this.conversation = undefined;
      this.messages.observe(undefined);
      this.typing.observe(undefined);
      this.peerName.observe(undefined);
    });
  }

  private displayPeer(): string {
    return this.peerName.value?.trim() || this.conversation?.peer.id || this.peer || '';
  }

  /** Tracks what arrived since the last emission: scroll, announce, mark read. */
  private onEntries(entries: readonly ConversationEntry[]): void {
    const first = !this.primed;
    this.primed = true;
    const fresh: ConversationEntry[] = [];
    let newest = this.newest;
    for (const e of entries) {
      const key = entryKey(e);
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      // Older than what we had is history (loadOlder), not news; equal times keep their order.
      if (!first && e.message.timestamp >= this.newest) fresh.push(e);
      newest = Math.max(newest, e.message.timestamp);
    }
    this.newest = newest;
    if (first) {
      this.appended = 'in';
      this.stick = true;
    } else if (fresh.length > 0) {
      this.appended = fresh.some((e) => e.direction === 'out') ? 'out' : 'in';
      const inbound = fresh.filter((e) => e.direction === 'in').at(-1);
      if (inbound !== undefined) {
        // A trailing zero-width space alternates so that two equal messages are both announced.
        const text = strings().announceInbound(this.displayPeer(), inbound.message.body.slice(0, 500));
        this.announcement = this.announcement.startsWith(text) && !this.announcement.endsWith('\u200b') ? `${text}\u200b` : text;
      }
    }
    queueMicrotask(() => this.reads.check());
  }

  private onScroll(): void {
    const log = this.logEl!;
    this.stick = log.scrollHeight - log.scrollTop - log.clientHeight < 24;
    if (this.stick) {
      this.unseen = false;
      this.reads.check();
    }
  }

  private scrollToEnd(): void {
    const log = this.logEl;
    if (log) log.scrollTop = log.scrollHeight;
    this.stick = true;
    this.unseen = false;
    this.reads.check();
  }

  private toggle(key: string): void {
    const next = new Set(this.expanded);
    if (!next.delete(key)) next.add(key);
    this.expanded = next;
  }

  private async loadOlder(): Promise<void> {
    const conv = this.conversation;
    if (!conv) return;
    this.older = 'loading';
    this.prependFrom = this.logEl?.scrollHeight;
    try {
      const added = await conv.loadOlder(OLDER_PAGE);
      this.older = added === 0 ? 'none' : 'idle';
    } catch {
      this.older = 'idle';
    }
    if (this.older === 'none') this.prependFrom = undefined;
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.send();
    }
  }

  private onInput(): void {
    this.composerError = undefined;
    if (this.conversation) this.typingSender.input(this.conversation, this.composer?.value ?? '');
  }

  private onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    this.send();
  }

  private send(): void {
    const conv = this.conversation;
    const composer = this.composer;
    const body = composer?.value ?? '';
    if (!conv || !composer || body.trim() === '') return;
    this.typingSender.stop(conv);
    const out = conv.send(body);
    // The first state replays synchronously; a refused body (too large…) stays in the composer.
    let refused: string | undefined;
    out.state$.pipe(take(1)).subscribe((d) => (refused = d.state === 'failed' ? (d.error?.message ?? strings().delivery.failed) : undefined));
    if (refused !== undefined) {
      this.composerError = refused;
      return;
    }
    composer.value = '';
    this.stick = true;
    emit(this, 'impp-send', { peer: conv.peer, id: out.id, body, retry: false });
  }

  private retry(id: string): void {
    const conv = this.conversation;
    const entry = this.messages.value.find((e) => e.direction === 'out' && e.message.id === id);
    if (!conv || !entry) return;
    conv.retry(id);
    emit(this, 'impp-send', { peer: conv.peer, id, body: entry.message.body, retry: true });
  }
}
