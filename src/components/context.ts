/**
 * The client context: `<impp-client>` provides an {@link ImppClient} to its descendants, and
 * every component consumes it (unless given a `.client` property).
 * @module
 */
import { createContext } from '@lit/context';
import type { ImppClient } from '../core/index.js';

/**
 * Context key for the {@link ImppClient} of a subtree (`@lit/context`, Web Components
 * Community Protocol for context). A string key so two copies of impp-kit on one page still
 * find each other's provider.
 *
 * @example
 * ```ts
 * new ContextProvider(el, { context: clientContext, initialValue: client });
 * ```
 */
export const clientContext = createContext<ImppClient | undefined>('impp-kit/client');
