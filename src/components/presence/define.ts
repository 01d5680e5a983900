/**
 * Side-effect module: registers `<impp-presence>` on its own (guarded, so it is harmless when
 * `define-all` registers it too).
 *
 * @example
 * ```ts
 * import 'impp-kit/components/presence/define';
 * ```
 * @module
 */
import { defineElement } from '../define.js';
import { ImppPresence } from './impp-presence.js';

defineElement('impp-presence', ImppPresence);
