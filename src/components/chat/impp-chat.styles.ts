import { messageStyles } from '../message.styles.js';
import { css, themeStyles } from '../theme.styles.js';

export const chatStyles = [
  themeStyles,
  messageStyles,
  css`
    :host {
      display: block;
      block-size: var(--impp-chat-height, 32rem);
    }
    .base {
      position: relative;
    }
    [part='error'] {
      margin: 0;
      padding: var(--_space);
    }
    .log {
      flex: 1 1 auto;
      min-block-size: 0;
      overflow-y: auto;
      padding: var(--_space);
      overscroll-behavior: contain;
    }
    .older,
    .empty {
      display: flex;
      justify-content: center;
      margin-block: 0 var(--_space);
      font-size: 0.875em;
    }
    .messages {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    /* A block list of contained rows: a new row does not lay the others out again. */
    .messages > li {
      contain: content;
    }
    .messages > li + li {
      margin-block-start: var(--_space);
    }
    .day {
      inline-size: fit-content;
      margin-inline: auto;
      font-size: 0.8125em;
      color: var(--_muted);
      padding-inline: var(--_space);
    }
    .body a {
      color: inherit;
      text-decoration: underline;
    }
    .delivery-failed,
    .unverified {
      color: var(--_danger);
    }
    .more {
      margin-block-start: 0.25em;
      font-size: 0.8125em;
    }
    .new {
      position: absolute;
      inset-block-end: 7.5rem;
      inset-inline-start: 50%;
      translate: -50% 0;
      border-radius: 999px;
    }
    :host(:dir(rtl)) .new {
      translate: 50% 0;
    }
    .typing {
      min-block-size: 1.4em;
      padding-inline: var(--_space);
      font-size: 0.8125em;
    }
  `,
];
