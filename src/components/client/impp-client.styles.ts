import { css, themeStyles } from '../theme.styles.js';

export const clientStyles = [
  themeStyles,
  css`
    :host {
      display: block;
    }
    [part='error'] {
      margin: 0 0 var(--_space);
      padding: var(--_space);
      border: 1px solid var(--_danger);
      border-radius: var(--_radius);
      background: var(--_bg);
    }
    [part='sign-out'] {
      justify-self: end;
      margin-inline-start: auto;
      display: block;
      font-size: 0.85em;
    }
  `,
];
