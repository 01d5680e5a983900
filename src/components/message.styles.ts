/**
 * The panel, message bubbles and the composer, shared by `<impp-chat>` and `<impp-session>`:
 * inbound on the inline start, outbound on the inline end, sender and time above the text. Rows
 * are placed by their own size and margins, so the list may be a flex column or (cheaper to lay
 * out when long) a plain block.
 * @module
 */
import { css } from './theme.styles.js';

export const messageStyles = css`
    .base {
      flex-direction: column;
      block-size: 100%;
      overflow: hidden;
    }
    .msg {
      max-inline-size: min(80%, 40rem);
      padding: calc(var(--_space) * 0.75) var(--_space);
      border-radius: var(--_radius);
      background: var(--_bubble-in);
      inline-size: fit-content;
    }
    .msg.out {
      margin-inline-start: auto;
      background: var(--_bubble-out);
    }
    .meta,
    .state {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: calc(var(--_space) / 2);
      font-size: 0.8125em;
      color: var(--_muted);
    }
    .sender {
      font-weight: 600;
      color: var(--_text);
    }
    .body {
      margin: 0.25em 0 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .composer {
      display: grid;
      grid-template-columns: 1fr auto;
      gap: calc(var(--_space) / 2) var(--_space);
      padding: var(--_space);
      border-block-start: 1px solid var(--_border);
      background: var(--_surface);
    }
    textarea {
      resize: vertical;
      min-block-size: 2.5em;
    }
    .composer p {
      grid-column: 1 / -1;
      margin: 0;
      font-size: 0.8125em;
    }
    .composer p:empty {
      display: none;
    }
`;
