/**
 * When to mark a conversation read (XEP-0333 "displayed"): only when the user can see the
 * newest message, so read receipts never lie.
 * @module
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Conversation, ConversationEntry } from '../../core/index.js';

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
  private readCount = 0;
  private readonly io = new IntersectionObserver(() => this.check());
  private readonly onVisibility = () => this.check();

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly state: () => ReadState,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.io.observe(this.host);
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  hostDisconnected(): void {
    this.io.disconnect();
    document.removeEventListener('visibilitychange', this.onVisibility);
  }

  /** Forget what was marked (another conversation). */
  reset(): void {
    this.readCount = 0;
  }

  check(): void {
    const { conversation, entries, atEnd } = this.state();
    if (!conversation || !atEnd) return;
    if (!this.host.matches(':focus-within') && (document.visibilityState !== 'visible' || !onScreen(this.host))) return;
    const inbound = entries.reduce((n, e) => n + (e.direction === 'in' ? 1 : 0), 0);
    if (inbound <= this.readCount) return;
    this.readCount = inbound;
    conversation.markRead();
  }
}

function onScreen(el: Element): boolean {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
}
