import { css, themeStyles } from '../theme.styles.js';

export const presenceStyles = [
  themeStyles,
  css`
    :host {
      display: inline-block;
      max-inline-size: 100%;
      vertical-align: middle;
    }
    .badge {
      display: inline-flex;
      max-inline-size: 100%;
      align-items: center;
    }
    .trigger {
      display: inline-flex;
      align-items: center;
      gap: 0.375em;
      max-inline-size: 100%;
      min-inline-size: 0;
      padding-block: 0.125em;
      padding-inline: 0.375em;
      border: 1px solid transparent;
      border-radius: 999px;
      /* Its own background, so a theme="dark" badge stays legible on a light page. */
      background: var(--_bg);
      color: var(--_text);
      line-height: inherit;
      text-align: start;
    }
    /* Only the open badge is an anchor: 10,000 anchors made style recalculation crawl. */
    .trigger[aria-expanded='true'] {
      anchor-name: --impp-presence-badge;
    }
    .trigger:hover,
    .trigger[aria-expanded='true'] {
      background: var(--_surface);
      border-color: var(--_border);
    }
    .name {
      font-weight: 600;
      flex-shrink: 0;
    }
    .name,
    .note {
      white-space: nowrap;
      min-inline-size: 0;
    }
    /* Only the note is truncated: clipping makes a paint layer, which Chromium walks on every
       scrolled frame, so 10,000 clipped names would cost more than 2,000 clipped notes. */
    .note {
      overflow: clip;
      text-overflow: ellipsis;
      color: var(--_muted);
    }
    .presence {
      display: inline-flex;
      align-items: center;
      gap: 0.25em;
      white-space: nowrap;
    }
    .presence-icon {
      flex: none;
    }
    /* The badge icon is drawn with CSS, not <svg>: Chromium gives every <svg> a paint layer and
       walks every layer on each scrolled frame. Same shapes as the shared SVG icons: filled dot,
       dot with a quarter cut (away), dot with a bar (busy), ring, dashed ring. */
    .dot {
      display: inline-block;
      inline-size: 0.75rem;
      block-size: 0.75rem;
      border-radius: 50%;
      background: currentColor;
    }
    .presence-away .dot {
      background: conic-gradient(transparent 0 25%, currentColor 0);
    }
    .presence-busy .dot {
      background: linear-gradient(Canvas, Canvas) center / 60% 20% no-repeat, currentColor;
    }
    .presence-offline .dot,
    .presence-unknown .dot {
      background: none;
      border: 0.1rem solid currentColor;
    }
    .presence-unknown .dot {
      border-style: dashed;
    }
    @media (forced-colors: active) {
      .dot {
        forced-color-adjust: none;
        color: CanvasText;
      }
    }
    .invalid {
      gap: 0.375em;
      padding-inline: 0.375em;
    }
    /* The card. Without popover support it is an absolutely positioned box under the badge.
       Only an open badge is positioned: 10,000 positioned badges are 10,000 paint layers,
       which Chromium walks on every scrolled frame. */
    .badge.open {
      position: relative;
    }
    .card {
      position: absolute;
      inset-block-start: 100%;
      inset-inline-start: 0;
      z-index: 10;
      inline-size: var(--impp-presence-card-width, 18rem);
      max-inline-size: calc(100vw - 1rem);
      margin: 0;
      padding: calc(var(--_space) * 1.5);
      color: var(--_text);
      background: var(--_bg);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      box-shadow: 0 4px 16px rgb(0 0 0 / 0.18), 0 1px 3px rgb(0 0 0 / 0.12);
      font-size: var(--_font-size);
      text-align: start;
    }
    .card:popover-open {
      position: fixed;
      inset: auto;
    }
    @supports (position-area: block-end) {
      .card:popover-open {
        position-anchor: --impp-presence-badge;
        position-area: self-block-end span-self-inline-end; /* self: the badge's direction, not the page's */
        position-try-fallbacks: flip-block, flip-inline, flip-block flip-inline;
        margin-block: 0.25rem;
      }
    }
    .card-head {
      display: flex;
      flex-direction: column;
      margin-block-end: calc(var(--_space) / 2);
    }
    .card-title {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    .card-address {
      color: var(--_muted);
      font-size: 0.875em;
      overflow-wrap: anywhere;
    }
    .card p {
      margin: 0 0 calc(var(--_space) / 2);
    }
    .card-availability {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--_space);
    }
    .freshness {
      color: var(--_muted);
      font-size: 0.875em;
    }
    .card-note {
      overflow-wrap: anywhere;
    }
    .devices-heading {
      margin: var(--_space) 0 calc(var(--_space) / 2);
      font-size: 0.875em;
      color: var(--_muted);
      font-weight: 600;
    }
    .devices {
      margin: 0;
      padding: 0;
      list-style: none;
      display: grid;
      gap: 0.25em;
    }
    .devices li {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.25em var(--_space);
      font-size: 0.875em;
    }
    .device-id {
      font-weight: 600;
      overflow-wrap: anywhere;
    }
    .devices .note {
      white-space: normal;
      overflow-wrap: anywhere;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_space);
      margin-block-start: var(--_space);
    }
  `,
];
