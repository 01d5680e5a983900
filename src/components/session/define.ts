/**
 * Side-effect module: registers `<impp-session>` on its own (guarded, so it is harmless when
 * `define-all` registers it too).
 *
 * @example
 * ```ts
 * import 'impp-kit/components/session/define';
 * ```
 * @module
 */
import { defineElement } from '../define.js';
import { ImppSession } from './impp-session.js';

defineElement('impp-session', ImppSession);
