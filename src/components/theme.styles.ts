/**
 * Shared design tokens and base styles of every impp-kit component.
 *
 * Public tokens are `--impp-*` custom properties; set them on any ancestor (they inherit into
 * shadow roots). Colours default to `light-dark()` pairs, so they follow the used
 * `color-scheme`: the OS preference by default, or `theme="light|dark"` on a component or on
 * `<impp-client>` (which sets the inherited `--impp-color-scheme` for its whole subtree).
 * Layout uses logical properties only, so `dir="rtl"` mirrors everything.
 * @module
 */
import { unsafeCSS, type CSSResult } from 'lit';

/**
 * `css` for the literal, interpolation-free style sheets of impp-kit's elements (a `${}` is a
 * type error): Lit's own `css` tag checks interpolated values, about 150 bytes min+gz that no
 * style sheet here needs. The text is a constant, so `unsafeCSS` is safe.
 */
export const css = (strings: TemplateStringsArray, ..._: never[]): CSSResult => unsafeCSS(strings[0]);

/**
 * Tokens, resolved into private `--_*` names on each host:
 *
 * - `--impp-color-scheme` (`light dark`): `light`, `dark`, or `light dark` (follow the OS)
 * - `--impp-font-family`, `--impp-font-size` (`0.9375rem`), `--impp-line-height` (1.4)
 * - `--impp-radius` (`0.5rem`), `--impp-space` (`0.5rem`, the base spacing unit)
 * - `--impp-color-bg`, `--impp-color-surface`, `--impp-color-text`, `--impp-color-muted`,
 *   `--impp-color-border`, `--impp-color-accent`, `--impp-color-on-accent`,
 *   `--impp-color-focus`, `--impp-color-danger`, `--impp-color-available`,
 *   `--impp-color-away`, `--impp-color-busy`, `--impp-color-offline`,
 *   `--impp-color-bubble-in`, `--impp-color-bubble-out`
 */
export const themeStyles = css`
  :host {
    color-scheme: var(--impp-color-scheme, light dark);
    --_font-size: var(--impp-font-size, 0.9375rem);
    --_radius: var(--impp-radius, 0.5rem);
    --_space: var(--impp-space, 0.5rem);
    --_bg: var(--impp-color-bg, light-dark(#fff, #1b1b1f));
    --_surface: var(--impp-color-surface, light-dark(#f3f3f6, #26262c));
    --_text: var(--impp-color-text, light-dark(#1b1b1f, #ececf0));
    --_muted: var(--impp-color-muted, light-dark(#55555c, #b0b0ba));
    --_border: var(--impp-color-border, light-dark(#8a8a94, #7a7a84));
    --_accent: var(--impp-color-accent, light-dark(#0b57d0, #a8c7fa));
    --_on-accent: var(--impp-color-on-accent, light-dark(#fff, #062e6f));
    --_focus: var(--impp-color-focus, light-dark(#0b57d0, #a8c7fa));
    --_danger: var(--impp-color-danger, light-dark(#b3261e, #f2b8b5));
    --_available: var(--impp-color-available, light-dark(#146c2e, #6dd58c));
    --_away: var(--impp-color-away, light-dark(#8a5300, #ffb95c));
    --_busy: var(--impp-color-busy, light-dark(#b3261e, #f2b8b5));
    --_offline: var(--impp-color-offline, light-dark(#55555c, #b0b0ba));
    --_bubble-in: var(--impp-color-bubble-in, light-dark(#ececf1, #2e2e35));
    --_bubble-out: var(--impp-color-bubble-out, light-dark(#dde7fb, #1f3455));
    box-sizing: border-box;
    font-family: var(--impp-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: var(--_font-size);
    line-height: var(--impp-line-height, 1.4);
    color: var(--_text);
  }
  :host([theme='light']) {
    --impp-color-scheme: light;
  }
  :host([theme='dark']) {
    --impp-color-scheme: dark;
  }
  :host([hidden]) {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: var(--_text);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    padding: calc(var(--_space) / 2) var(--_space);
  }
  button {
    cursor: pointer;
    background: var(--_surface);
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_on-accent);
  }
  button:disabled {
    cursor: default;
    opacity: 0.7;
  }
  /* The panel of status, buddy list, chat and session. */
  .base {
    display: flex;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .sr-only {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }
  .error {
    color: var(--_danger);
  }
  .muted {
    color: var(--_muted);
  }
  .presence-available {
    color: var(--_available);
  }
  .presence-away {
    color: var(--_away);
  }
  .presence-busy {
    color: var(--_busy);
  }
  .presence-offline,
  .presence-unknown {
    color: var(--_offline);
  }
`;
