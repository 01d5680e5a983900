/**
 * Guarded custom element registration.
 * @module
 */

/**
 * Defines `tag` unless it is already defined, so loading impp-kit twice (two bundles, a CDN
 * copy and an npm copy) does not throw `NotSupportedError`. A different class already
 * registered under the tag is kept and reported once on the console.
 *
 * @example
 * ```ts
 * defineElement('impp-chat', ImppChat);
 * ```
 */
export function defineElement(tag: string, ctor: CustomElementConstructor): void {
  const existing = customElements.get(tag);
  if (existing === undefined) {
    customElements.define(tag, ctor);
  } else if (existing !== ctor) {
    console.warn(`[impp-kit] <${tag}> is already defined by another copy of impp-kit; keeping the first one.`);
  }
}
