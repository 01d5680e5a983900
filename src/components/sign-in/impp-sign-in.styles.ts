import { css, themeStyles } from '../theme.styles.js';

export const signInStyles = [
  themeStyles,
  css`
    :host {
      display: block;
    }
    form {
      display: grid;
      gap: var(--_space);
      padding: calc(var(--_space) * 2);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface);
      max-inline-size: 24rem;
    }
    h2 {
      margin: 0;
      font-size: 1.05em;
    }
    label {
      display: grid;
      gap: calc(var(--_space) / 2);
      font-weight: 600;
      font-size: 0.9em;
    }
    input {
      font-weight: 400;
    }
    .hint {
      margin: 0;
      font-size: 0.85em;
      color: var(--_muted);
    }
    .error {
      margin: 0;
      font-size: 0.9em;
    }
    .error:empty {
      display: none;
    }
  `,
];
