/**
 * Registration on first use: a tag's code is fetched when the first element with that tag is
 * attached to the document, so pages that never use an element never download it.
 * @module
 */
import { warn } from './warn.js';

/** Loads the module that defines one tag (e.g. `() => import('./presence/define.js')`). */
export type ElementLoader = () => Promise<unknown>;

/**
 * Calls each tag's loader once, when an element with that tag is first found in `document`
 * (already there or added later). Tags already defined are skipped. One MutationObserver
 * watches for every tag still pending and disconnects when none is. Elements rendered inside a
 * shadow root are not seen: the component that renders them loads them itself.
 *
 * Properties a page sets on an element before its code arrives are kept (Lit re-applies them
 * on upgrade); use `customElements.whenDefined(tag)` to wait for it.
 *
 * @example
 * ```ts
 * defineOnUse({ 'impp-presence': () => import('./presence/define.js') });
 * ```
 */
export function defineOnUse(loaders: Readonly<Record<string, ElementLoader>>): void {
  if (typeof document === 'undefined') return;
  const pending = new Map(Object.entries(loaders).filter(([tag]) => customElements.get(tag) === undefined));
  const load = (tag: string): void => {
    const loader = pending.get(tag);
    pending.delete(tag);
    if (pending.size === 0) observer.disconnect();
    loader?.().catch((e: unknown) => warn('component/load-failed', `<${tag}> could not be loaded: ${String(e)}`));
  };
  const scan = (node: Element | Document): void => {
    for (const tag of [...pending.keys()]) if ((node as Element).localName === tag || node.querySelector(tag)) load(tag);
  };
  const observer = new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) if (n.nodeType === 1 && pending.size) scan(n as Element);
  });
  if (pending.size === 0) return;
  observer.observe(document, { childList: true, subtree: true });
  scan(document);
}
