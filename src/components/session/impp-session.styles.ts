import { messageStyles } from '../message.styles.js';
import { css, themeStyles } from '../theme.styles.js';

export const sessionStyles = [
  themeStyles,
  messageStyles,
  css`
    :host {
      display: block;
      block-size: var(--impp-session-height, 30rem);
    }
    .header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: var(--_space);
      padding: var(--_space);
      background: var(--_surface);
      border-block-end: 1px solid var(--_border);
    }
    h2,
    h3 {
      margin: 0;
      font-size: 1em;
    }
    h3 {
      font-size: 0.875em;
      color: var(--_muted);
      margin-block-end: calc(var(--_space) / 2);
    }
    .subject {
      overflow-wrap: anywhere;
    }
    .notes p {
      margin: 0;
      padding-block: calc(var(--_space) / 2);
      padding-inline: var(--_space);
      font-size: 0.875em;
    }
    .notes p:empty {
      display: none;
    }
    .columns {
      flex: 1 1 auto;
      min-block-size: 0;
      display: grid;
      grid-template-columns: minmax(9rem, 14rem) 1fr;
    }
    .people {
      overflow-y: auto;
      padding: var(--_space);
      border-inline-end: 1px solid var(--_border);
    }
    .people ul,
    .messages {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .participant {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 0 calc(var(--_space) / 2);
      padding-block: calc(var(--_space) / 2);
    }
    .name {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    .state-line {
      display: flex;
      flex-wrap: wrap;
      gap: calc(var(--_space) / 2);
      inline-size: 100%;
      font-size: 0.8125em;
    }
    .role {
      font-size: 0.8125em;
    }
    .chat {
      display: flex;
      flex-direction: column;
      min-block-size: 0;
    }
    .log {
      flex: 1 1 auto;
      min-block-size: 0;
      overflow-y: auto;
      padding: var(--_space);
      overscroll-behavior: contain;
    }
    .messages {
      display: flex;
      flex-direction: column;
      gap: var(--_space);
    }
    .msg {
      max-inline-size: min(85%, 40rem);
    }
    .delivery-failed {
      color: var(--_danger);
    }
    @media (max-width: 32rem) {
      .columns {
        grid-template-columns: 1fr;
        grid-template-rows: auto 1fr;
      }
      .people {
        border-inline-end: 0;
        border-block-end: 1px solid var(--_border);
        max-block-size: 10rem;
      }
    }
  `,
];
