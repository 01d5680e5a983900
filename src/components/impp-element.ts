/**
 * The base class of impp-kit elements: shared tokens and the `theme` attribute.
 * @module
 */
import { LitElement, type PropertyDeclarations } from 'lit';

/** Colour scheme override of a component (and, on `<impp-client>`, of its subtree). */
export type ImppTheme = 'light' | 'dark';

/**
 * Base of every impp-kit element. `theme="light|dark"` forces a colour scheme; without it the
 * scheme is inherited (`--impp-color-scheme`) or follows `prefers-color-scheme`.
 */
export class ImppElement extends LitElement {
  static override properties: PropertyDeclarations = { theme: { reflect: true } };
  /** Forces the light or dark colour scheme; unset follows the page and the OS. */
  theme: ImppTheme | undefined;
}
