/**
 * When to mark a conversation read (XEP-0333 "displayed"): only when the user can see the
 * newest message, so read receipts never lie.
 * @module
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Conversation, ConversationEntry, InstantMessage } from '../../core/index.js';

/** What the tracker reads from its host. */
export interface ReadState {
  readonly conversation: Conversation | undefined;
  readonly entries: readonly ConversationEntry[];
  /** The log is scrolled to the newest message. */
  readonly atEnd: boolean;
}

/**
 * Calls `markRead()` when new inbound messages are visible: the page is visible, the host is
 * on screen and its log at the end — or the user is inside the chat (focus within). Checks on
 * {@link check}, on intersection changes and on page visibility changes.
 */
export class ReadTracker implements ReactiveController {
  /** The newest inbound message when we last marked the conversation read. */
  #marked: InstantMessage | undefined;
  /** The host is on screen, as the observer last saw it (no layout read of ours). */
  #onScreen = false;
  readonly #io = new IntersectionObserver((seen) => {
    this.#onScreen = seen.at(-1)!.isIntersecting;
    this.check();
  });
  readonly #onVisibility = () => this.check();

  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #state: () => ReadState;

  constructor(host: ReactiveControllerHost & HTMLElement, state: () => ReadState) {
    this.#host = host;
    this.#state = state;
    host.addController(this);
  }

  hostConnected(): void {
    this.#io.observe(this.#host);
    document.addEventListener('visibilitychange', this.#onVisibility);
  }

  hostDisconnected(): void {
    this.#io.disconnect();
    document.removeEventListener('visibilitychange', this.#onVisibility);
  }

  /** Forget what was marked (another conversation). */
  reset(): void {
    this.#marked = undefined;
  }

  check(): void {
    const { conversation, entries, atEnd } = this.#state();
    const newest = entries.findLast((e) => e.direction === 'in')?.message;
    if (!conversation || !atEnd || newest === this.#marked) return;
    if (!this.#host.matches(':focus-within') && (document.visibilityState !== 'visible' || !this.#onScreen)) return;
    this.#marked = newest;
    conversation.markRead();
  }
}
