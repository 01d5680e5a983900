/**
 * The one way components dispatch their `impp-*` events.
 * @module
 */
import type { ImppEventMap } from './events.js';

/**
 * Dispatches a typed `impp-*` event that bubbles and crosses shadow roots (`composed`), so a
 * page can listen on any ancestor. Returns false when a listener called `preventDefault()`.
 *
 * @example
 * ```ts
 * emit(this, 'impp-select', { address });
 * ```
 */
export function emit<K extends keyof ImppEventMap>(
  target: EventTarget,
  type: K,
  detail: ImppEventMap[K]['detail'],
  options: { cancelable?: boolean } = {},
): boolean {
  const event = new CustomEvent(type, { bubbles: true, composed: true, cancelable: options.cancelable ?? false, detail });
  return target.dispatchEvent(event);
}
