/**
 * Presence and delivery shown by shape AND text, never by colour alone (WCAG 1.4.1).
 * @module
 */
import { html, svg, type TemplateResult } from 'lit';
import type { Availability, DeliveryState } from '../core/index.js';
import { strings } from './strings.js';

// Distinct shapes: filled dot, dot with a clock hand, dot with a bar, ring, dashed ring.
const SHAPES: Record<Availability, TemplateResult> = {
  available: svg`<circle cx="8" cy="8" r="6" fill="currentColor"/>`,
  away: svg`<circle cx="8" cy="8" r="6" fill="currentColor"/><path d="M8 4.5V8.5H11" stroke="Canvas" stroke-width="1.6" fill="none"/>`,
  busy: svg`<circle cx="8" cy="8" r="6" fill="currentColor"/><rect x="4.5" y="7" width="7" height="2" fill="Canvas"/>`,
  offline: svg`<circle cx="8" cy="8" r="5.2" fill="none" stroke="currentColor" stroke-width="1.6"/>`,
  unknown: svg`<circle cx="8" cy="8" r="5.2" fill="none" stroke="currentColor" stroke-width="1.6" stroke-dasharray="2.5 2"/>`,
};

/** An availability icon (decorative) followed by its label; `labelHidden` keeps it for AT only. */
export function presenceIndicator(availability: Availability, labelHidden = false): TemplateResult {
  const label = strings().availability[availability];
  return html`<span class="presence presence-${availability}" part="presence"
    ><svg class="presence-icon" part="presence-icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">${SHAPES[availability]}</svg
    ><span class=${labelHidden ? 'sr-only' : 'presence-label'}>${label}</span></span
  >`;
}

const DELIVERY_GLYPHS: Record<DeliveryState, string> = {
  queued: '◷',
  sent: '✓',
  delivered: '✓✓',
  read: '✓✓',
  failed: '⚠',
};

/** A delivery state glyph (decorative) followed by its label. */
export function deliveryIndicator(state: DeliveryState, reason?: string): TemplateResult {
  const label = state === 'failed' && reason ? strings().deliveryFailed(reason) : strings().delivery[state];
  return html`<span class="delivery delivery-${state}" part="delivery"
    ><span class="delivery-icon" aria-hidden="true">${DELIVERY_GLYPHS[state]}</span> <span>${label}</span></span
  >`;
}
