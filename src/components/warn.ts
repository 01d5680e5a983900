/**
 * Development warnings with a stable code, so a page author can search for it.
 * @module
 */
import type { ImppErrorCode } from '../core/index.js';

/**
 * Logs `[impp-kit] <code>: <message>` once per distinct message. Components warn instead of
 * throwing on bad attributes (BAD-INPUTS #46): a page must never break because of markup.
 */
export function warn(code: ImppErrorCode, message: string): void {
  const text = `[impp-kit] ${code}: ${message} (see the "Errors" section of the impp-kit README)`;
  if (seen.has(text)) return;
  seen.add(text);
  console.warn(text);
}

const seen = new Set<string>();
