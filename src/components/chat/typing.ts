/**
 * Our side of XEP-0085 chat states: "composing" while the user types, back to "active" after
 * a few idle seconds, on send, or when the composer empties.
 * @module
 */
import type { Conversation } from '../../core/index.js';

/** Stop telling the peer we type after this much idle time. */
export const TYPING_IDLE_MS = 5000;

/** Debounces `setTyping` for one composer. */
export class TypingSender {
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** The composer text changed. */
  input(conversation: Conversation, text: string): void {
    clearTimeout(this.#timer);
    if (text.trim() === '') {
      conversation.setTyping(false);
      return;
    }
    conversation.setTyping(true);
    this.#timer = setTimeout(() => conversation.setTyping(false), TYPING_IDLE_MS);
  }

  /** We sent, or left: no longer typing. */
  stop(conversation: Conversation | undefined): void {
    clearTimeout(this.#timer);
    conversation?.setTyping(false);
  }
}
