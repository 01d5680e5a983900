import { css, themeStyles } from '../theme.styles.js';

export const statusStyles = [
  themeStyles,
  css`
    :host {
      display: block;
    }
    .base {
      flex-wrap: wrap;
      align-items: center;
      gap: var(--_space);
      padding: var(--_space);
    }
    [part='self'] {
      font-weight: 600;
    }
    [part='note'] {
      flex: 1 1 12ch;
      min-inline-size: 8ch;
    }
    [part='connection'] {
      color: var(--_muted);
      font-size: 0.875em;
    }
    [part='connection'].failed {
      color: var(--_danger);
    }
    .presence {
      display: inline-flex;
      align-items: center;
      gap: 0.25em;
    }
  `,
];
