import { css, themeStyles } from '../theme.styles.js';

export const buddyListStyles = [
  themeStyles,
  css`
    :host {
      display: block;
      block-size: var(--impp-buddy-list-height, 28rem);
    }
    .base {
      flex-direction: column;
      gap: var(--_space);
      block-size: 100%;
      padding: var(--_space);
    }
    #filter {
      inline-size: 100%;
    }
    /* The scrolling viewport of the windowed rows (row-window.ts): rows are absolutely
       positioned over .spacer, so their heights are fixed here and measured once. Size
       containment keeps a host of auto height from growing the list to all 10,000 rows. */
    .list {
      position: relative;
      flex: 1 1 auto;
      min-block-size: 150px;
      overflow: hidden auto;
      contain: strict;
      border-radius: calc(var(--_radius) / 2);
    }
    /* Heights: one line (of the header's own size), or a line plus a detail line of 0.8125em. */
    .group,
    .buddy {
      position: absolute;
      inset-block-start: 0;
      inset-inline: 0;
      overflow: hidden;
      padding: calc(var(--_space) / 2) var(--_space);
    }
    .group {
      block-size: var(--impp-buddy-list-group-height, calc(1lh + var(--_space)));
      background: var(--_surface);
      font-weight: 600;
      font-size: 0.875em;
    }
    .buddy {
      block-size: var(--impp-buddy-list-row-height, calc(1.8125lh + var(--_space)));
      cursor: pointer;
      border-inline-start: 3px solid transparent;
    }
    .buddy:hover {
      background: var(--_surface);
    }
    .buddy.active {
      border-inline-start-color: var(--_accent);
      background: var(--_surface);
    }
    .list:focus-visible .buddy.active {
      outline: 2px solid var(--_focus);
      outline-offset: -2px;
    }
    .line {
      display: flex;
      align-items: center;
      gap: calc(var(--_space) / 2);
      min-inline-size: 0;
    }
    .name {
      flex: 1 1 auto;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .detail {
      font-size: 0.8125em;
      color: var(--_muted);
      padding-inline-start: calc(12px + var(--_space) / 2);
    }
    .note {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .presence {
      display: inline-flex;
      align-items: center;
    }
    .unread {
      min-inline-size: 1.5em;
      padding-inline: 0.4em;
      border-radius: 999px;
      background: var(--_accent);
      color: var(--_on-accent);
      font-size: 0.75em;
      font-weight: 700;
      text-align: center;
    }
    .requests h3 {
      margin: 0 0 calc(var(--_space) / 2);
      font-size: 0.875em;
    }
    .requests ul {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: calc(var(--_space) / 2);
    }
    .requests .request {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: calc(var(--_space) / 2);
      padding: calc(var(--_space) / 2);
      background: var(--_surface);
      border-radius: calc(var(--_radius) / 2);
    }
    .requests .muted {
      font-size: 0.875em;
    }
    .actions {
      display: inline-flex;
      gap: calc(var(--_space) / 2);
      margin-inline-start: auto;
    }
    .add summary {
      cursor: pointer;
    }
    .add form {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: calc(var(--_space) / 2) var(--_space);
      align-items: center;
      margin-block-start: calc(var(--_space) / 2);
    }
    .add button,
    .add p {
      grid-column: 1 / -1;
    }
    .add p {
      margin: 0;
      min-block-size: 1.4em;
      font-size: 0.875em;
    }
    .empty {
      flex: 1 1 auto;
      margin: 0;
    }
  `,
];
